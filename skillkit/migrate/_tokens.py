"""Token counting for the report, through ``skillkit.tokens`` so numbers match ``skillkit tokens``.

L1 is the skill's ``<skill>`` entry as ``skillkit.tokens`` renders it for a loaded skill
(location ``<folder>/SKILL.md``); L2 is the whole SKILL.md text.
"""

from __future__ import annotations

from skillkit.tokens import count_tokens as _count
from skillkit.tokens.catalog import render_entry


def count_tokens(text: str) -> int:
    return _count(text)


def l1_tokens(name: str, description: str) -> int:
    """Tokens of one skill's entry in an agent's ``<available_skills>`` list (L1)."""
    return _count(render_entry(name.strip(), description.strip(), f"{name}/SKILL.md"))
