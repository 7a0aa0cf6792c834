"""SKILL.md is not valid UTF-8.

Why: the Agent Skills spec and every agent read SKILL.md as UTF-8; undecodable bytes turn
into replacement characters or make the reference validator fail outright.

Bad: a file saved as Latin-1 (`caf\\xe9`). Good: the same text saved as UTF-8 (`café`).

Fix: re-encode the file, e.g. `iconv -f latin1 -t utf-8 SKILL.md`. The finding points at the
first byte that cannot be decoded.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import loader_problems
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK003"
NAME = "invalid-encoding"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from loader_problems(skill, ctx, {"encoding"})
