"""A `call_boto3` call names an operation that is not PascalCase or not in botocore's model.

Why: `call_boto3(service_name=..., operation_name=...)` takes the API's PascalCase operation
name (`ListObjectsV2`, not `list_objects_v2` or `list-objects-v2`) and keyword arguments only;
anything else fails at run time, after the agent already spent the call. Checked against
botocore's service models, offline.

Only for skills whose `metadata.aws-runtime` is `run_script` or `both`.

Bad: `call_boto3(service_name="s3", operation_name="list_objects_v2")`.
Good: `call_boto3(service_name="s3", operation_name="ListObjectsV2")`.

Fix: use the name the message suggests.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._sandbox import sandbox_faults
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK414"
NAME = "invalid-call-boto3"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    return sandbox_faults(skill, ctx, CODE)
