"""SKILL.md costs more tokens than its budget.

Why: the whole SKILL.md is loaded when an agent activates the skill (L2), so a long one crowds
out the task it is meant to help with. The limit is `skill-md-tokens` in
`[tool.skillkit.budgets]` (default 5,000), counted with the configured `encoding` (default
`cl100k_base`). The finding points at the line on which the budget is crossed.

Bad: a SKILL.md that inlines a full API reference, long examples and troubleshooting tables.
Good: a SKILL.md with the core procedure that links to `references/api.md` ("read when you
need the exact parameters").

Fix: keep the core procedure in SKILL.md and move detail to files under `references/` that
the body links to; they are read only on demand (L3).
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill
from skillkit.tokens.budget import check_budget, over

CODE = "SK502"
NAME = "skill-md-tokens"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    if not skill.raw:
        return  # unreadable or too large: reported by SK001/SK002
    budget = ctx.config.budgets.skill_md_tokens
    if len(skill.raw) <= budget:
        return  # a token is at least one byte: this file cannot be over budget
    encoding = ctx.config.encoding
    tokens, line = check_budget(skill.text, budget, encoding)
    if line is not None:
        yield ctx.diagnostic(
            over("SKILL.md", tokens, budget) + f" (crossed on line {line})",
            skill.skill_md,
            line,
        )
