"""Helpers for the rule tests: lint a folder and render findings relative to it."""

from __future__ import annotations

import os
from pathlib import Path

from skillkit.config import Config
from skillkit.diagnostics import Diagnostic
from skillkit.lint.linter import lint_paths

RULES_DATA = Path(__file__).resolve().parent / "data" / "rules"
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))


def lint(path: Path, **config: object) -> list[Diagnostic]:
    return lint_paths([path], Config(root=path, **config)).diagnostics  # type: ignore[arg-type]


def render(diagnostics: list[Diagnostic], base: Path) -> str:
    lines = []
    for d in diagnostics:
        rel = d.path.relative_to(base).as_posix()
        lines.append(f"{rel}:{d.line}:{d.column}: {d.code} {d.severity.label} {d.message}")
    return "\n".join(lines) + "\n"


def codes(diagnostics: list[Diagnostic]) -> set[str]:
    return {d.code for d in diagnostics}


def write_skill(root: Path, name: str, text: str | None = None, **files: str) -> Path:
    """A skill folder under `root`; `files` maps relpaths (``__`` for ``/``) to contents."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    if text is None:
        text = (
            f"---\nname: {name}\ndescription: Does a thing. Use when the thing is needed.\n---\n"
            "# Title\n\nDo it.\n"
        )
    (folder / "SKILL.md").write_text(text, encoding="utf-8")
    for rel, content in files.items():
        path = folder / rel.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return folder
