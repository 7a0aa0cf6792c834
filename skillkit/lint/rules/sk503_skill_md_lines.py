"""SKILL.md is longer than its line budget.

Why: agents load the whole SKILL.md on activation; the field's guidance is to keep it under 500
lines. The limit is `skill-md-lines` in `[tool.skillkit.budgets]` (default 500). The finding
points at the first line over the budget.

Bad: a 900-line SKILL.md.
Good: a SKILL.md of a few hundred lines that links to `references/` for the rest.

Fix: move detail to files under `references/` and link to them from the body.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill
from skillkit.tokens.budget import over

CODE = "SK503"
NAME = "skill-md-lines"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    if not skill.text:
        return
    budget = ctx.config.budgets.skill_md_lines
    # Lines as an editor numbers them: a final newline does not start another line.
    lines = skill.text.count("\n") + (0 if skill.text.endswith("\n") else 1)
    if lines > budget:
        yield ctx.diagnostic(over("SKILL.md", lines, budget, "lines"), skill.skill_md, budget + 1)
