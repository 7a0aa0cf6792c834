"""The catalog's skills list (L1) costs more tokens than its budget.

Why: every conversation pays for the `<available_skills>` block that lists each skill's name,
description and location, whether or not any skill is used. The limit is
`catalog-l1-tokens` in `[tool.skillkit.budgets]` (default 20,000), counted with the
configured `encoding` on the whole block as the reference implementation renders it (see
`skillkit tokens`). The finding points at the description of the skill with the largest
entry, the first place to cut.

Bad: hundreds of skills with paragraph-long descriptions in one catalog.
Good: short descriptions, overlapping skills merged, rarely used skills in a separate catalog.

Fix: shorten the longest descriptions, merge overlapping skills, or split the catalog so an
agent loads only the skills it needs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill
from skillkit.tokens import skill_entry
from skillkit.tokens.budget import over
from skillkit.tokens.levels import cached_count, catalog_counts

CODE = "SK505"
NAME = "catalog-l1-tokens"
SEVERITY = Severity.WARNING


def check_tree(skills: Sequence[Skill], ctx: RuleContext) -> Iterator[Diagnostic]:
    # `text`, not `raw`: `skillkit lint` hands tree rules stand-ins that keep only the
    # frontmatter text; a skill whose SKILL.md could not be read has neither.
    listed = [s for s in skills if s.text]
    if not listed:
        return
    budget = ctx.config.budgets.catalog_l1_tokens
    encoding = ctx.config.encoding
    total, lines = catalog_counts(listed, encoding)
    if total <= budget:
        return
    # An entry line is its entry and one newline: the same extra for every entry, so the
    # largest line is the largest entry. Its count is the entry's own, as `skillkit tokens`
    # shows it.
    _, largest = max(zip(lines, listed, strict=True), key=lambda c: (c[0], str(c[1].root)))
    l1 = cached_count(skill_entry(largest), encoding)
    where = largest.frontmatter.location(("description",))
    yield ctx.at(
        over(f"the <available_skills> block of {len(listed):,} skills", total, budget)
        + f"; the largest entry is {largest.dir_name} ({l1:,} tokens)",
        largest.skill_md,
        where.value if where else None,
    )
