"""SKILL.md has no body: nothing after the frontmatter.

Why: the body holds the instructions an agent follows once it activates the skill (loading
level 2). A skill with only a name and a description teaches the agent nothing.

Bad: a SKILL.md that ends right after the closing `---`.
Good: a body with a title, when to use the skill, and step-by-step instructions.

Fix: write the instructions below the frontmatter.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK201"
NAME = "empty-body"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    fm = skill.frontmatter
    if not fm.present or fm.end_line == 0 or not skill.raw:
        return  # no frontmatter / unreadable: other rules say so
    if not skill.body.strip():
        yield ctx.diagnostic(
            "SKILL.md has no instructions after the frontmatter", skill.skill_md, fm.end_line, 1
        )
