"""Headings of a body, from its outline (so ``#`` lines inside code are not headings)."""

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
    return [
        Heading(b.level, skill.file_line(b.first), b.text)
        for b in skill.outline
        if b.kind == "heading"
    ]
