"""One skill's AWS actions: what it declares and what it was seen to use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillkit.iam.declare import Declaration, declared, runtime
from skillkit.iam.infer import RUN_KINDS, Findings, scan_skill
from skillkit.iam.policy import Need
from skillkit.model import Skill


@dataclass(frozen=True)
class SkillActions:
    name: str
    root: Path
    skill_md: Path
    runtime: str | None
    declaration: Declaration | None
    found: Findings | None

    @property
    def used(self) -> list[str]:
        """Actions the skill runs (commands and calls), sorted, without duplicates."""
        if self.found is None:
            return []
        return sorted({u.action for u in self.found.usages if u.kind in RUN_KINDS})


def skill_actions(skill: Skill, *, infer: bool = True) -> SkillActions:
    return SkillActions(
        name=skill.name or skill.dir_name,
        root=skill.root,
        skill_md=skill.skill_md,
        runtime=runtime(skill),
        declaration=declared(skill),
        found=scan_skill(skill, prose=False) if infer else None,
    )


def needs_of(entry: SkillActions) -> tuple[list[Need], str]:
    """What a policy must grant: the declaration, else the actions the skill runs."""
    if entry.declaration is not None and entry.declaration.actions:
        needs = [Need(d.action, d.optional) for d in entry.declaration.actions]
        return needs, "declared"
    return [Need(a) for a in entry.used], "inferred"


def to_json(entry: SkillActions, base: Path) -> dict[str, Any]:
    def rel(path: Path) -> str:
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            return path.as_posix()

    out: dict[str, Any] = {
        "name": entry.name,
        "path": rel(entry.skill_md),
        "runtime": entry.runtime,
        "declared": None
        if entry.declaration is None
        else [{"action": d.action, "optional": d.optional} for d in entry.declaration.actions],
        "declaration_faults": []
        if entry.declaration is None
        else [f.message for f in entry.declaration.faults],
    }
    if entry.found is not None:
        out["inferred"] = [
            {
                "action": u.action,
                "kind": u.kind,
                "effect": u.effect,
                "location": f"{rel(u.path)}:{u.line}:{u.column}",
                "evidence": u.evidence,
            }
            for u in entry.found.usages
        ]
        out["unmapped"] = [
            {
                "kind": u.kind,
                "location": f"{rel(u.path)}:{u.line}:{u.column}",
                "evidence": u.evidence,
            }
            for u in entry.found.unmapped
        ]
        out["invalid_policy_blocks"] = [
            {"location": f"{rel(b.path)}:{b.line}", "error": b.error}
            for b in entry.found.policies
            if b.document is None
        ]
    return out
