"""`license` or `allowed-tools` is not a string.

Why: the spec defines both as strings: `license` names a license (or a bundled license
file) and `allowed-tools` is a space-delimited list of tool names. Agents that expect a
string may ignore or reject other shapes.

Bad: `allowed-tools: [Read, Bash]`. Good: `allowed-tools: Read Bash`.

Fix: write the value as a single string.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import schema_findings
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK106"
NAME = "invalid-field-type"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from schema_findings(
        skill,
        ctx,
        lambda v: v.field in ("license", "allowed-tools") and len(v.path) == 1,
        lambda v: f"'{v.field}' {v.message}",
    )
