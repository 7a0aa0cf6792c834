"""The skill tells the agent to use a deprecated AWS MCP Server tool (`call_aws`).

Why: `call_aws` is deprecated (2026-07-15); skills that still name it break when it is
removed. `run_script` with `call_boto3` (PascalCase operation names) does the same job and
batches many calls into one.

Bad: "Use the `call_aws` tool to run `aws s3 ls`." Good: "Use `run_script` with
`call_boto3(service_name='s3', operation_name='ListBuckets')`."

Fix: move the instructions to `run_script`.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK707"
NAME = "deprecated-mcp-tool"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    from skillkit.iam import checks

    for use in checks.written(skill).tools:
        yield ctx.diagnostic(
            f"{use.action} is deprecated (2026-07-15): use run_script with call_boto3",
            use.path,
            use.line,
            use.column,
        )
