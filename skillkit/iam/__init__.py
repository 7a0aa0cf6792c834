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
    "checks",
    "declared",
    "needs_of",
    "parse_actions",
    "runs_in_sandbox",
    "runtime",
    "scriptcheck",
    "skill_actions",
]
