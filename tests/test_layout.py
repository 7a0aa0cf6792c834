"""The package layout GUIDE.md asks for: imports run downwards, with no circles."""

from __future__ import annotations

import ast
from pathlib import Path

import skillkit

PACKAGE = Path(skillkit.__file__).parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every skillkit module `path` imports, at the top or inside a function: a lazy import
    still ties the two modules together."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module in modules:
            subs = {f"{node.module}.{a.name}" for a in node.names} & modules.keys()
            # ``from pkg import submodule`` needs the submodule; any other name, the package.
            out.update(subs if len(subs) == len(node.names) else {node.module, *subs})
    return out


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {m: _imports(p, modules) - {m} for m, p in modules.items()}
    assert _cycles(graph) == []


def test_the_checker_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_rules_package_imports_no_skillkit_module() -> None:
    """The configuration reads the rule codes from it; the rules import the configuration."""
    modules = _modules()
    assert _imports(modules["skillkit.lint.rules"], modules) == set()


def test_the_foundation_imports_no_stage_at_module_level() -> None:
    stages = (
        "skillkit.lint",
        "skillkit.tokens",
        "skillkit.migrate",
        "skillkit.index",
        "skillkit.install",
        "skillkit.server",
        "skillkit.docs",
        "skillkit.cli",
    )
    modules = _modules()
    for name, path in modules.items():
        if name.startswith(stages) or name in ("skillkit", "skillkit.__main__"):
            continue
        top = ast.parse(path.read_text(encoding="utf-8")).body
        for node in top:
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(stages), (name, node.module)


def test_one_module_a_cache_name() -> None:
    names = [p.name for p in PACKAGE.rglob("*cache*.py")]
    assert len(names) == len(set(names)), names


def test_the_build_findings_cache_keys_on_modules_that_exist() -> None:
    """It hashes the lint stage's code by path: a module moved away would drop out silently."""
    from skillkit.index import build_findings

    for name in build_findings._LINT_MODULES:
        assert (PACKAGE / name).is_file(), name
