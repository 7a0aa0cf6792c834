"""A symlink inside the skill is broken or loops.

Why: the file it names does not exist (or never resolves), so any reference to it fails
when an agent follows it.

Bad: `scripts/run.py -> run2.py` where `run2.py` is missing, or two links pointing at each other.
Good: a link to a file that exists inside the skill, or a plain copy of the file.

Fix: point the link at an existing file inside the skill, or remove it.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import loader_problems
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK009"
NAME = "broken-symlink"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from loader_problems(skill, ctx, {"symlink-loop"})
