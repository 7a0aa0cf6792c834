"""What the SK70x lint rules ask of the IAM stage, as plain data: where each declared entry
sits, whether an action exists (and the nearest one that does), MCP context-key misuse."""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from skillkit.iam import botomodel, catalog
from skillkit.iam.declare import ACTIONS_FIELD, Declaration, declared
from skillkit.iam.infer import Findings, Usage, scan_skill
from skillkit.iam.policyblocks import PolicyBlock, actions, conditions
from skillkit.model import Skill

VIA_KEY = "aws:ViaAWSMCPService"
CALLED_KEY = "aws:CalledViaAWSMCP"
#: real global keys that look like the MCP ones: not misspellings
_NEAR_KEYS = {"aws:calledvia", "aws:calledviafirst", "aws:calledvialast", "aws:viaawsservice"}
REMOVED_MCP_ACTIONS = ("aws-mcp:InvokeMcp", "aws-mcp:CallReadOnlyTool", "aws-mcp:CallReadWriteTool")
_REMOVED_LOWER = frozenset(a.lower() for a in REMOVED_MCP_ACTIONS) | {"aws-mcp:*"}


@dataclass(frozen=True)
class Place:
    path: Path
    line: int
    column: int


#: recent scans by skill identity and `runs`; the skill is kept so that its id is not reused
#: meanwhile
_SCANS: dict[tuple[int, bool], tuple[Skill, Findings]] = {}
_SCANS_KEPT = 64


def findings(skill: Skill) -> Findings:
    """The skill's uses of AWS, scanned once for all the rules that read them."""
    return _scan(skill, runs=True)


def written(skill: Skill) -> Findings:
    """What the skill writes down about AWS (policies, prose, tools). What it runs is looked
    for only when a rule will compare it (`declared_and_used`): few skills declare, so most
    lints skip the costliest half of the scan, and a declared skill is scanned once, in full
    (its policies, prose and tools are the same)."""
    held = _SCANS.get((id(skill), True))
    if held is not None and held[0] is skill:
        return held[1]
    return _scan(skill, runs=catalog.available() and declared(skill) is not None)


def _scan(skill: Skill, *, runs: bool) -> Findings:
    key = (id(skill), runs)
    held = _SCANS.get(key)
    if held is not None and held[0] is skill:
        return held[1]
    if len(_SCANS) >= _SCANS_KEPT:
        _SCANS.pop(next(iter(_SCANS)))
    found = scan_skill(skill, runs=runs)
    _SCANS[key] = (skill, found)
    return found


def declaration(skill: Skill) -> Declaration | None:
    return declared(skill)


def declared_and_used(skill: Skill) -> tuple[Declaration, list[Usage]] | None:
    """The declaration and the skill's uses, for comparing the two; None without a declaration
    or without the IAM catalog (the iam extra)."""
    if not catalog.available():
        return None
    found = declared(skill)
    if found is None:
        return None
    return found, findings(skill).usages


def declared_place(skill: Skill, column: int) -> Place:
    """Where the declaration's character `column` (0-based) is in SKILL.md."""
    loc = skill.frontmatter.location(("metadata", ACTIONS_FIELD))
    if loc is None:
        return Place(skill.skill_md, 1, 1)
    span = loc.value
    if span.line != span.end_line:
        return Place(skill.skill_md, span.line, span.column)
    quoted = skill.text[span.start : span.start + 1] in ("'", '"')
    return Place(skill.skill_md, span.line, span.column + column + (1 if quoted else 0))


# A skill names the same few actions over and over (every policy grants s3:GetObject), and a
# wildcard is matched against its whole service.
@lru_cache(maxsize=4096)
def exists(action: str) -> bool:
    """Whether an action, or a wildcard over one service's actions, names something real."""
    service, _, name = action.partition(":")
    if "*" in name:
        return (
            bool(catalog.matching(service, name))
            if name != "*"
            else (service.lower() in catalog.services())
        )
    return catalog.action(action) is not None


def suggestion(action: str) -> str | None:
    """The nearest real action: the catalog's, or through a CLI/SDK service name used as the
    IAM prefix (``elbv2:`` for ``elasticloadbalancing:``, ``s3api:`` for ``s3:``)."""
    service, _, name = action.partition(":")
    try:
        prefix = botomodel.service_prefix(botomodel.cli_service(service.lower()))
    except botomodel.ModelsMissing:
        prefix = None
    if prefix is not None and prefix != service.lower():
        mapped = f"{prefix}:{name}"
        if exists(mapped):
            found = catalog.action(mapped)
            return found.qualified if found else mapped
        close = catalog.suggest(mapped)
        if close:
            return close
    return catalog.suggest(action)


def covers(declared_actions: list[str], action: str) -> bool:
    lowered = action.lower()
    return any(fnmatch.fnmatchcase(lowered, d.lower()) for d in declared_actions)


def mcp_faults(block: PolicyBlock) -> Iterator[tuple[str, int, int]]:
    """(message, line, column) for each misuse of the MCP context keys or removed actions."""
    for item in actions(block):
        if item.value.lower() in _REMOVED_LOWER:
            yield (
                f"{item.value} no longer has any effect: condition on {VIA_KEY} (Bool) or "
                f"{CALLED_KEY} (the server's service principal) instead",
                item.line,
                item.column,
            )
    for operator, key, values, line, column in conditions(block):
        lowered = key.lower()
        base_op = operator.removeprefix("ForAnyValue:").removeprefix("ForAllValues:")
        base_op = base_op.removesuffix("IfExists")
        if lowered == VIA_KEY.lower():
            if base_op != "Bool":
                yield (
                    f"{VIA_KEY} is a Bool key: use the Bool operator, not {operator}",
                    line,
                    column,
                )
            elif any(v.lower() not in ("true", "false") for v in values):
                yield (f"{VIA_KEY} is true or false, not {values}", line, column)
        elif lowered == CALLED_KEY.lower():
            if base_op == "Bool" or any(v.lower() in ("true", "false") for v in values):
                yield (
                    f"{CALLED_KEY} holds the MCP server's service principal "
                    f"(aws-mcp.amazonaws.com), never 'true': this condition never matches; "
                    f"use {VIA_KEY} with Bool for 'any MCP server'",
                    line,
                    column,
                )
            elif any(not v.lower().endswith(".amazonaws.com") and "*" not in v for v in values):
                yield (
                    f"{CALLED_KEY} is compared to {values}: a service principal ends in "
                    ".amazonaws.com (aws-mcp.amazonaws.com for the AWS MCP Server)",
                    line,
                    column,
                )
        elif lowered.startswith("aws:") and lowered not in _NEAR_KEYS:
            close = difflib.get_close_matches(
                lowered, [VIA_KEY.lower(), CALLED_KEY.lower()], n=1, cutoff=0.8
            )
            if close:
                right = VIA_KEY if close[0] == VIA_KEY.lower() else CALLED_KEY
                yield (f"{key} is not a condition key: did you mean {right}?", line, column)
