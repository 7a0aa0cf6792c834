"""Rules whose cases cannot live in git: permissions, sizes, symlinks, large scripts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.rules_support import codes, lint, write_skill

needs_non_root = pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read anything"
)


@needs_non_root
def test_sk001_unreadable_skill_md(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "locked")
    (folder / "SKILL.md").chmod(0)
    try:
        found = lint(tmp_path)
    finally:
        (folder / "SKILL.md").chmod(0o644)
    assert [(d.code, d.line) for d in found] == [("SK001", 1)]
    assert "cannot read SKILL.md" in found[0].message


@needs_non_root
def test_sk001_unreadable_folder(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "locked-dir", references__a__x="x\n")
    (folder / "references" / "a").chmod(0)
    try:
        found = lint(tmp_path)
    finally:
        (folder / "references" / "a").chmod(0o755)
    assert codes(found) == {"SK001"}


def test_sk001_readable_is_clean(tmp_path: Path) -> None:
    write_skill(tmp_path, "open-skill")
    assert lint(tmp_path) == []


def test_sk002_too_large(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "huge")
    with (folder / "SKILL.md").open("a") as fh:
        fh.write("x" * 5000)
    found = lint(tmp_path, max_file_size=4096)
    assert [d.code for d in found] == ["SK002"]
    assert "4,096-byte limit" in found[0].message
    assert "SK002" not in codes(lint(tmp_path, max_file_size=1 << 20))


def test_sk008_symlink_out_of_the_skill(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret\n")
    folder = write_skill(tmp_path / "tree", "linker")
    (folder / "references").mkdir()
    (folder / "references" / "leak.md").symlink_to(outside)
    (folder / "references" / "inside.md").write_text("ok\n")
    (folder / "references" / "alias.md").symlink_to(folder / "references" / "inside.md")
    found = lint(tmp_path / "tree")
    assert [d.code for d in found] == ["SK008"]
    assert found[0].path.name == "leak.md"


def test_sk009_symlink_loop_and_broken(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "loopy")
    (folder / "a").symlink_to(folder / "b")
    (folder / "b").symlink_to(folder / "a")
    (folder / "dangling").symlink_to(folder / "missing")
    found = lint(tmp_path)
    assert [d.code for d in found] == ["SK009"] * 3


def test_sk402_large_script_is_skipped_with_a_finding(tmp_path: Path) -> None:
    body = "x = 1\n" * 300 + "def broken(:\n"
    write_skill(tmp_path, "big-script", scripts__gen_py="")
    script = tmp_path / "big-script" / "scripts" / "gen.py"
    script.write_text(body)
    found = lint(tmp_path, rules={"SK401": {"max-bytes": 1000}, "SK402": {"max-bytes": 1000}})
    assert [d.code for d in found] == ["SK402"]
    # under the limit, the syntax error is found at its real line and column
    found = lint(tmp_path)
    assert [(d.code, d.line) for d in found] == [("SK401", 301)]
    assert found[0].path == script


def test_sk401_reports_null_bytes(tmp_path: Path) -> None:
    write_skill(tmp_path, "nul-script")
    (tmp_path / "nul-script" / "tool.py").write_bytes(b"print(1)\0\n")
    found = lint(tmp_path)
    assert [d.code for d in found] == ["SK401"]


def test_sk001_maps_the_loader_problem(tmp_path: Path) -> None:
    # Root can read everything, so also check the mapping from the loader's problem directly.
    from skillkit.config import Config
    from skillkit.lint.linter import lint_skills
    from skillkit.model import Problem, Skill

    path = tmp_path / "x" / "SKILL.md"
    skill = Skill(tmp_path / "x", path, problems=(Problem("unreadable", "cannot read", path),))
    found = lint_skills([skill], Config(root=tmp_path))
    assert [(d.code, d.message) for d in found] == [("SK001", "cannot read")]
