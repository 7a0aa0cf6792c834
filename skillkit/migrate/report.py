"""Token report: what an agent pays to start (entry L1 + L2) versus loading the SOP whole."""

from __future__ import annotations

from dataclasses import dataclass

from skillkit.migrate._tokens import count_tokens, l1_tokens
from skillkit.migrate.emit import SkillTree


@dataclass(frozen=True)
class TokenReport:
    title: str
    entry: str
    sop_tokens: int
    entry_l1: int
    entry_l2: int
    #: references of every emitted skill plus the other skills' SKILL.md.
    l3: int
    skills: int
    largest_skill_md_lines: int
    #: L1 of every emitted skill: what the migration adds to every conversation's skills list
    #: (a split pays it once per part skill, so it is reported beside the saving).
    catalog_l1: int
    #: the description could only be built from the title (no overview prose).
    description_from_title: bool = False

    @property
    def full_tokens(self) -> int:
        """Every emitted file (the entry SKILL.md and all references and parts): what a run
        that reads everything pays. The catalog entry (L1) is reported apart: it is paid by
        every conversation whether the skill runs or not, as an SOP served as a prompt pays
        its listing."""
        return self.entry_l2 + self.l3

    @property
    def full_percent(self) -> float:
        return 100.0 * self.full_tokens / self.sop_tokens if self.sop_tokens else 0.0

    @property
    def start_tokens(self) -> int:
        return self.entry_l1 + self.entry_l2

    @property
    def start_percent(self) -> float:
        return 100.0 * self.start_tokens / self.sop_tokens if self.sop_tokens else 0.0

    @property
    def saved_percent(self) -> float:
        return 100.0 - self.start_percent

    def as_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "entry": self.entry,
            "sop_tokens": self.sop_tokens,
            "entry_l1": self.entry_l1,
            "entry_l2": self.entry_l2,
            "start_tokens": self.start_tokens,
            "l3_on_demand": self.l3,
            "start_percent": round(self.start_percent, 1),
            "saved_percent": round(self.saved_percent, 1),
            "skills": self.skills,
            "largest_skill_md_lines": self.largest_skill_md_lines,
            "catalog_l1": self.catalog_l1,
            "full_tokens": self.full_tokens,
            "full_percent": round(self.full_percent, 1),
            "description_from_title": self.description_from_title,
        }


def _lines(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def token_report(
    title: str, sop_text: str, trees: list[SkillTree], *, from_title: bool = False
) -> TokenReport:
    entry = trees[0]
    l3 = 0
    for tree in trees:
        for relpath, text in tree.files.items():
            if tree is entry and relpath == "SKILL.md":
                continue
            l3 += count_tokens(text)
    return TokenReport(
        title=title,
        entry=entry.name,
        sop_tokens=count_tokens(sop_text),
        entry_l1=l1_tokens(entry.name, entry.description),
        entry_l2=count_tokens(entry.skill_md),
        l3=l3,
        skills=len(trees),
        largest_skill_md_lines=max(_lines(t.skill_md) for t in trees),
        catalog_l1=sum(l1_tokens(t.name, t.description) for t in trees),
        description_from_title=from_title,
    )
