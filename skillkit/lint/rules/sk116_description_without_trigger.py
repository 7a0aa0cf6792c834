"""`description` says what the skill does but never when to use it.

Why: an agent picks skills by their description alone (L1). Without a trigger ("Use when…",
"when the user asks…", "Applies to…") it has to guess which requests the skill is for, and
either never loads it or loads it for the wrong ones. The spec asks for both the what and the
when.

Bad: `description: Toolkit for styling artifacts with a theme.`
Good: `description: Styles slides and docs with a theme. Use when the user asks for a themed
or branded artifact.`

Fix: add a sentence that says when to use the skill. Phrases counted as a trigger: *when*,
*whenever*, *use this/it for/to/if/…*, *if the user/you…*, *applies to*, *useful for*,
*trigger*, *invoke*, *activate* (in any case).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK116"
NAME = "description-without-trigger"
SEVERITY = Severity.WARNING

_TRIGGER = re.compile(
    r"\bwhen(?:ever)?\b"
    r"|\buse(?:d)?\s+(?:it\s+|this\s+|this\s+skill\s+)?"
    r"(?:for|to|if|on|with|after|before|during|in)\b"
    r"|\bif\s+(?:the\s+)?(?:user|you)\b"
    r"|\bapplies\s+to\b|\b(?:useful|relevant|meant|intended)\s+(?:for|when)\b"
    r"|\btrigger|\binvok|\bactivat",
    re.IGNORECASE,
)


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    description = skill.description
    if not description or not description.strip() or _TRIGGER.search(description):
        return  # a missing or empty description is SK101/SK104's finding
    loc = skill.frontmatter.location(("description",))
    yield ctx.at(
        "the description says what the skill does but not when to use it: add a trigger "
        "such as 'Use when the user asks …'",
        skill.skill_md,
        loc.value if loc else None,
    )
