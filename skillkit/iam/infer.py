"""Where a skill uses AWS: ``aws …`` commands, boto3 calls, ``call_boto3(...)`` calls, policy
JSON blocks and action names in prose, each with file:line. Offline: botocore's models and the
IAM catalog are local files."""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from skillkit.iam import botomodel, catalog
from skillkit.iam.policyblocks import (
    PolicyBlock,
    actions,
    looks_like_policy,
    may_hold_policy,
    parse_block,
)
from skillkit.markdown import fenced_blocks
from skillkit.model import Skill

#: kinds of use: what the skill runs, what it shows as a policy, what it only mentions
RUN_KINDS = ("cli", "sdk", "call_boto3")
MAX_TEXT_BYTES = 1 << 20
_TEXT_SUFFIXES = (
    ".md",
    ".markdown",
    ".txt",
    ".py",
    ".sh",
    ".bash",
    ".zsh",
    ".json",
    ".yaml",
    ".yml",
)
_PY_FENCES = ("python", "py", "python3")
#: what a Python block must hold for `_scan_python` to find anything in it.
_PY_CALLS = ("call_boto3", "client(", "resource(")
# Both patterns start with a literal, so the regex engine skips from one to the next; what
# may stand before the match is checked after (a leading look-behind would try every position).
_CLI = re.compile(r"aws[ \t]+([a-z0-9][a-z0-9-]*)[ \t]+([a-z0-9][a-z0-9-]*)")
_NOT_BEFORE_CLI = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-")
_DEPRECATED_TOOL = re.compile(r"(?<![\w.])(?:aws___)?call_aws\b")
#: where a `_DEPRECATED_TOOL` match ends: it starts with a literal, which the engine skips to
_TOOL_END = re.compile(r"call_aws\b")
_TOOL_LONG = len("aws___")
# A name after a colon, where a prefix (`_PREFIX_BEFORE`) may end: the look-behind follows the
# colon so that the engine still skips from colon to colon.
_COLON_NAME = re.compile(r":(?<=[a-z0-9-]:)([A-Z][A-Za-z0-9]*\*?|\*)(?![\w:/{-])")
_PREFIX_BEFORE = re.compile(r"(?<![\w:/.$@{=-])([a-z][a-z0-9-]{0,40})$")
#: what `_PREFIX_BEFORE` is made of; what may stand before it is never one of these
_PREFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-"


@dataclass(frozen=True)
class Usage:
    """One place that needs (or names) an IAM action."""

    action: str
    kind: str  # cli | sdk | call_boto3 | policy | prose
    path: Path
    line: int
    column: int
    evidence: str
    effect: str = "Allow"


@dataclass
class Findings:
    usages: list[Usage] = field(default_factory=list)
    #: mentions of deprecated AWS MCP Server tools (``call_aws``); `action` holds the name
    tools: list[Usage] = field(default_factory=list)
    policies: list[PolicyBlock] = field(default_factory=list)
    #: calls that name no known operation, with where they are
    unmapped: list[Usage] = field(default_factory=list)


def scan_skill(skill: Skill, *, prose: bool = True, runs: bool = True) -> Findings:
    """Every use of AWS in a skill's SKILL.md body and text files. With `runs` False, what the
    skill runs (``aws`` commands, boto3 and ``call_boto3`` calls: `RUN_KINDS` and `unmapped`)
    is left out and not looked for; what it writes down (policies, prose, tools) is the same."""
    out = Findings()
    _scan_markdown(out, skill.body, skill.skill_md, skill.body_line, prose, runs)
    _scan_tools(out, skill.skill_md, skill.body_line, skill.body)
    for f in skill.files:
        if not f.relpath.endswith(_TEXT_SUFFIXES) or f.size > MAX_TEXT_BYTES:
            continue
        try:
            text = f.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the loader and SK001/SK003 report these
        scan_text(out, f.path, text, prose, runs)
    return out


def scan_text(out: Findings, path: Path, text: str, prose: bool = True, runs: bool = True) -> None:
    _scan_tools(out, path, 1, text)
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        _scan_markdown(out, text, path, 1, prose, runs)
    elif suffix == ".py":
        if runs:
            _scan_python(out, path, 1, text)
            _scan_cli(out, path, 1, text)
        if prose:
            _scan_prose(out, path, 1, text)
    elif suffix == ".json" and looks_like_policy(text):
        _scan_policy(out, parse_block(path, 1, text), prose)
    else:
        if runs:
            _scan_cli(out, path, 1, text)
        if prose:
            _scan_prose(out, path, 1, text)


