"""A least-privilege IAM policy for the actions a skill needs: one statement per resource type
(the catalog's ARN templates; ``*`` only where an action takes no resource), conditional
actions apart, no wildcard actions, and the AWS MCP Server condition."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from skillkit.errors import SkillkitError
from skillkit.iam import catalog

MCP_SERVICE_PRINCIPAL = "aws-mcp.amazonaws.com"
VIA_MCP = {
    "aws-mcp": {"StringEquals": {"aws:CalledViaAWSMCP": MCP_SERVICE_PRINCIPAL}},
    "any": {"Bool": {"aws:ViaAWSMCPService": "true"}},
    "none": None,
}
_VARIABLE = re.compile(r"\$\{([A-Za-z]+)\}")


@dataclass(frozen=True)
class Need:
    action: str
    optional: bool = False


@dataclass(frozen=True)
class PolicyResult:
    document: dict[str, Any]
    #: things the user should know (skipped entries, resources left open)
    notes: tuple[str, ...]


def _arn_pattern(template: str) -> re.Pattern[str]:
    parts = _VARIABLE.split(template)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(".*" if index == len(parts) - 2 else "[^:]*")
        else:
            out.append(re.escape(part))
    return re.compile("^" + "".join(out) + "$")


def _open_arn(template: str) -> str:
    return _VARIABLE.sub(lambda m: "aws" if m.group(1) == "Partition" else "*", template)


def _primary_types(info: catalog.ActionInfo) -> list[catalog.ResourceType]:
    """The simplest resource types an action takes (``bucket`` over ``accesspoint``); several
    when they tie (``iam:GenerateServiceLastAccessedDetails`` on a group, policy, role or user).
    """
    found = [catalog.resource_type(info.service, name) for name in info.resource_types]
    types = [t for t in found if t is not None]
    if not types:
        return []
    fewest = min(t.arn.count("${") for t in types)
    return sorted((t for t in types if t.arn.count("${") == fewest), key=lambda t: t.name)


def _resources_for(
    rtype: catalog.ResourceType, given: Sequence[str], used: set[str], notes: list[str]
) -> list[str]:
    """The given ARNs of this resource type, else its ARN pattern (noted)."""
    pattern = _arn_pattern(rtype.arn)
    arns = sorted(r for r in given if pattern.match(r))
    if not arns:
        # a child of a given parent: arn:aws:s3:::my-bucket -> arn:aws:s3:::my-bucket/*
        for parent in given:
            for cut in range(len(rtype.arn), 0, -1):
                head = rtype.arn[:cut]
                if rtype.arn[cut:].startswith("/") and _arn_pattern(head).match(parent):
                    arns.append(parent + _open_arn(rtype.arn[cut:]))
                    break
        arns = sorted(set(arns))
    used.update(a for a in given if a in arns or any(x.startswith(a + "/") for x in arns))
    if not arns:
        arns = [_open_arn(rtype.arn)]
        if given:
            notes.append(f"no --resource matches {rtype.arn}; granted on {arns[0]}")
    return arns


def _sid(*parts: str) -> str:
    return "".join(re.sub(r"[^A-Za-z0-9]", " ", p).title().replace(" ", "") for p in parts)


def build_policy(
    needs: Iterable[Need], *, via_mcp: str = "aws-mcp", resources: Sequence[str] = ()
) -> PolicyResult:
    """The policy document for `needs`; unknown or wildcard actions are left out, with a note."""
    if via_mcp not in VIA_MCP:
        raise SkillkitError(f"unknown --via-mcp {via_mcp!r} (expected aws-mcp, any or none)")
    notes: list[str] = []
    required: dict[str, catalog.ActionInfo] = {}
    optional: dict[str, catalog.ActionInfo] = {}
    for need in needs:
        if "*" in need.action:
            notes.append(f"{need.action}: wildcard actions are not granted; list the actions")
            continue
        info = catalog.action(need.action)
        if info is None:
            hint = catalog.suggest(need.action)
            extra = f" (did you mean {hint}?)" if hint else ""
            notes.append(f"{need.action}: not an IAM action in the catalog{extra}; left out")
            continue
        key = info.qualified
        if need.optional:
            if key not in required:
                optional[key] = info
        else:
            required[key] = info
            optional.pop(key, None)
    condition = VIA_MCP[via_mcp]
    statements: list[dict[str, Any]] = []
    used_resources: set[str] = set()
    for suffix, group in (("", required), ("Optional", optional)):
        buckets: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        types: dict[tuple[str, tuple[str, ...]], list[catalog.ResourceType]] = {}
        for info in group.values():
            rtypes = _primary_types(info)
            slot = (info.service, tuple(t.name for t in rtypes))
            buckets.setdefault(slot, []).append(info.qualified)
            types[slot] = rtypes
        for (service, names), granted in sorted(buckets.items()):
            arns: list[str] = []
            for rtype in types[(service, names)]:
                arns.extend(_resources_for(rtype, resources, used_resources, notes))
            resource: str | list[str] = (
                "*" if not arns else arns[0] if len(arns) == 1 else sorted(set(arns))
            )
            statement: dict[str, Any] = {
                "Sid": _sid(service, "-".join(names) or "any resource", suffix),
                "Effect": "Allow",
                "Action": sorted(granted),
                "Resource": resource,
            }
            if condition is not None:
                statement["Condition"] = condition
            statements.append(statement)
    if not statements:
        notes.append("no action to grant: the policy has no statement")
    for unused in sorted(set(resources) - used_resources):
        notes.append(f"--resource {unused} matches no resource type of these actions")
    return PolicyResult({"Version": "2012-10-17", "Statement": statements}, tuple(notes))
