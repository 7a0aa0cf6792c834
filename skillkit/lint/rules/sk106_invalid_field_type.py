"""A frontmatter field has the wrong type (`license`, `allowed-tools`, or a target's field).

Why: the spec defines `license` and `allowed-tools` as strings: `license` names a license (or
a bundled license file) and `allowed-tools` is a space-delimited list of tool names. Agents
that expect a string may ignore or reject other shapes. The fields a selected target adds
(`targets` setting) are checked against that agent's types: Claude Code, for example, reads
`disable-model-invocation` as a boolean and accepts `allowed-tools` as a YAML list.

Bad: `allowed-tools: [Read, Bash]` (for the `agentskills` target),
`disable-model-invocation: "yes"`.
Good: `allowed-tools: Read Bash`, `disable-model-invocation: true`.

Fix: write the value in the field's type, or select the target whose agent reads it.
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
#: fields whose problems other rules report (SK101-SK105, SK109).
_OWN_RULES = ("", "name", "description", "compatibility", "metadata")


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from schema_findings(
        skill,
        ctx,
        lambda v: v.field not in _OWN_RULES and v.keyword != "additionalProperties",
        lambda v: f"'{'.'.join(map(str, v.path))}' {v.message}",
    )
