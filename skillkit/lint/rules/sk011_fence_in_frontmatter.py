"""A frontmatter value contains `---`.

Why: many agents (and the spec's reference validator) find the frontmatter by splitting the
file at the first `---` anywhere, not at a `---` line; a value such as `a --- b` then
cuts the frontmatter short, so the skill's description is truncated or does not parse at all.

Bad: `description: "Reports --- with charts"`.
Good: `description: "Reports, with charts"` (or an em dash `—`).

Fix: rewrite the value without three hyphens in a row.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity, offset_to_position
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK011"
NAME = "fence-in-frontmatter"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    fm = skill.frontmatter
    if not fm.present or fm.end_line == 0:
        return
    at = skill.text.find("---", fm.yaml_start, fm.yaml_end)
    if at < 0:
        return
    line, column = offset_to_position(skill.text, at)
    yield ctx.diagnostic(
        "'---' inside the frontmatter: parsers that split at the first '---' (including the "
        "reference validator) end the frontmatter here",
        skill.skill_md,
        line,
        column,
    )
