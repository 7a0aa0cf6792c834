"""What the AWS rules (SK701-SK706) share: a finding at an entry of `metadata.aws-actions`."""

from __future__ import annotations

from skillkit.diagnostics import Diagnostic
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill


def at_declared(ctx: RuleContext, skill: Skill, column: int, message: str) -> Diagnostic:
    """A finding at character `column` (0-based) of the skill's `aws-actions` declaration."""
    from skillkit.iam import checks

    place = checks.declared_place(skill, column)
    return ctx.diagnostic(message, place.path, place.line, place.column)
