"""`name` contains a reserved word (`claude` or `anthropic`).

Why: Claude refuses to upload a skill whose name contains `claude` or `anthropic` (they are
reserved for Anthropic's own skills), so such a skill cannot be shared through Claude.ai or
the API even though other agents would load it. Not a rule of the open spec, so a warning.

Bad: `name: claude-helper`, `name: anthropic-api-guide`.
Good: `name: api-helper`, `name: messages-api-guide`.

Fix: rename the skill (and its folder) without the reserved word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK114"
NAME = "reserved-word-in-name"
SEVERITY = Severity.WARNING
#: Claude's check is a substring match: `claudette` is refused as well.
_RESERVED = re.compile(r"claude|anthropic", re.IGNORECASE)


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    name = skill.name
    if name is None:
        return
    m = _RESERVED.search(name)
    if m is None:
        return
    loc = skill.frontmatter.location(("name",))
    yield ctx.at(
        f"name {name!r} contains the reserved word {m.group().lower()!r}: Claude refuses to "
        "upload it",
        skill.skill_md,
        loc.value if loc else None,
    )
