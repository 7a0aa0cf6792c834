"""SKILL.md is larger than the configured limit (`max-file-size`, 1 MiB by default).

Why: SKILL.md is loaded whole into the agent's context when the skill activates; a file this
large is certainly a mistake (a log or data dump) and is not parsed at all.

Bad: a 50 MB SKILL.md. Good: a SKILL.md of a few hundred lines that links to files under
`references/` for detail.

Fix: move bulk material to `references/` (loaded on demand) or `assets/`.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import loader_problems
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK002"
NAME = "file-too-large"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from loader_problems(skill, ctx, {"too-large"})
