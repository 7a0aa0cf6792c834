"""The skill uses an AWS action that `metadata.aws-actions` does not declare.

Why: admins grant what a skill declares (`skillkit iam policy`); an action the skill's
commands or scripts call but that is missing from the declaration fails with AccessDenied
under that policy. Uses are inferred offline from `aws …` commands, boto3 client calls and
`call_boto3(...)` calls (botocore's models map each to its IAM action; a small table covers
operations whose action differs, e.g. `ListObjectsV2` needs `s3:ListBucket`).

Only checked when the skill declares `aws-actions`. Policy JSON and prose are documentation,
not uses.

Bad: a script calling `list_objects_v2` with `aws-actions: "s3:GetObject"`.
Good: `aws-actions: "s3:ListBucket, s3:GetObject"`.

Fix: add the action (with `?` if only some paths need it).
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK702"
NAME = "undeclared-aws-action"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    from skillkit.iam import RUN_KINDS, catalog, checks

    pair = checks.declared_and_used(skill)
    if pair is None:
        return
    found, usages = pair
    names = [d.action for d in found.actions]
    reported: set[str] = set()
    for use in usages:
        key = use.action.lower()
        if use.kind not in RUN_KINDS or key in reported or checks.covers(names, use.action):
            continue
        if catalog.action(use.action) is None:
            continue
        reported.add(key)
        yield ctx.diagnostic(
            f"{use.action} is used ({use.evidence}) but not declared in metadata.aws-actions",
            use.path,
            use.line,
            use.column,
        )
