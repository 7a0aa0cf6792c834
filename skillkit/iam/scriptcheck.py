"""Static checks of a script meant for the ``run_script`` sandbox (rules SK411-SK415).

The *sandbox path* is what runs when the script's text is sent to ``run_script``: module-level
code outside ``if __name__ == "__main__"`` guards, and every top-level function or class
except those reached only from such a guard (a local command-line driver may use files,
argv and boto3; the sandbox entry point may not).
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from skillkit.iam import botomodel
from skillkit.iam.infer import call_boto3_calls, parse_python
from skillkit.iam.sandbox import blocked_reason, data, is_stdlib, top

_PASCAL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_PROCESS_MODULES = ("subprocess", "shutil", "tempfile", "glob", "multiprocessing", "pty")
_OS_CALLS = re.compile(
    r"^(system|popen|remove|unlink|rename|replace|listdir|scandir|walk|makedirs|mkdir|rmdir|"
    r"fork|kill|chdir|chmod|exec\w*|spawn\w*)$"
)
_PATH_METHODS = ("read_text", "write_text", "read_bytes", "write_bytes", "parse_args")
_IMPORT_GUARDS = ("ImportError", "ModuleNotFoundError", "Exception", "BaseException")


@dataclass(frozen=True)
class ScriptFault:
    code: str  # SK411..SK415
    message: str
    line: int
    column: int


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If):
        return False
    for sub in ast.walk(node.test):
        if isinstance(sub, ast.Compare) and any(
            isinstance(n, ast.Constant) and n.value == "__main__"
            for n in [sub.left, *sub.comparators]
        ):
            return True
    return False


def _names(nodes: list[ast.stmt]) -> set[str]:
    out: set[str] = set()
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name):
                out.add(sub.id)
    return out


def sandbox_nodes(tree: ast.Module) -> list[ast.AST]:
    """The statements on the sandbox path (see the module docstring)."""
    defs: dict[str, ast.stmt] = {}
    plain: list[ast.stmt] = []
    guards: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defs[node.name] = node
        elif _is_main_guard(node):
            guards.append(node)
        else:
            plain.append(node)
    uses = {name: _names([node]) & defs.keys() for name, node in defs.items()}

    def closure(start: set[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(start & defs.keys())
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            todo.extend(uses[name] - seen)
        return seen

    local_only = closure(_names(guards))
    roots = (_names(plain) & defs.keys()) | (defs.keys() - local_only)
    reached = closure(roots)
    return [*plain, *(defs[name] for name in defs if name in reached)]


def _guarded_imports(nodes: list[ast.AST]) -> set[int]:
    """ids of import statements inside ``try: ... except ImportError`` or ``if TYPE_CHECKING``."""
    out: set[int] = set()
    for node in nodes:
        for sub in ast.walk(node):
            body: list[ast.stmt] = []
            if (
                isinstance(sub, ast.Try)
                and any(
                    h.type is None
                    or any(
                        isinstance(n, ast.Name) and n.id in _IMPORT_GUARDS for n in ast.walk(h.type)
                    )
                    for h in sub.handlers
                )
            ) or (isinstance(sub, ast.If) and "TYPE_CHECKING" in ast.unparse(sub.test)):
                body = sub.body
            for stmt in body:
                out.update(id(n) for n in ast.walk(stmt))
    return out


def check_source(source: str) -> Iterator[ScriptFault]:
    """Every sandbox fault of one script; nothing when it does not parse (SK401 says so)."""
    tree = parse_python(source)
    if tree is None:
        return
    nodes = sandbox_nodes(tree)
    guarded = _guarded_imports(nodes)
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Import | ast.ImportFrom) and id(sub) not in guarded:
                yield from _import_faults(sub)
            elif isinstance(sub, ast.Call | ast.Attribute):
                fault = _host_use(sub)
                if fault:
                    yield ScriptFault("SK413", fault, sub.lineno, sub.col_offset + 1)
    yield from _call_boto3_faults(tree)


def _import_faults(node: ast.Import | ast.ImportFrom) -> Iterator[ScriptFault]:
    if isinstance(node, ast.ImportFrom):
        if node.level or not node.module:
            return
        modules = [node.module]
    else:
        modules = [alias.name for alias in node.names]
    for module in modules:
        where = (node.lineno, node.col_offset + 1)
        name = top(module)
        if name in data().blocked:
            yield ScriptFault("SK411", f"{blocked_reason(module)}", *where)
        elif name in data().network or module in data().network:
            yield ScriptFault("SK412", f"{blocked_reason(module)}", *where)
        elif not is_stdlib(module):
            yield ScriptFault(
                "SK415",
                f"'{name}' is not in the standard library: the run_script sandbox installs "
                "nothing (import it only in the local driver)",
                *where,
            )


def _dotted(node: ast.AST) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _host_use(node: ast.Call | ast.Attribute) -> str | None:
    if isinstance(node, ast.Attribute):
        if _dotted(node) == "sys.argv":
            return "reads sys.argv, which the run_script sandbox does not set"
        return None
    name = _dotted(node.func)
    if name in ("open", "input", "io.open"):
        return f"{name}() uses the local machine, which the run_script sandbox has not"
    head, _, tail = name.partition(".")
    if head in _PROCESS_MODULES and tail:
        return f"{name}() uses files or processes, which the run_script sandbox has not"
    if head == "os" and _OS_CALLS.match(tail):
        return f"{name}() uses files or processes, which the run_script sandbox has not"
    if isinstance(node.func, ast.Attribute) and node.func.attr in _PATH_METHODS:
        what = "the command line" if node.func.attr == "parse_args" else "files"
        return f".{node.func.attr}() reads {what}, which the run_script sandbox has not"
    return None


def _call_boto3_faults(tree: ast.Module) -> Iterator[ScriptFault]:
    for call in call_boto3_calls(tree):
        service_node = next((k.value for k in call.keywords if k.arg == "service_name"), None)
        op_node = next((k.value for k in call.keywords if k.arg == "operation_name"), None)
        where = (call.lineno, call.col_offset + 1)
        if call.args:
            yield ScriptFault(
                "SK414",
                "call_boto3 takes keyword arguments only (service_name=, operation_name=, "
                "region_name=, params=)",
                *where,
            )
        service = service_node.value if isinstance(service_node, ast.Constant) else None
        operation = op_node.value if isinstance(op_node, ast.Constant) else None
        if not isinstance(service, str):
            continue
        try:
            ops = botomodel.service(service)
        except botomodel.ModelsMissing:
            return
        if ops is None:
            close = difflib.get_close_matches(service, sorted(botomodel.services()), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            yield ScriptFault("SK414", f"call_boto3: no service {service!r}{hint}", *where)
            continue
        if not isinstance(operation, str):
            continue
        if not _PASCAL.match(operation):
            fixed = ops.by_method.get(operation) or ops.by_cli.get(operation)
            hint = f": use {fixed!r}" if fixed else ""
            yield ScriptFault(
                "SK414",
                f"call_boto3 operation {operation!r} is not PascalCase{hint}",
                *where,
            )
        elif operation not in ops.operations:
            close = difflib.get_close_matches(operation, sorted(ops.operations), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            yield ScriptFault(
                "SK414",
                f"call_boto3: {service} has no operation {operation!r} in botocore's model{hint}",
                *where,
            )
