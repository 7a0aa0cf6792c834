"""The description costs more tokens than its budget.

The description is part of the L1 metadata that an agent lists for every skill in every
conversation, so each token is paid again and again. The limit is ``description-tokens`` in
``[tool.skillkit.budgets]`` (default 256), counted with the configured ``encoding``
(default ``cl100k_base``) on the description as an agent sees it (stripped of surrounding
blank space, before HTML escaping).

Fix: say what the skill does and when to use it in fewer words; move detail to the body.

```toml
[tool.skillkit.budgets]
description-tokens = 200
```
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.model import Skill
from skillkit.rules.base import RuleContext
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
    tokens = count_tokens(description, ctx.config.encoding)
    if tokens > budget:
        where = skill.frontmatter.location(("description",))
        yield ctx.at(
            over("the description", tokens, budget),
            skill.skill_md,
            where.value if where else None,
        )
