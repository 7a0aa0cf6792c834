"""Inline suppressions: disable / enable / disable-next-line / disable-file, and SK901."""

from __future__ import annotations

from pathlib import Path

from skillkit.config import Config
from skillkit.lint.linter import lint_paths
from tests.rules_support import lint, write_skill

HEAD = "---\nname: {name}\ndescription: Does a thing. Use when the thing is needed.\n---\n"


def _skill(tmp_path: Path, body: str, name: str = "quiet") -> Path:
    write_skill(tmp_path, name, HEAD.format(name=name) + body)
    return tmp_path


def _found(tmp_path: Path, **config: object) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in lint(tmp_path, **config)]


def test_disable_until_enable(tmp_path: Path) -> None:
    body = (
        "# A\n\n"  # 5
        "<!-- skillkit: disable SK203 -->\n\n"  # 7
        "# B\n\n"  # 9
        "<!-- skillkit: enable multiple-h1 -->\n\n"  # 11
        "# C\n"  # 13
    )
    assert _found(_skill(tmp_path, body)) == [("SK203", 13)]


def test_disable_to_end_of_file(tmp_path: Path) -> None:
    body = "# A\n\n<!-- skillkit: disable SK203 -->\n\n# B\n\n# C\n"
    assert _found(_skill(tmp_path, body)) == []


def test_disable_next_line_by_code_and_name(tmp_path: Path) -> None:
    body = (
        "# A\n\n"
        "<!-- skillkit: disable-next-line SK301, SK303 -->\n"  # 7
        "See [x](references/missing.md) and `scripts/missing.py`.\n"  # 8
        "<!-- skillkit: disable-next-line broken-link -->\n"  # 9
        "See [y](references/missing2.md).\n"  # 10
        "See [z](references/missing3.md).\n"  # 11
    )
    assert _found(_skill(tmp_path, body)) == [("SK301", 11)]


def test_disable_file_anywhere_covers_frontmatter_findings(tmp_path: Path) -> None:
    text = (
        '---\nname: quiet\ndescription: Does a thing.\nmetadata:\n  version: "1"\n---\n'
        "# A\n\n### skipped\n\n<!-- skillkit: disable-file SK110 SK202 -->\n"
    )
    write_skill(tmp_path, "quiet", text)
    assert _found(tmp_path) == []


def test_unused_and_unknown_suppressions(tmp_path: Path) -> None:
    body = (
        "# A\n\n"
        "<!-- skillkit: disable-next-line SK301 -->\n"  # 7: nothing on line 8
        "Plain text.\n\n"
        "<!-- skillkit: disable SK999 -->\n"  # 10: unknown
        "<!-- skillkit: disable-file -->\n"  # 11: names no rule
        "<!-- skillkit: disable-file SK203 -->\n"  # 12: used below
        "\n# B\n"
    )
    found = lint(_skill(tmp_path, body))
    assert [(d.code, d.line) for d in found] == [("SK901", 7), ("SK901", 10), ("SK901", 11)]
    assert "SK999" in found[1].message and "unused" in found[0].message
    assert "names no rule" in found[2].message


def test_unused_only_for_selected_rules(tmp_path: Path) -> None:
    body = "# A\n\n<!-- skillkit: disable-next-line SK301 -->\nPlain text.\n"
    root = _skill(tmp_path, body)
    assert _found(root) == [("SK901", 7)]
    assert _found(root, ignore=("SK301",)) == []
    assert _found(root, ignore=("SK901",)) == []


def test_sk901_can_itself_be_suppressed(tmp_path: Path) -> None:
    body = "# A\n\n<!-- skillkit: disable-file SK901 SK301 -->\n"
    assert _found(_skill(tmp_path, body)) == []


def test_examples_in_code_are_not_directives(tmp_path: Path) -> None:
    body = (
        "# A\n\n"
        "```markdown\n<!-- skillkit: disable-file SK203 -->\n```\n\n"
        "Inline: `<!-- skillkit: disable-file SK203 -->`.\n\n"
        "    <!-- skillkit: disable-file SK203 -->\n\n"
        "# B\n"
    )
    assert _found(_skill(tmp_path, body)) == [("SK203", 15)]


def test_inline_comment_in_a_paragraph(tmp_path: Path) -> None:
    body = "# A\n\nSome text <!-- skillkit: disable-next-line SK301 -->\n[x](references/nope.md)\n"
    assert _found(_skill(tmp_path, body)) == []


