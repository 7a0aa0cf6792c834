"""skill.schema.json: a valid 2020-12 schema, shipped in the wheel, errors placed on YAML lines."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest

from skillkit import schema
from skillkit.loader import load_skill
from tests.conftest import REPO
from tests.rules_support import write_skill


def _violations(tmp_path: Path, frontmatter: str) -> list[schema.Violation]:
    folder = write_skill(tmp_path, "s", f"---\n{frontmatter}---\n# T\n")
    return schema.violations_of(load_skill(folder).frontmatter)


def test_schema_is_valid_2020_12() -> None:
    data = json.loads((REPO / "schemas" / "skill.schema.json").read_text())
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(data)
    assert schema.load_schema() == data
    assert schema.schema_path().is_file()


def test_valid_frontmatter_has_no_violations(tmp_path: Path) -> None:
    assert (
        _violations(
            tmp_path,
            "name: s\ndescription: Does it.\nlicense: MIT\ncompatibility: any\n"
            'allowed-tools: Read\nmetadata:\n  version: "1.0.0"\n  tags: "a, b"\n  x: "y"\n',
        )
        == []
    )


def test_errors_map_to_yaml_positions(tmp_path: Path) -> None:
    found = _violations(
        tmp_path,
        "name: Bad_Name\n"  # line 2
        "description: ok\n"
        "colour: blue\n"  # line 4: unknown key -> points at the key
        "metadata:\n"
        "  version: 1.5\n"  # line 6, col 12: a number
        '  tags: "a,,b"\n',  # line 7
    )
    got = {(v.path, v.keyword): (v.span.line, v.span.column) for v in found if v.span}
    assert got == {
        (("name",), "pattern"): (2, 7),
        (("colour",), "additionalProperties"): (4, 1),
        (("metadata", "version"), "type"): (6, 12),
        (("metadata", "tags"), "pattern"): (7, 9),
    }


def test_required_points_at_the_mapping(tmp_path: Path) -> None:
    (v,) = _violations(tmp_path, "name: s\n")
    assert (v.path, v.keyword, v.span.line if v.span else None) == (("description",), "required", 2)


def test_broken_yaml_gives_no_schema_errors(tmp_path: Path) -> None:
    assert _violations(tmp_path, "name: [unclosed\n") == []


@pytest.mark.parametrize(
    ("version", "ok"),
    [
        ("1.0.0", True),
        ("0.1.0-rc.1+b.2", True),
        ("1", False),
        ("1.0", False),
        ("v1.0.0", False),
        ("01.0.0", False),
    ],
)
def test_semver_pattern(tmp_path: Path, version: str, ok: bool) -> None:
    found = _violations(tmp_path, f'name: s\ndescription: d\nmetadata:\n  version: "{version}"\n')
    assert (found == []) is ok


def test_schema_is_found_inside_an_installed_package(tmp_path: Path) -> None:
    # The wheel maps schemas/ to skillkit/schemas/ (hatch force-include); lay a package out
    # the same way, away from the checkout, and check that it finds its own copy.
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include["schemas"] == "skillkit/schemas"
    site = tmp_path / "site"
    shutil.copytree(
        REPO / "skillkit", site / "skillkit", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(REPO / "schemas", site / "skillkit" / "schemas")
    code = "from skillkit import schema; print(schema.schema_path()); schema.validator()"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == site / "skillkit" / "schemas" / "skill.schema.json"
