"""A symlink inside the skill points outside the skill folder.

Why: a skill is copied, archived and served as one folder; a symlink to a file outside it
goes missing when the skill is installed elsewhere, or leaks files that were never meant to ship.

Bad: `references/guide.md -> ../../docs/guide.md`. Good: a real copy of the file.

Fix: replace the symlink by a copy of its target, or drop it.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import loader_problems
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK008"
NAME = "symlink-escape"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from loader_problems(skill, ctx, {"path-escape"})
