"""Semver ranges in metadata.requires and their resolution at build time."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillkit.index.ranges import RangeError, parse_range, parse_requires
from tests.index_support import (
    _isolated_cwd,  # noqa: F401 (autouse fixture)
    assert_valid_index,
    run,
    write_skill,
)


@pytest.mark.parametrize(
    ("rng", "inside", "outside"),
    [
        ("^1", ["1.0.0", "1.9.9"], ["0.9.0", "2.0.0", "1.2.0-rc.1"]),
        ("^1.2", ["1.2.0", "1.9.0"], ["1.1.9", "2.0.0"]),
        ("^0.2.3", ["0.2.3", "0.2.9"], ["0.3.0", "0.2.2"]),
        ("^0.0.3", ["0.0.3"], ["0.0.4"]),
        ("~1.2", ["1.2.0", "1.2.9"], ["1.3.0"]),
        ("~1.2.3", ["1.2.3", "1.2.8"], ["1.3.0", "1.2.2"]),
        (">=1.0 <2", ["1.0.0", "1.5.0"], ["2.0.0", "0.9.9"]),
        (">1.2", ["1.3.0"], ["1.2.5"]),
        (">1.2.0", ["1.2.1"], ["1.2.0"]),
        ("<=1.2", ["1.2.9"], ["1.3.0"]),
        ("1.2.3", ["1.2.3"], ["1.2.4"]),
        ("=1.2.3", ["1.2.3"], ["1.2.4"]),
        ("1.2", ["1.2.0", "1.2.7"], ["1.3.0"]),
        ("1.x", ["1.0.0", "1.4.0"], ["2.0.0"]),
        ("*", ["0.0.1", "9.0.0"], ["1.0.0-alpha"]),
        ("^1 || ^3", ["1.1.0", "3.0.0"], ["2.0.0"]),
        (">=2.0.0-rc.1", ["2.0.0-rc.2", "2.0.0"], ["1.9.0"]),
    ],
)
def test_range_semantics(rng: str, inside: list[str], outside: list[str]) -> None:
    parsed = parse_range(rng)
    for version in inside:
        assert parsed.contains(version), f"{version} should satisfy {rng}"
    for version in outside:
        assert not parsed.contains(version), f"{version} should not satisfy {rng}"


def test_requires_text() -> None:
    reqs = parse_requires("iam-basics@^1, s3-basics ,x@>=1.0 <2")
    assert [(r.name, r.range) for r in reqs] == [
        ("iam-basics", "^1"),
        ("s3-basics", "*"),
        ("x", ">=1.0 <2"),
    ]
    assert parse_requires("") == ()
    with pytest.raises(RangeError):
        parse_requires("Bad Name@^1")
    with pytest.raises(RangeError):
        parse_requires("x@^banana")


def _build(tmp_path: Path, *extra: str) -> tuple[int, str]:
    result = run("build", str(tmp_path / "skills"), "-o", str(tmp_path / "dist"), *extra)
    return result.exit_code, result.output


def test_dependencies_resolve(tmp_path: Path) -> None:
    skills = tmp_path / "skills"
    write_skill(skills, "app", "1.0.0", requires="lib@^1.2, util")
    write_skill(skills, "lib", "1.4.0", requires="util@~0.3")
    write_skill(skills, "util", "0.3.1")
    code, output = _build(tmp_path)
    assert code == 0, output
    data = assert_valid_index(tmp_path / "dist" / "index.json")
    assert data["skills"]["app"]["versions"][0]["requires"] == [
        {"name": "lib", "range": "^1.2"},
        {"name": "util", "range": "*"},
    ]


def test_missing_dependency_names_the_chain(tmp_path: Path) -> None:
    skills = tmp_path / "skills"
    write_skill(skills, "app", "1.0.0", requires="lib@^1")
    write_skill(skills, "lib", "1.0.0", requires="ghost@^2")
    code, output = _build(tmp_path)
    assert code == 1
    assert "app@1.0.0 -> lib@^1 -> ghost@^2: no skill named 'ghost' in the index" in output
    assert not (tmp_path / "dist" / "index.json").exists()


def test_unsatisfiable_dependency_lists_published_versions(tmp_path: Path) -> None:
    skills = tmp_path / "skills"
    write_skill(skills, "app", "1.0.0", requires="lib@^2")
    write_skill(skills, "lib", "1.5.0")
    code, output = _build(tmp_path)
    assert code == 1
    assert "app@1.0.0 -> lib@^2: no version of lib satisfies ^2 (published: 1.5.0)" in output


def test_cycle_is_an_error_naming_the_chain(tmp_path: Path) -> None:
    skills = tmp_path / "skills"
    write_skill(skills, "a", "1.0.0", requires="b@^2")
    write_skill(skills, "b", "2.0.0", requires="c")
    write_skill(skills, "c", "1.0.0", requires="a@^1")
    code, output = _build(tmp_path)
    assert code == 1
    assert "dependency cycle: a@1.0.0 -> b@^2 -> c@* -> a@^1" in output


def test_dependency_satisfied_by_a_version_already_in_the_index(tmp_path: Path) -> None:
    skills = tmp_path / "skills"
    write_skill(skills, "lib", "1.0.0")
    assert _build(tmp_path)[0] == 0
    # lib leaves this tree; app still resolves against lib@1.0.0 already in dist/index.json.
    import shutil

    shutil.rmtree(skills / "lib")
    write_skill(skills, "app", "1.0.0", requires="lib@^1")
    code, output = _build(tmp_path)
    assert code == 0, output
    # ...but a yanked version does not satisfy a requirement.
    assert (
        run("yank", "lib@1.0.0", "--reason", "broken", "--index", str(tmp_path / "dist")).exit_code
        == 0
    )
    write_skill(skills, "app", "1.1.0", requires="lib@^1")
    code, output = _build(tmp_path)
    assert code == 1
    assert (
        "app@1.1.0 -> lib@^1: no version of lib satisfies ^1 (published: 1.0.0 (yanked))" in output
    )


def test_invalid_requires_is_reported_with_the_file(tmp_path: Path) -> None:
    write_skill(tmp_path / "skills", "app", "1.0.0", requires="lib@^x.y")
    code, output = _build(tmp_path)
    assert code == 1
    # reported by the lint rule for metadata.requires when present, else by the build itself
    assert "skills/app/SKILL.md" in output
    assert "metadata.requires" in output and "is not a version constraint" in output
