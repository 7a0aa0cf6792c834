"""`skillkit lint` and `skillkit build` agree: a build stops on a lint finding, with its fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.index_support import _isolated_cwd, run  # noqa: F401 (autouse fixture)
from tests.rules_support import write_skill

SKILL = """---
name: short-version
description: Does a small thing. Use when the small thing is needed.
metadata:
  version: {version}
---
# Title

Do the thing.
"""


def _json_findings(*args: str) -> list[dict[str, object]]:
    result = run("lint", *args, "--output-format", "json", "--no-cache")
    return [
        {k: d[k] for k in ("code", "path", "line", "column", "message")}
        for d in json.loads(result.stdout)["findings"]
    ]


@pytest.mark.parametrize(
    ("written", "fixed"),
    [('"1"', '"1.0.0"'), ('"1.2"', '"1.2.0"'), ('"0"', '"0.0.0"')],
)
def test_build_stops_on_the_lint_finding_and_the_fix_makes_it_build(
    tmp_path: Path, written: str, fixed: str
) -> None:
    skills = tmp_path / "skills"
    write_skill(skills, "short-version", SKILL.format(version=written))
    lint = run("lint", str(skills), "--no-cache")
    assert lint.exit_code == 0 and "SK110" in lint.stdout, lint.output  # a warning: passes
    warned = next(f for f in _json_findings(str(skills)) if f["code"] == "SK110")

    build = run("build", str(skills), "-o", str(tmp_path / "dist"), "--no-site")
    assert build.exit_code == 1
    assert not (tmp_path / "dist" / "index.json").exists()
    line = f"{warned['path']}:{warned['line']}:{warned['column']}: SK110"
    assert line in build.stdout and str(warned["message"]) in build.stdout
    assert "lint --fix" in build.stderr

    assert run("lint", str(skills), "--fix", "--no-cache").exit_code == 0
    text = (skills / "short-version" / "SKILL.md").read_text(encoding="utf-8")
    assert f"version: {fixed}\n" in text
    assert run("build", str(skills), "-o", str(tmp_path / "dist"), "--no-site").exit_code == 0


def test_an_unquoted_short_version_is_quoted_then_completed(tmp_path: Path) -> None:
    skills = tmp_path / "skills"
    folder = write_skill(skills, "short-version", SKILL.format(version="1.2"))
    assert run("lint", str(skills), "--fix", "--no-cache").exit_code == 0
    assert 'version: "1.2.0"\n' in (folder / "SKILL.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("version", ['"v2"', '"2024-05"', '"01"', '"1.2.3.4"'])
def test_versions_that_cannot_be_completed_get_no_fix(tmp_path: Path, version: str) -> None:
    skills = tmp_path / "skills"
    folder = write_skill(skills, "short-version", SKILL.format(version=version))
    before = (folder / "SKILL.md").read_bytes()
    result = run("lint", str(skills), "--fix", "--no-cache")
    assert "SK110" in result.stdout
    assert (folder / "SKILL.md").read_bytes() == before
