"""Helpers for the build/publish/index tests: write small skills, run the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from skillkit.cli import cli

REPO = Path(__file__).resolve().parent.parent
SKILLKIT = str(Path(sys.executable).parent / "skillkit")
EPOCH = "1700000000"


def write_skill(
    root: Path,
    name: str,
    version: str | None = "1.0.0",
    *,
    body: str = "",
    requires: str | None = None,
    tags: str | None = None,
    files: dict[str, str | bytes] | None = None,
    description: str | None = None,
) -> Path:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    meta = []
    if version is not None:
        meta.append(f'  version: "{version}"')
    if requires is not None:
        meta.append(f'  requires: "{requires}"')
    if tags is not None:
        meta.append(f'  tags: "{tags}"')
    metadata = ("metadata:\n" + "\n".join(meta) + "\n") if meta else ""
    desc = description or f"Does {name} things. Use when the task needs {name}."
    text = f"---\nname: {name}\ndescription: {desc}\n{metadata}---\n# {name}\n\n{body}\n"
    (folder / "SKILL.md").write_text(text, encoding="utf-8")
    for rel, content in (files or {}).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """The real click command, in process (stderr kept apart)."""
    base = {"SOURCE_DATE_EPOCH": EPOCH}
    base.update(env or {})
    return CliRunner().invoke(cli, list(args), env=base, catch_exceptions=False)


def run_process(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Any:
    """`skillkit` as a user runs it, in a subprocess."""
    full = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}
    return subprocess.run(
        [SKILLKIT, *args], cwd=cwd, env=full, capture_output=True, text=True, timeout=120
    )


def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REPO / "schemas" / "index.schema.json").read_text())
    return data


def assert_valid_index(path: Path) -> dict[str, Any]:
    """Every index a test produces is checked against the published schema."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema()).validate(data)
    return data


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process CLI runs use the current folder (config lookup, ./mkdocs.yml for the site):
    run them from a temp folder, never from the repository."""
    monkeypatch.chdir(tmp_path)
