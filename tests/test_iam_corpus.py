"""SK701 on the real skills of the shared corpus, checked against an independent oracle:
parliament's own IAM database. Nothing here lists the actions to find."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from skillkit.iam import catalog
from skillkit.iam.infer import scan_skill
from skillkit.loader import load_skills
from tests.rules_support import lint

SUPPRESS = "<!-- skillkit: disable-file SK701 -->\n"


def _parliament_knows(action: str) -> bool:
    import parliament

    try:
        return bool(parliament.expand_action(action))
    except Exception:  # parliament raises for unknown prefixes and actions
        return False


def _teaching_skill(tree: Path) -> Path:
    """The corpus skill that teaches IAM policy writing: its examples are wrong on purpose."""
    [found] = [p.parent for p in tree.rglob("SKILL.md") if p.parent.name == "aws-iam"]
    return found


@pytest.mark.corpus
def test_sk701_finds_what_an_independent_iam_database_rejects(
    corpus_skills: Path, tmp_path: Path
) -> None:
    tree = tmp_path / "skills"
    shutil.copytree(corpus_skills, tree)
    teaching = _teaching_skill(tree)
    # the author's way to keep wrong-on-purpose examples: a suppression comment per file
    for page in teaching.rglob("*.md"):
        if page.name != "SKILL.md":
            page.write_text(SUPPRESS + page.read_text(encoding="utf-8"), encoding="utf-8")
    found = [d for d in lint(tree, select=("SK701",)) if d.code == "SK701"]
    flagged = {d.message.split(" ", 1)[0] for d in found}
    print(f"\nSK701: {len(found)} findings, {len(flagged)} distinct actions: {sorted(flagged)}")
    assert found, "the corpus has real unknown actions"
    assert not [d for d in found if teaching in d.path.parents]
    # differential: whatever SK701 rejects, parliament's independent database rejects too
    assert [a for a in flagged if _parliament_knows(a)] == []
    # and a CLI prefix used as an IAM prefix gets the real one suggested
    assert any("did you mean bedrock:Retrieve" in d.message for d in found)


@pytest.mark.corpus
def test_every_named_action_is_judged_alike_by_both_databases(corpus_skills: Path) -> None:
    """Over every action the corpus names (policies and prose), ours rejects a subset of what
    parliament's older database rejects: the rest are services newer than parliament's."""
    named: set[str] = set()
    for skill in load_skills([corpus_skills]).skills:
        named |= {
            u.action
            for u in scan_skill(skill).usages
            if u.kind in ("policy", "prose") and "*" not in u.action
        }
    ours = {a for a in named if catalog.action(a) is None}
    theirs = {a for a in named if not _parliament_knows(a)}
    print(
        f"\n{len(named)} actions named; unknown to skillkit: {len(ours)}, "
        f"to parliament: {len(theirs)}"
    )
    assert ours <= theirs
    assert ours
