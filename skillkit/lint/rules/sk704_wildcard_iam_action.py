"""A declared or granted IAM action is a wildcard (`s3:*`, `s3:Get*`, `*`).

Why: a wildcard grants every action that matches today and every one AWS adds tomorrow,
which is the opposite of least privilege; `skillkit iam policy` never emits one. Deny
statements are not reported: denying broadly is safe.

Bad: `aws-actions: "s3:*"`. Good: `aws-actions: "s3:ListBucket, s3:GetObject"`.

Fix: list the actions the skill calls (`skillkit iam actions --infer` shows them).
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._aws import at_declared
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK704"
NAME = "wildcard-iam-action"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    from skillkit.iam import checks

    found = checks.declaration(skill)
    if found is not None:
        for entry in found.actions:
            if entry.wildcard:
                message = f"{entry.action} in metadata.aws-actions is a wildcard: list the actions"
                yield at_declared(ctx, skill, entry.column, message)
    for use in checks.written(skill).usages:
        if use.kind == "policy" and use.effect == "Allow" and "*" in use.action:
            yield ctx.diagnostic(
                f"policy grants the wildcard action {use.action}: list the actions",
                use.path,
                use.line,
                use.column,
            )
