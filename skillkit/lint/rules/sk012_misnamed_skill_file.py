"""The skill file is named `skill.md` (or another casing), not `SKILL.md`.

Why: agents find skills by the exact name `SKILL.md`. On a case-insensitive file system
(macOS, Windows) the folder seems to work; on Linux, in containers and in CI it is not a
skill at all, and nothing says so. skillkit reports the folder instead of skipping it.

Bad: `pdf-tools/skill.md`. Good: `pdf-tools/SKILL.md`.

Fix: rename the file (`git mv skill.md SKILL.md`; on a case-insensitive file system rename
through a temporary name).
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import loader_problems
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK012"
NAME = "misnamed-skill-file"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from loader_problems(skill, ctx, {"misnamed-skill-file"})
