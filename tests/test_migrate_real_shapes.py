"""Shapes seen in real SOPs (strands-agents/agent-sop and others), each rebuilt as a small SOP
of our own: the migrated skills stay lossless, valid and readable."""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path

from tests.conftest import DATA
from tests.migrate_support import assert_valid_tree, run

SOPS = DATA / "sops"
_HEADING = re.compile(r"^(#{1,6}) ", re.MULTILINE)


def _migrate(tmp_path: Path, name: str, *args: str) -> tuple[Path, dict]:  # type: ignore[type-arg]
    out = tmp_path / "skills"
    result = run(SOPS / f"{name}.sop.md", "-o", out, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)["sops"]
    assert report["check"]["ok"], report["check"]
    assert_valid_tree(out)
    return out, report


def _empty_headings(markdown: str) -> list[str]:
    """Headings followed directly by a heading of the same or a higher level: nothing under
    them (a sub-heading whose content all moved elsewhere)."""
    found = []
    lines = [line for line in markdown.splitlines() if line.strip()]
    for line, after in pairwise(lines):
        this, nxt = _HEADING.match(line), _HEADING.match(after)
        if this and nxt and len(nxt.group(1)) <= len(this.group(1)):
            found.append(line)
    return found


def test_step_detail_keeps_its_sub_headings(tmp_path: Path) -> None:
    # A step with nested "####"/"#####" guideline sub-sections (eval.sop.md has these): when
    # the detail moves out, the body keeps only headings with content under them, and the
    # detail file keeps the sub-headings so its tables and commands still read in context.
    out, report = _migrate(tmp_path, "nested-guidelines", "--inline")
    skill = out / report["entry"]
    body = (skill / "SKILL.md").read_text()
    assert _empty_headings(body) == []
    assert "##### Offset Rule" in body and "You MUST store the offset only" in body
    assert "##### Reference Readings" not in body and "greenhousectl" not in body
    detail = (skill / "references" / "step-1.md").read_text()
    assert "##### Reference Readings" in detail and "| 480 | 50 % |" in detail
    assert "##### Controller Commands" in detail and "greenhousectl sensor verify" in detail
    assert "##### Offset Rule" not in detail
    assert detail.index("#### Calibration Guidelines") < detail.index("##### Reference Readings")


def test_long_template_in_a_global_section_moves_out(tmp_path: Path) -> None:
    # code-task-generator.sop.md ends with a "Code Task Format Specification" section: one
    # MUST sentence and a long template plus a filled-in sample. The rule is global; the
    # template is needed only when writing. The rule stays in the body, the bulk moves.
    for mode in ("--inline", "--split"):
        out, report = _migrate(tmp_path / mode, "report-template", mode)
        skill = out / report["entry"]
        body = (skill / "SKILL.md").read_text()
        assert body.count("Every hive report MUST follow this layout") == 1
        assert "## Report Format" in body and "Varroa count" not in body
        assert "](references/report-format.md)" in body
        reference = (skill / "references" / "report-format.md").read_text()
        assert "Varroa count per 100 bees: [count]" in reference
        assert "### Filled-in Sample" in reference and "Hive 3: Orchard Row" in reference
        assert "MUST" not in reference


def test_part_skills_say_where_named_sections_are(tmp_path: Path) -> None:
    # code-assist.sop.md's steps end with "See [Mode Behavior](#mode-behavior)" and point at
    # "the Best Practices section"; after a split those sections live in the entry skill.
    out, report = _migrate(tmp_path, "report-template", "--split")
    entry = report["entry"]
    parts = [name for name in report["skill_names"] if name != entry]
    assert parts
    for part in parts:
        body = (out / part / "SKILL.md").read_text()
        assert f"The sections Report Format, Examples are in skill `{entry}`." in body


def test_links_to_sections_left_in_the_entry_skill_land_on_a_stub(tmp_path: Path) -> None:
    steps = "".join(
        f"### {n}. Stage {n}\n\nDo stage {n}; see [Mode Behavior](#mode-behavior).\n\n"
        f"**Constraints:**\n- You MUST finish stage {n} before the next one\n\n"
        for n in range(1, 4)
    )
    sop = tmp_path / "staged-work.sop.md"
    sop.write_text(
        "# Staged Work\n\n## Overview\n\nRuns work in stages.\n\n"
        "## Mode Behavior\n\nIn quiet mode, report only failures.\n\n"
        f"## Steps\n\n{steps}",
        encoding="utf-8",
    )
    out = tmp_path / "skills"
    result = run(sop, "-o", out, "--split", "--format", "json")
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)["sops"]
    parts = report["skill_names"][1:]
    assert parts
    for part in parts:
        body = (out / part / "SKILL.md").read_text()
        assert "## Mode Behavior\n\nThis section is in skill `staged-work`." in body
    assert_valid_tree(out)  # includes: no SK304 broken-anchor