def _scan_markdown(
    out: Findings, text: str, path: Path, first_line: int, prose: bool, runs: bool
) -> None:
    covered: set[int] = set()
    for block in fenced_blocks(text) if _blocks_wanted(text, runs) else ():
        start = first_line + block.first
        if block.lang in ("json", "jsonc", "json5", "") and looks_like_policy(block.content):
            covered.update(range(block.first - 1, block.end))
            _scan_policy(out, parse_block(path, start, block.content), prose)
        elif runs and block.lang in _PY_FENCES:
            _scan_python(out, path, start, block.content)
    # commands and prose anywhere outside policy blocks
    if runs:
        _scan_cli(out, path, first_line, text, covered)
    if prose:
        _scan_prose(out, path, first_line, text, covered)


def _blocks_wanted(text: str, runs: bool) -> bool:
    """Whether a Markdown text's code blocks are worth finding: they matter only as policies or
    as Python that calls AWS, so a text with neither marker anywhere has none."""
    if not may_hold_policy(text):
        return runs and _has_py_calls(text)
    # A key split from its colon by a quote marker is a policy in the block, not in the text;
    # the blocks are then read only when the text has Python calls too, runs or not, so that
    # a scan without runs finds the same policies as one with.
    return looks_like_policy(text) or _has_py_calls(text)


def _has_py_calls(text: str) -> bool:
    return any(m in text for m in _PY_CALLS)


def _scan_tools(out: Findings, path: Path, first_line: int, text: str) -> None:
    if "call_aws" not in text:
        return
    lines = _Lines(text, first_line)
    for match in _tool_matches(text):
        line, column = lines.position(match.start())
        out.tools.append(Usage(match.group(0), "tool", path, line, column, match.group(0)))


def _tool_matches(text: str) -> Iterator[re.Match[str]]:
    """`_DEPRECATED_TOOL.finditer(text)`, found from the end of each match: the pattern starts
    with a look-behind, which the engine would try at every position of the text."""
    for end in _TOOL_END.finditer(text):
        at = end.start()
        # each match holds one `call_aws`, at its end; the look-behind sees before `pos`
        match = _DEPRECATED_TOOL.match(text, at - _TOOL_LONG) if at >= _TOOL_LONG else None
        match = match or _DEPRECATED_TOOL.match(text, at)
        if match is not None:
            yield match


def _scan_policy(out: Findings, block: PolicyBlock, prose: bool) -> None:
    out.policies.append(block)
    if block.document is None:
        # not JSON: its action names are still worth checking, as prose
        if prose:
            _scan_prose(out, block.path, block.line, block.text)
        return
    for item in actions(block):
        out.usages.append(
            Usage(item.value, "policy", block.path, item.line, item.column, item.value, item.effect)
        )