def test_tree_rule_suppression_and_unused(tmp_path: Path) -> None:
    write_skill(
        tmp_path / "a",
        "dup",
        HEAD.format(name="dup") + "# A\n\n<!-- skillkit: disable-file SK601 -->\n",
    )
    write_skill(tmp_path / "b", "dup")
    found = lint(tmp_path)
    assert [(d.code, d.path.parent.parent.name) for d in found] == [("SK601", "b")]
    # once the duplicate is gone the suppression is stale
    (tmp_path / "b" / "dup" / "SKILL.md").unlink()
    (tmp_path / "b" / "dup").rmdir()
    found = lint(tmp_path)
    assert [(d.code, d.line) for d in found] == [("SK901", 7)]


def test_suppression_in_a_bundled_markdown_file(tmp_path: Path) -> None:
    # Findings that point at another Markdown file honour that file's own comments.
    from skillkit.diagnostics import Diagnostic, Severity
    from skillkit.lint.suppressions import SkillSuppressions

    folder = write_skill(tmp_path, "refs")
    guide = folder / "references" / "guide.md"
    guide.parent.mkdir()
    guide.write_text("# G\n\n<!-- skillkit: disable-next-line SK203 -->\n# H\n")
    result = lint_paths([tmp_path], Config(root=tmp_path))
    hit = Diagnostic("SK203", "multiple-h1", Severity.WARNING, "m", guide, 4)
    other = Diagnostic("SK203", "multiple-h1", Severity.WARNING, "m", guide, 1)
    sup = SkillSuppressions(result.skills[0])
    assert sup.filter([hit, other]) == [other]


def test_tree_suppressions_on_stand_ins(tmp_path: Path) -> None:
    # `skillkit lint` hands tree rules stand-ins that keep a body only when it holds
    # suppression comments: built from the skill just linted, or from its cache entry.
    from skillkit.lint.run import run_lint

    write_skill(
        tmp_path / "a",
        "dup",
        HEAD.format(name="dup") + "# A\n\n<!-- skillkit: disable-file SK601 -->\n",
    )
    write_skill(tmp_path / "b", "dup")
    config = Config(root=tmp_path)
    cache = tmp_path / ".cache"

    def tree_findings() -> tuple[list[tuple[str, str]], int]:
        result = run_lint([tmp_path], config, cache_dir=cache, jobs=1)
        return [(d.code, d.path.parent.parent.name) for d in result.diagnostics], result.cache_hits

    assert tree_findings() == ([("SK601", "b")], 0)
    # b changes, so the tree rules run again with a from the cache
    b_md = tmp_path / "b" / "dup" / "SKILL.md"
    b_md.write_text(b_md.read_text() + "\nMore.\n")
    assert tree_findings() == ([("SK601", "b")], 1)


def test_fix_removes_unused_suppressions(tmp_path: Path) -> None:
    from skillkit.lint.fixes import fix_paths

    body = (
        "# A\n\n"
        "<!-- skillkit: disable-next-line SK301 -->\n"  # unused: the whole line goes
        "Plain text.\n\n"
        "<!-- skillkit: disable-file SK203, SK999, skipped-heading-level -->\n"  # SK203 used
        "Text <!-- skillkit: disable-file SK202 --> stays.\n\n"
        "# B\n"
    )
    root = _skill(tmp_path, body)
    assert [d.code for d in lint(root)] == ["SK901"] * 4
    fix_paths([root], Config(root=root))
    text = (root / "quiet" / "SKILL.md").read_text()
    assert text == HEAD.format(name="quiet") + (
        "# A\n\nPlain text.\n\n<!-- skillkit: disable-file SK203 -->\nText  stays.\n\n# B\n"
    )
    assert lint(root) == []


def test_unused_tree_suppression_on_stand_ins(tmp_path: Path) -> None:
    from skillkit.lint.run import run_lint

    body = "# A\n\n<!-- skillkit: disable-file SK601 -->\n"
    write_skill(tmp_path / "x", "alone", HEAD.format(name="alone") + body)
    write_skill(tmp_path / "y", "other")
    config = Config(root=tmp_path)
    cache = tmp_path / ".cache"
    first = run_lint([tmp_path], config, cache_dir=cache, jobs=1)
    assert [(d.code, d.line) for d in first.diagnostics] == [("SK901", 7)]
    other = tmp_path / "y" / "other" / "SKILL.md"
    other.write_text(other.read_text() + "\nMore.\n")
    again = run_lint([tmp_path], config, cache_dir=cache, jobs=1)
    assert again.cache_hits == 1  # "alone" is a stand-in rebuilt from its cache entry
    assert [(d.code, d.line) for d in again.diagnostics] == [("SK901", 7)]
