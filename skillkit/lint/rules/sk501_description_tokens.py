"""The description costs more tokens than its budget.

Why: the description is part of the L1 metadata that an agent lists for every skill in every
conversation, so each of its tokens is paid again and again, whether the skill is used or not.
The limit is `description-tokens` in `[tool.skillkit.budgets]` (default 256), counted with
the configured `encoding` (default `cl100k_base`) on the description as an agent sees it
(stripped of surrounding blank space, before HTML escaping). The finding points at the value.

Bad: a description that retells the whole procedure, lists every trigger phrase, or pastes
examples.
Good: `description: Extract text and tables from PDFs. Use when the user mentions PDF files.`

Fix: say what the skill does and when to use it in fewer words; move detail to the body. Or
raise the budget:

```toml
[tool.skillkit.budgets]
description-tokens = 300
```
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill
from skillkit.tokens import count_tokens
from skillkit.tokens.budget import over
from skillkit.tokens.catalog import skill_description

CODE = "SK501"
NAME = "description-tokens"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    description = skill_description(skill)
    if not description:
        return
    budget = ctx.config.budgets.description_tokens
    if len(description) <= budget and len(description.encode("utf-8", "surrogatepass")) <= budget:
        return  # a token is at least one byte: most descriptions are never encoded
    tokens = count_tokens(description, ctx.config.encoding)
    if tokens > budget:
        where = skill.frontmatter.location(("description",))
        yield ctx.at(
            over("the description", tokens, budget),
            skill.skill_md,
            where.value if where else None,
        )
