"""Helpers for the IAM tests: parliament with the AWS MCP Server's global condition keys."""

from __future__ import annotations

import json
from typing import Any

#: the two global keys AWS added with the MCP Server; parliament's table predates them
MCP_GLOBAL_KEYS = {"aws:ViaAWSMCPService": "Bool", "aws:CalledViaAWSMCP": "String"}


#: parliament's group for remarks on what the permissions allow together (a lifecycle rule can
#: expire objects that s3:DeleteObject would not): the skill's needs, not flaws of the policy.
NEEDS_GROUP = "LOGICAL_INCONSISTANCY"


def parliament_findings(document: dict[str, Any]) -> list[str]:
    """parliament's findings for a policy document (empty: it passes), but for remarks on
    what the granted actions allow together (`NEEDS_GROUP`)."""
    import parliament
    from parliament import statement

    statement.GLOBAL_CONDITION_KEYS.update(MCP_GLOBAL_KEYS)
    policy = parliament.analyze_policy_string(json.dumps(document))
    return [
        f"{f.issue}: {f.detail}"
        for f in policy.findings
        if parliament.config.get(f.issue, {}).get("group") != NEEDS_GROUP
    ]
