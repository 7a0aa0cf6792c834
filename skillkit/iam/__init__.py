"""``skillkit iam``: which AWS actions a skill declares and uses, checked against the offline
IAM catalog, and the least-privilege policy that grants exactly those.

    from skillkit.iam import skill_actions, build_policy
"""

from __future__ import annotations

from skillkit.iam import catalog, checks, scriptcheck
from skillkit.iam.declare import (
    Declaration,
    Declared,
    declared,
    parse_actions,
    runs_in_sandbox,
    runtime,
)
from skillkit.iam.infer import RUN_KINDS, Usage
from skillkit.iam.policy import Need, PolicyResult, build_policy
from skillkit.iam.report import SkillActions, needs_of, skill_actions


def catalog_version() -> str | None:
    """The IAM catalog's data version, or None when the iam extra is not installed."""
    return catalog.data_version() if catalog.available() else None


def declared_needs(skill: object) -> tuple[tuple[str, ...], str | None] | None:
    """A skill's declared actions (``?`` kept on optional ones) and runtime; None if it
    declares no ``aws-actions``."""
    from skillkit.model import Skill

    assert isinstance(skill, Skill)
    found = declared(skill)
    if found is None:
        return None
    actions = tuple(d.action + ("?" if d.optional else "") for d in found.actions)
    return actions, runtime(skill)


__all__ = [
    "RUN_KINDS",
    "Declaration",
    "Declared",
    "Need",
    "PolicyResult",
    "SkillActions",
    "Usage",
    "build_policy",
    "catalog",
    "catalog_version",
    "checks",
    "declared",
    "declared_needs",
    "needs_of",
    "parse_actions",
    "runs_in_sandbox",
    "runtime",
    "scriptcheck",
    "skill_actions",
]
