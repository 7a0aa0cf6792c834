"""Differential test against the spec's reference validator (skills-ref).

Whatever ``skills_ref.validator.validate`` rejects, ``lint_paths`` must report as an ERROR:
on every corpus skill and on every hand-written case under tests/data/rules/. (We may be
stricter than skills-ref, never laxer.)
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from skills_ref.validator import validate

from skillkit.config import Config
from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.linter import lint_paths
from tests.rules_support import RULES_DATA


def _reference(folder: Path) -> list[str]:
    try:
        return list(validate(folder))
    except Exception as exc:  # skills-ref crashes on some bad input (non-UTF-8): a rejection
        return [f"skills-ref raised {type(exc).__name__}: {exc}"]


def _errors_by_skill(tree: Path) -> tuple[list[Path], dict[Path, list[Diagnostic]]]:
    result = lint_paths([tree], Config(root=tree))
    errors: dict[Path, list[Diagnostic]] = defaultdict(list)
    for d in result.diagnostics:
        if d.severity is Severity.ERROR:
            owner = max(
                (s.root for s in result.skills if d.path.is_relative_to(s.root)),
                key=lambda r: len(r.parts),
            )
            errors[owner].append(d)
    return [s.root for s in result.skills], errors


def _disagreements(tree: Path) -> tuple[int, int, list[str]]:
    roots, errors = _errors_by_skill(tree)
    rejected = 0
    missed = []
    for root in roots:
        theirs = _reference(root)
        if theirs:
            rejected += 1
            if not errors.get(root):
                missed.append(f"{root}: skills-ref says {theirs}, skillkit reports no error")
    return len(roots), rejected, missed


def test_rule_cases_agree_with_skills_ref(tmp_path: Path) -> None:
    tree = tmp_path / "rules"
    shutil.copytree(RULES_DATA, tree, symlinks=True)
    total, rejected, missed = _disagreements(tree)
    assert missed == []
    assert total >= 60 and rejected >= 25  # the oracle really was exercised


@pytest.mark.corpus
def test_corpus_agrees_with_skills_ref(corpus_skills: Path) -> None:
    total, rejected, missed = _disagreements(corpus_skills)
    assert missed == []
    assert total == len(list(corpus_skills.rglob("SKILL.md")))
    assert rejected >= 1


@pytest.mark.corpus
def test_every_corpus_skill_lints_without_an_exception(corpus_skills: Path) -> None:
    for skill_md in sorted(corpus_skills.rglob("SKILL.md")):
        result = lint_paths([skill_md.parent], Config(root=skill_md.parent))
        assert result.skills and all(d.line >= 1 and d.column >= 1 for d in result.diagnostics)
