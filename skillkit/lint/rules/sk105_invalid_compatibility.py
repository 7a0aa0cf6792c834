"""The `compatibility` field is not a string of at most 500 characters.

Why: the spec limits `compatibility` (which products, system packages or network access
the skill needs) to a short string that agents can show.

Bad: `compatibility: [claude-code, codex]`.
Good: `compatibility: Needs Python 3.11 and network access`.

Fix: write it as one short sentence.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import schema_findings
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK105"
NAME = "invalid-compatibility"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from schema_findings(
        skill,
        ctx,
        lambda v: v.field == "compatibility" and len(v.path) == 1,
        lambda v: f"'compatibility' {v.message}",
    )
