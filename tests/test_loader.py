"""The loader: discovery, frontmatter positions, decoding and folder safety."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from skillkit import load_skill, load_skills
from skillkit.frontmatter import split


def write_skill(root: Path, name: str, text: str, files: dict[str, str] | None = None) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(text, encoding="utf-8")
    for rel, content in (files or {}).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return folder


SIMPLE = "---\nname: demo\ndescription: Does demo things. Use when demoing.\n---\n# Demo\n\nBody.\n"


def test_positions_point_at_values_in_the_file() -> None:
    text = '---\nname: foo\ndescription: "a: b"\nmetadata:\n  version: 1.0\n---\n# T\n'
    parts = split(text, Path("SKILL.md"))
    fm = parts.frontmatter
    assert fm.data == {"name": "foo", "description": "a: b", "metadata": {"version": 1.0}}
    for path, expected in [
        (("name",), "foo"),
        (("description",), '"a: b"'),
        (("metadata", "version"), "1.0"),
    ]:
        loc = fm.locations[path]
        assert text[loc.value.start : loc.value.end] == expected
        line_text = text.splitlines()[loc.value.line - 1]
        assert line_text[loc.value.column - 1 :].startswith(expected)
    version_key = fm.locations[("metadata", "version")].key
    assert version_key is not None and (version_key.line, version_key.column) == (5, 3)
    assert parts.body == "# T\n" and parts.body_line == 7
    assert text[parts.body_offset :] == parts.body


def test_nearest_ancestor_location_for_missing_paths() -> None:
    fm = split("---\nmetadata:\n  a: b\n---\n", Path("x")).frontmatter
    loc = fm.location(("metadata", "nope", 3))
    assert loc is not None and loc.value.line == 3


@pytest.mark.parametrize(
    ("text", "kind", "line"),
    [
        ("# no frontmatter\n", "frontmatter-missing", 1),
        ("---\nname: a\n", "frontmatter-unclosed", 1),
        ("---\nname: [a\n---\n", "yaml-syntax", 3),
        ("---\na: &x [1]\nb: *x\n---\n", "yaml-alias", 2),
        ("---\n- a\n---\n", "frontmatter-not-mapping", 2),
        ("---\nname: a\nname: b\n---\n", "duplicate-key", 3),
        ("---\nx: " + "[" * 50 + "]" * 50 + "\n---\n", "yaml-depth", 2),
    ],
)
def test_frontmatter_problems_have_kind_and_line(text: str, kind: str, line: int) -> None:
    problems = split(text, Path("SKILL.md")).problems
    assert [(p.kind, p.line) for p in problems] == [(kind, line)]


def test_yaml_bomb_is_refused_without_expanding() -> None:
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("---")
    parts = split("\n".join(lines) + "\n", Path("SKILL.md"))
    assert [p.kind for p in parts.problems] == ["yaml-alias"]
    assert parts.frontmatter.data == {}


def test_discovery_finds_nested_skills_and_honours_gitignore(tmp_path: Path) -> None:
    write_skill(tmp_path, "alpha", SIMPLE)
    write_skill(tmp_path / "group", "beta", SIMPLE)
    write_skill(tmp_path, "ignored", SIMPLE)
    write_skill(tmp_path / "node_modules", "dep", SIMPLE)
    (tmp_path / ".gitignore").write_text("ignored/\n")
    result = load_skills([tmp_path], exclude=["group/beta"])
    assert [s.root.name for s in result.skills] == ["alpha"]
    result = load_skills([tmp_path])
    assert sorted(s.root.name for s in result.skills) == ["alpha", "beta"]


def test_missing_path_and_no_skills_are_problems(tmp_path: Path) -> None:
    result = load_skills([tmp_path / "nope", tmp_path])
    assert [p.kind for p in result.problems] == ["missing-path", "no-skills"]


def test_bundled_files_are_categorised_and_nested_skills_kept_apart(tmp_path: Path) -> None:
    folder = write_skill(
        tmp_path,
        "demo",
        SIMPLE,
        {
            "references/a.md": "A",
            "scripts/x.py": "print(1)\n",
            "assets/t.json": "{}",
            "notes.txt": "n",
        },
    )
    write_skill(folder, "inner", SIMPLE)
    skill = load_skill(folder)
    assert [(f.relpath, f.category) for f in skill.files] == [
        ("assets/t.json", "assets"),
        ("notes.txt", "other"),
        ("references/a.md", "references"),
        ("scripts/x.py", "scripts"),
    ]
    assert skill.name == "demo" and skill.problems == ()
    assert skill.outline[0].kind == "heading"
    assert skill.file_line(skill.outline[0].first) == 5


def test_symlinks_out_of_the_folder_and_loops_are_problems(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    folder = write_skill(tmp_path, "demo", SIMPLE, {"references/ok.md": "ok"})
    os.symlink(outside, folder / "references" / "leak.md")
    os.symlink(folder / "references" / "ok.md", folder / "references" / "alias.md")
    os.symlink(folder / "loop1", folder / "loop2")
    os.symlink(folder / "loop2", folder / "loop1")
    skill = load_skill(folder)
    kinds = sorted(p.kind for p in skill.problems)
    assert kinds == ["path-escape", "symlink-loop", "symlink-loop"]
    assert [f.relpath for f in skill.files] == ["references/alias.md", "references/ok.md"]


def test_bom_and_invalid_utf8_are_located(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "SKILL.md").write_bytes(b"\xef\xbb\xbf" + SIMPLE.encode() + b"caf\xe9\n")
    skill = load_skill(folder)
    problems = {p.kind: p for p in skill.problems}
    assert set(problems) == {"bom", "encoding"}
    assert (problems["encoding"].line, problems["encoding"].column) == (8, 4)
    assert skill.name == "demo" and skill.has_bom


def test_oversized_and_unreadable_skill_md(tmp_path: Path) -> None:
    big = write_skill(tmp_path, "big", SIMPLE + "x" * 2000)
    skill = load_skill(big, max_file_size=1000)
    assert [p.kind for p in skill.problems] == ["too-large"] and skill.raw == b""
    odd = tmp_path / "odd"
    (odd / "SKILL.md").mkdir(parents=True)
    assert [p.kind for p in load_skill(odd).problems] == ["unreadable"]


def test_a_folder_with_only_a_mis_cased_skill_file_is_reported_not_skipped(tmp_path: Path) -> None:
    from skillkit.config import Config
    from skillkit.lint.linter import lint_paths

    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "SKILL.md").write_text("---\nname: good\ndescription: d\n---\n")
    (tmp_path / "quiet").mkdir()
    (tmp_path / "quiet" / "Skill.md").write_text("---\nname: quiet\ndescription: d\n---\n")
    for given in (tmp_path, tmp_path / "quiet" / "Skill.md"):
        result = lint_paths([given], Config(root=tmp_path))
        assert result.load.problems == []
        found = [(d.code, d.path.name) for d in result.diagnostics if d.code == "SK012"]
        assert found == [("SK012", "Skill.md")]