class _Lines:
    """Offsets to 1-based (line, column), counted on demand. A scan asks in increasing order,
    so each question counts newlines only from the previous one: a text with thousands of
    matches is still read once, not once per match."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.first_line = first_line
        self._offset = 0  # the last offset asked about, and its line index
        self._index = 0

    def index(self, offset: int) -> int:
        """0-based line index of `offset` within the text."""
        if offset < self._offset:
            self._offset = self._index = 0
        self._index += self.text.count("\n", self._offset, offset)
        self._offset = offset
        return self._index

    def position(self, offset: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, offset) + 1
        return self.first_line + self.index(offset), offset - start + 1


def _scan_cli(
    out: Findings, path: Path, first_line: int, text: str, skip: set[int] | None = None
) -> None:
    if "aws" not in text:
        return
    lines: _Lines | None = None
    for match in _CLI.finditer(text):
        if match.start() and text[match.start() - 1] in _NOT_BEFORE_CLI:
            continue
        service, command = match.group(1), match.group(2)
        try:
            found = botomodel.actions_for_cli(service, command)
        except botomodel.ModelsMissing:
            return
        if not found:
            continue
        lines = lines or _Lines(text, first_line)
        if skip and lines.index(match.start()) in skip:
            continue
        line, column = lines.position(match.start())
        for action in found:
            out.usages.append(Usage(action, "cli", path, line, column, match.group(0)))


def _scan_prose(
    out: Findings, path: Path, first_line: int, text: str, skip: set[int] | None = None
) -> None:
    if ":" not in text or not catalog.available():
        return
    known = catalog.services()
    lines: _Lines | None = None
    for name in _COLON_NAME.finditer(text):
        colon = name.start()
        # The prefix, if any, is the whole run of its characters before the colon (what
        # stands before a prefix is never one of them): most colons (`**Constraints:**`)
        # end no service's name, which a slice and a set lookup tell.
        window = text[max(0, colon - 42) : colon]
        if window[len(window.rstrip(_PREFIX_CHARS)) :] not in known:
            continue
        prefix = _PREFIX_BEFORE.search(text, max(0, colon - 42), colon)
        if prefix is None or prefix.group(1) not in known:
            continue
        action = f"{prefix.group(1)}:{name.group(1)}"
        if catalog.is_condition_key(action):
            continue
        lines = lines or _Lines(text, first_line)
        if skip and lines.index(prefix.start()) in skip:
            continue
        line, column = lines.position(prefix.start())
        out.usages.append(Usage(action, "prose", path, line, column, action))


# --- Python ----------------------------------------------------------------------------------


def parse_python(source: str) -> ast.Module | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _const(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _keyword(call: ast.Call, name: str, position: int | None = None) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    if position is not None and len(call.args) > position:
        return call.args[position]
    return None


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def call_boto3_calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _callee(node) == "call_boto3":
            yield node


def _scan_python(out: Findings, path: Path, first_line: int, source: str) -> None:
    # no client and no call_boto3: nothing to find, and no parse to pay for
    if not any(m in source for m in _PY_CALLS):
        return
    tree = parse_python(source)
    if tree is None:
        return
    try:
        botomodel.services()
    except botomodel.ModelsMissing:
        return

    def usage(actions: tuple[str, ...] | None, node: ast.AST, kind: str, what: str) -> None:
        line = first_line + getattr(node, "lineno", 1) - 1
        column = getattr(node, "col_offset", 0) + 1
        if actions is None:
            out.unmapped.append(Usage("", kind, path, line, column, what))
            return
        for action in actions:
            out.usages.append(Usage(action, kind, path, line, column, what))

    calls: list[ast.Call] = []
    constants: list[ast.Constant] = []
    clients: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            calls.append(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            constants.append(node)
        elif (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and _callee(node.value) == "client"
        ):
            service = _const(_keyword(node.value, "service_name", 0))
            for target in node.targets:
                if service and isinstance(target, ast.Name):
                    clients[target.id] = service
    services: set[str] = set()
    indirect: set[str] = set()
    for node in calls:
        name = _callee(node)
        if name in ("client", "resource"):
            service = _const(_keyword(node, "service_name", 0))
            if service and service in botomodel.services():
                services.add(service)
        elif name == "call_boto3":
            service = _const(_keyword(node, "service_name"))
            operation = _const(_keyword(node, "operation_name"))
            if service is None:
                continue
            if operation is None:
                indirect.add(service)
                continue
            what = f"call_boto3 {service} {operation}"
            usage(botomodel.actions_for_operation(service, operation), node, "call_boto3", what)
    for node in calls:
        if not isinstance(node.func, ast.Attribute) or not (services or clients):
            continue
        method = node.func.attr
        receiver = node.func.value
        candidates = (
            [clients[receiver.id]]
            if isinstance(receiver, ast.Name) and receiver.id in clients
            else sorted(services)
        )
        if method in ("get_paginator", "can_paginate"):
            method = _const(_keyword(node, "operation_name", 0)) or ""
        for service in candidates:
            ops = botomodel.service(service)
            if ops is not None and method in ops.by_method:
                op = ops.by_method[method]
                usage(
                    botomodel.actions_for_operation(service, op), node, "sdk", f"{service}.{method}"
                )
                break
    # call_boto3 with a computed operation name: the service's operation names the file spells
    for service in sorted(indirect):
        ops = botomodel.service(service)
        if ops is None:
            continue
        for constant in constants:
            value = str(constant.value)
            if value in ops.operations:
                usage(
                    botomodel.actions_for_operation(service, value),
                    constant,
                    "call_boto3",
                    f"call_boto3 {service} {value}",
                )
