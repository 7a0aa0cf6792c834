"""A run_script script imports a network library or an AWS SDK on the sandbox path.

Why: the sandbox has no network; its only ways out are the predefined `call_boto3` (AWS API
calls, PascalCase operation names) and `make_request` (SigV4-signed HTTP). `boto3`,
`requests`, `urllib`, `socket`, `http.client` and the like fail there.

Only for skills whose `metadata.aws-runtime` is `run_script` or `both`, on the sandbox path
(see SK411).

Bad: `import boto3` at module level.
Good: `await call_boto3(service_name="s3", operation_name="ListObjectsV2", params={...})`,
with boto3 imported only inside the local `__main__` driver.

Fix: use `call_boto3` / `make_request` on the sandbox path.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._sandbox import sandbox_faults
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK412"
NAME = "network-import-in-sandbox"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    return sandbox_faults(skill, ctx, CODE)
