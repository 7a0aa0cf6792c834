"""`metadata.aws-actions` or `metadata.aws-runtime` does not follow its grammar.

Why: `skillkit iam policy` and the index read these fields; a malformed entry would silently
drop a permission. Grammar: `aws-actions` is comma-separated `service:Action` entries (a
trailing `?` marks an action needed only on some paths), at most 500; `aws-runtime` is
`local`, `run_script` or `both`.

Bad: `aws-actions: "S3:GetObject,, getobject"`, `aws-runtime: sandbox`.
Good: `aws-actions: "s3:GetObject, kms:Decrypt?"`, `aws-runtime: run_script`.

Fix: correct each entry a message points at.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._aws import at_declared
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK705"
NAME = "malformed-aws-declaration"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    from skillkit.iam import checks, declare

    found = checks.declaration(skill)
    if found is not None:
        for fault in found.faults:
            yield at_declared(ctx, skill, fault.column, f"metadata.aws-actions: {fault.message}")
    value = skill.metadata.get(declare.RUNTIME_FIELD)
    if isinstance(value, str) and value.strip() not in declare.RUNTIMES:
        loc = skill.frontmatter.location(("metadata", declare.RUNTIME_FIELD))
        yield ctx.at(
            f"metadata.aws-runtime: {value!r} is not one of {', '.join(declare.RUNTIMES)}",
            skill.skill_md,
            loc.value if loc else None,
        )
