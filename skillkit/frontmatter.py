"""Split SKILL.md into YAML frontmatter and body, keeping the position of every value.

PyYAML's C loader composes a node tree whose marks give line, column and offset; we build the
Python values from that tree ourselves so that each value keeps its location. Aliases are refused
before composing (a frontmatter never needs them, and they are how a YAML bomb expands), and so
is nesting deeper than any real frontmatter.
"""

from __future__ import annotations

import base64
import datetime
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from skillkit.model import FieldLocation, Frontmatter, JsonPath, Problem, Span

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[attr-defined,assignment,unused-ignore]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_DEPTH = 20
TAB_MESSAGE = (
    "a tab character outside quotes: YAML indents and separates with spaces only (many YAML "
    "parsers, and so agents, reject the tab); use spaces, or quote a value that holds a tab"
)
_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


@dataclass(frozen=True)
class Split:
    frontmatter: Frontmatter
    body: str
    body_line: int
    body_offset: int
    problems: tuple[Problem, ...]


def split(text: str, path: Path) -> Split:
    """Find the frontmatter fences and parse what lies between them."""
    if not (text.startswith("---\n") or text.startswith("---\r\n") or text.rstrip() == "---"):
        problem = Problem(
            "frontmatter-missing",
            "SKILL.md must start with YAML frontmatter: a line '---', the fields, and '---'",
            path,
        )
        return Split(Frontmatter(), text, 1, 0, (problem,))
    first_nl = text.find("\n")
    yaml_start = len(text) if first_nl < 0 else first_nl + 1
    closing = _FENCE.search(text, yaml_start)
    if closing is None or closing.group(1) != "---":
        problem = Problem(
            "frontmatter-unclosed",
            "frontmatter is not closed: add a line '---' after the last field",
            path,
        )
        return Split(Frontmatter(present=True, start_line=1), "", 1, len(text), (problem,))
    yaml_end = closing.start()
    end_line = text.count("\n", 0, yaml_end) + 1
    after = text.find("\n", closing.end())
    body_offset = len(text) if after < 0 else after + 1
    if after < 0 and closing.end() < len(text):
        body_offset = closing.end()
    fm = Frontmatter(
        present=True, start_line=1, end_line=end_line, yaml_start=yaml_start, yaml_end=yaml_end
    )
    problems = _parse_yaml(text, fm, path)
    return Split(fm, text[body_offset:], end_line + 1, body_offset, tuple(problems))


def _tab_at(source: str, index: int) -> bool:
    """Whether the error at `index` is a tab's fault: the tab itself, or a tab in the
    indentation of its line."""
    if source[index : index + 1] == "\t":
        return True
    line_start = source.rfind("\n", 0, index) + 1
    indent = source[line_start:index]
    return "\t" in indent and not indent.strip(" \t")


