"""The ``<available_skills>`` block: what an agent's system prompt lists for every skill (L1).

Rendered exactly like the spec's reference implementation (``skills_ref.prompt.to_prompt``):
one element per line, name and description stripped and HTML-escaped, and a ``<location>``
with the path of the SKILL.md. Agents put an absolute path there, which differs between
machines; to keep counts reproducible skillkit uses ``<folder>/SKILL.md`` (see `skill_location`).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from skillkit.model import Skill

OPEN = "<available_skills>"
CLOSE = "</available_skills>"


def skill_location(skill: Skill) -> str:
    """The location shown for `skill`: its folder name and SKILL.md, the same on every machine."""
    return f"{skill.dir_name}/{skill.skill_md.name}"


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    # Non-string scalars (``description: 42``): the reference parser reads every scalar as text.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return None


def skill_name(skill: Skill) -> str:
    """The name an agent sees: the frontmatter's, or the folder's when there is none."""
    return (_text(skill.frontmatter.data.get("name")) or "").strip() or skill.dir_name


def skill_description(skill: Skill) -> str:
    """The description an agent sees: stripped of surrounding blank space, as the reference does."""
    return (_text(skill.frontmatter.data.get("description")) or "").strip()


def render_entry(name: str, description: str, location: str) -> str:
    """One ``<skill>…</skill>`` entry of the block."""
    return "\n".join(
        (
            "<skill>",
            "<name>",
            html.escape(name),
            "</name>",
            "<description>",
            html.escape(description),
            "</description>",
            "<location>",
            location,
            "</location>",
            "</skill>",
        )
    )


def skill_entry(skill: Skill, location: str | None = None) -> str:
    return render_entry(
        skill_name(skill), skill_description(skill), location or skill_location(skill)
    )


def entry_line(line: tuple[str, str, str]) -> str:
    """The entry for a `catalog_line` with the newline that follows it in the block (see
    `block_parts`)."""
    return render_entry(*line) + "\n"


def block_parts(lines: Sequence[str]) -> tuple[str, ...]:
    """The block cut into pieces whose token counts add up to the block's: the opening tag and
    its newline, each `entry_line`, and the closing tag.

    The block is those pieces joined, and every cut falls between a ``>\n`` and the ``<`` of the
    next tag, where the tokenizers' pre-tokenizers (the regex that splits text into pieces before
    BPE, which never merges across pieces) split anyway. So a catalog's total is the sum of
    per-entry counts, each of which can be cached: one changed skill recounts one entry. The
    tests check the sum against the block encoded whole.
    """
    return (f"{OPEN}\n", *lines, CLOSE)


def render_available_skills(entries: Sequence[tuple[str, str, str]]) -> str:
    """The block for ``(name, description, location)`` entries, as the reference renders it."""
    if not entries:
        return f"{OPEN}\n{CLOSE}"
    return "\n".join((OPEN, *(render_entry(n, d, loc) for n, d, loc in entries), CLOSE))


def catalog_line(skill: Skill) -> tuple[str, str, str]:
    """The (name, description, location) of `skill` in the block."""
    return skill_name(skill), skill_description(skill), skill_location(skill)


def catalog_block(skills: Sequence[Skill]) -> str:
    """The block listing `skills` with reproducible locations: what every conversation pays."""
    return render_available_skills([catalog_line(s) for s in skills])
