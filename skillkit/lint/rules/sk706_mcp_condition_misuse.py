"""A policy misuses the AWS MCP Server's context keys, or names its removed actions.

Why: `aws:ViaAWSMCPService` is a Bool (true for any request made through an AWS managed MCP
server) and `aws:CalledViaAWSMCP` a String (the server's service principal,
`aws-mcp.amazonaws.com` for the AWS MCP Server). A widely copied policy compares
`aws:CalledViaAWSMCP` to `"true"`: it never matches, so its Deny never applies. The old
`aws-mcp:InvokeMcp`, `CallReadOnlyTool` and `CallReadWriteTool` actions no longer have any
effect. Reported: a non-Bool operator on `aws:ViaAWSMCPService`, `aws:CalledViaAWSMCP`
compared to true/false or to a value that is not a `.amazonaws.com` principal, misspelt keys,
and the removed actions.

Bad: `"StringEquals": {"aws:CalledViaAWSMCP": "true"}`.
Good: `"Bool": {"aws:ViaAWSMCPService": "true"}` or
`"StringEquals": {"aws:CalledViaAWSMCP": "aws-mcp.amazonaws.com"}`.

Fix: as the message says.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._aws import at_declared
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK706"
NAME = "mcp-condition-misuse"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    from skillkit.iam import checks

    found = checks.declaration(skill)
    if found is not None:
        for entry in found.actions:
            if entry.service == "aws-mcp":
                message = (
                    f"{entry.action} no longer has any effect: declare the actions of the "
                    "services the skill calls"
                )
                yield at_declared(ctx, skill, entry.column, message)
    for block in checks.written(skill).policies:
        if block.document is None:
            continue
        for message, line, column in checks.mcp_faults(block):
            yield ctx.diagnostic(message, block.path, line, column)
