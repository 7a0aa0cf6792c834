"""Headings of a body, from the markdown-it tokens (so ``#`` lines inside code are not headings)."""

from __future__ import annotations

from dataclasses import dataclass

from skillkit.lint.rules._helpers import per_skill
from skillkit.model import Skill


@dataclass(frozen=True)
class Heading:
    level: int
    line: int  # 1-based line in SKILL.md
    text: str


@per_skill
def headings(skill: Skill) -> list[Heading]:
    found: list[Heading] = []
    tokens = skill.lint_tokens
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.map is not None:
            text = tokens[i + 1].content if i + 1 < len(tokens) else ""
            found.append(Heading(int(token.tag[1:]), skill.file_line(token.map[0]), text))
    return found
