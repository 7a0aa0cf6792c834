"""An action in `metadata.aws-actions` is never used by the skill.

Why: every declared action ends up in the policy admins grant; one the skill never needs
widens it for nothing. Checked only when the skill's commands or scripts show at least one
AWS use (otherwise skillkit cannot see how the skill works); a policy JSON block that grants
the action counts as a use.

Bad: `aws-actions: "s3:ListBucket, s3:DeleteObject"` for a skill that only lists.
Good: `aws-actions: "s3:ListBucket"`.

Fix: remove the action, or mark it `?` and keep it if a path skillkit cannot see needs it
(then suppress this finding).
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._aws import at_declared
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK703"
NAME = "unused-aws-action"
SEVERITY = Severity.INFO


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    from skillkit.iam import RUN_KINDS, checks

    pair = checks.declared_and_used(skill)
    if pair is None:
        return
    found, usages = pair
    if not any(u.kind in RUN_KINDS for u in usages):
        return
    used = {u.action.lower() for u in usages if u.kind in (*RUN_KINDS, "policy")}
    for entry in found.actions:
        if entry.wildcard or entry.action.lower() in used or not checks.exists(entry.action):
            continue
        message = (
            f"{entry.action} is declared in metadata.aws-actions but no command or call of "
            "the skill uses it"
        )
        yield at_declared(ctx, skill, entry.column, message)
