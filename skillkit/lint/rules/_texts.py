"""The text of SKILL.md and of every bundled text file, for rules that scan all of a skill's text
(hidden characters, secrets). Not a rule: the registry loads only ``skNNN_*`` modules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from skillkit.lint.rules._helpers import per_skill
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill


@dataclass(frozen=True)
class Text:
    path: Path
    relpath: str
    text: str

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        return self.text.count("\n", 0, offset) + 1, offset - line_start + 1


def skill_texts(skill: Skill, ctx: RuleContext) -> list[Text]:
    """SKILL.md, then every bundled file that is UTF-8 text (no NUL byte) and no larger than
    `max-file-size`. Unreadable, binary, undecodable and oversized files are left out."""
    return _texts(skill, ctx.config.max_file_size)


@per_skill
def _read_texts(skill: Skill) -> dict[int, list[Text]]:
    return {}  # limit -> texts: one run has one limit, so this holds one entry


def _texts(skill: Skill, limit: int) -> list[Text]:
    memo = _read_texts(skill)
    if limit not in memo:
        memo[limit] = _load(skill, limit)
    return memo[limit]


def _load(skill: Skill, limit: int) -> list[Text]:
    found = [Text(skill.skill_md, "SKILL.md", skill.text)]
    for file in skill.files:
        # Regular files only: reading a FIFO or a device would block or never end.
        if file.size > limit or not file.path.is_file():
            continue
        try:
            data = file.read_bytes()
        except OSError:
            continue
        if b"\0" in data:
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        found.append(Text(file.path, file.relpath, text.removeprefix("\ufeff")))
    return found
