"""Helpers for the migrate tests: run the real CLI, and judge an emitted skills tree with the
real linter and the spec's reference validator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner, Result
from skills_ref.validator import validate

from skillkit.cli import cli
from skillkit.config import Config
from skillkit.diagnostics import Severity
from skillkit.lint.linter import lint_paths

SKILLKIT = Path(sys.executable).with_name("skillkit")


def run(*args: str | os.PathLike[str]) -> Result:
    return CliRunner().invoke(cli, ["migrate", *map(str, args)], catch_exceptions=False)


def run_process(*args: str | os.PathLike[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SKILLKIT), "migrate", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def front_matter(skill_md: Path) -> dict[str, object]:
    text = skill_md.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    data = yaml.safe_load(text[4:text.index("\n---\n", 4)])
    assert isinstance(data, dict)
    return data


def assert_valid_tree(out: Path) -> list[Path]:
    """Every skill under ``out`` lints with no errors and passes skills-ref validate."""
    skills = sorted(p.parent for p in out.glob("*/SKILL.md"))
    assert skills, f"no skills under {out}"
    result = lint_paths([out], Config(root=out))
    # Errors, and same-page links that land nowhere (a split moves sections away from steps).
    errors = [
        d for d in result.diagnostics if d.severity >= Severity.ERROR or d.code == "SK304"
    ]
    assert not errors, "\n".join(f"{d.location()} {d.code} {d.message}" for d in errors)
    for skill in skills:
        assert validate(skill) == [], skill
        meta = front_matter(skill / "SKILL.md")
        assert meta["name"] == skill.name
        assert isinstance(meta["description"], str) and 0 < len(meta["description"]) <= 1024
    return skills
