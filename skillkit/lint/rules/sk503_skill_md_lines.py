"""The body of SKILL.md is longer than its line budget.

Why: agents load the whole SKILL.md on activation; the field's guidance is to keep the body
under 500 lines (the frontmatter is not counted: it is metadata, paid for at L1). The limit
is `skill-md-lines` in `[tool.skillkit.budgets]` (default 500). The finding points at the
first body line over the budget.

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
    body = skill.body
    if not body:
        return
    budget = ctx.config.budgets.skill_md_lines
    # Lines as an editor numbers them: a final newline does not start another line.
    lines = body.count("\n") + (0 if body.endswith("\n") else 1)
    if lines > budget:
        yield ctx.diagnostic(
            over("the SKILL.md body", lines, budget, "lines"),
            skill.skill_md,
            skill.body_line + budget,
        )