def _parse_yaml(text: str, fm: Frontmatter, path: Path) -> list[Problem]:
    source = text[fm.yaml_start : fm.yaml_end]
    line_base = text.count("\n", 0, fm.yaml_start)  # lines before the YAML (0-based)

    def problem(kind: str, message: str, mark: Any | None) -> Problem:
        if mark is None:
            return Problem(kind, message, path, line_base + 1, 1)
        return Problem(kind, message, path, line_base + mark.line + 1, mark.column + 1)

    # A first pass over events: cheap, bounded, and catches aliases and pathological nesting
    # before anything is built.
    try:
        depth = 0
        for event in yaml.parse(source, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return [
                    problem(
                        "yaml-alias",
                        "YAML anchors and aliases are not allowed in frontmatter",
                        event.start_mark,
                    )
                ]
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return [
                        problem(
                            "yaml-depth",
                            f"frontmatter nests deeper than {MAX_DEPTH} levels",
                            event.start_mark,
                        )
                    ]
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        node = yaml.compose(source, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        if mark is not None and _tab_at(source, mark.index):
            what = TAB_MESSAGE  # libyaml's message does not say which character it means
        return [problem("yaml-syntax", f"invalid YAML in frontmatter: {what}", mark)]
    except yaml.YAMLError as exc:
        return [problem("yaml-syntax", f"invalid YAML in frontmatter: {exc}", None)]

    if node is None:
        fm.valid = True
        return []
    if not isinstance(node, yaml.MappingNode):
        return [
            problem(
                "frontmatter-not-mapping",
                "frontmatter must be a YAML mapping of fields (name: ..., description: ...)",
                node.start_mark,
            )
        ]
    builder = _Builder(text, fm.yaml_start, line_base, path)
    try:
        data = builder.build(node, ())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [problem("yaml-syntax", f"invalid YAML value in frontmatter: {exc}", mark)]
    assert isinstance(data, dict)
    if "\t" in source:
        tabs = builder.check_tabs(fm.yaml_start, fm.yaml_end)
        if tabs:
            # As the pure-Python loader does: the same findings whichever loader is installed.
            return tabs
    fm.data = data
    fm.locations = builder.locations
    fm.valid = True
    return builder.problems


class _Builder:
    """Builds Python values from composed nodes, recording where each came from."""

    def __init__(self, text: str, offset: int, line_base: int, path: Path) -> None:
        self.text = text
        self.offset = offset
        self.line_base = line_base
        self.path = path
        self.locations: dict[JsonPath, FieldLocation] = {}
        self.problems: list[Problem] = []
        #: character ranges of quoted and block scalars, where a tab is content.
        self.verbatim: list[tuple[int, int]] = []
        self._scalars = _Loader("")

    def span(self, node: yaml.Node) -> Span:
        start, end = node.start_mark, node.end_mark
        return Span(
            line=self.line_base + start.line + 1,
            column=start.column + 1,
            end_line=self.line_base + end.line + 1,
            end_column=end.column + 1,
            start=self.offset + start.index,
            end=self.offset + end.index,
        )

    def build(self, node: yaml.Node, path: JsonPath, key: Span | None = None) -> Any:
        self.locations[path] = FieldLocation(self.span(node), key)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key_value = self.build_scalar_key(key_node)
                child = (*path, str(key_value))
                if key_value in result:
                    mark = key_node.start_mark
                    self.problems.append(
                        Problem(
                            "duplicate-key",
                            f"duplicate key {key_value!r} in frontmatter (the last one wins)",
                            self.path,
                            self.line_base + mark.line + 1,
                            mark.column + 1,
                        )
                    )
                result[key_value] = self.build(value_node, child, self.span(key_node))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.style in ("'", '"', "|", ">"):
            self.verbatim.append(
                (self.offset + node.start_mark.index, self.offset + node.end_mark.index)
            )
        return self._scalars.construct_object(node, deep=True)

    def check_tabs(self, start: int, end: int) -> list[Problem]:
        """Tabs outside quoted and block scalars and comments (``key:<TAB>value``, a tab in a
        plain value or at the end of a line): libyaml accepts some of them, the pure-Python
        loader and most other parsers none. Reported whichever loader is installed; the first
        on each line is enough."""
        found: list[Problem] = []
        at = self.text.find("\t", start, end)
        while at >= 0:
            line_start = self.text.rfind("\n", 0, at) + 1
            line_end = self.text.find("\n", at)
            line_end = end if line_end < 0 else min(line_end, end)
            before = self.text[line_start:at]
            in_comment = before.lstrip().startswith("#") or " #" in before
            if not in_comment and not any(a <= at < b for a, b in self.verbatim):
                line = self.text.count("\n", 0, at) + 1
                found.append(
                    Problem(
                        "yaml-syntax",
                        f"invalid YAML in frontmatter: {TAB_MESSAGE}",
                        self.path,
                        line,
                        at - line_start + 1,
                    )
                )
                at = self.text.find("\t", line_end, end)
                continue
            at = self.text.find("\t", at + 1, end)
        return found

    def build_scalar_key(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            value = self._scalars.construct_object(node, deep=True)
            return (
                value
                if isinstance(value, str | int | float | bool) or value is None
                else str(value)
            )
        return self.text[self.offset + node.start_mark.index : self.offset + node.end_mark.index]


def as_json(value: Any) -> Any:
    """`value` (parsed frontmatter) as plain JSON data, every field kept.

    YAML has types JSON lacks: dates and timestamps become ISO 8601 strings, binary becomes
    base64 text, anything else its string form, so an index or an MCP entry can carry it.
    """
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [as_json(v) for v in value]
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return str(value)
