"""The `description` is empty, not a string, or longer than 1024 characters.

Why: the description is what an agent reads, for every skill in its catalog, to decide
which skill to load; the spec requires 1-1024 characters. It should say what the skill does
and when to use it.

Bad: `description: ""` or a 2,000-character essay.
Good: `description: Extract text and tables from PDFs. Use when the user mentions PDF files.`

Fix: write (or shorten) the description; move detail into the body.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import schema_findings
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill
from skillkit.schema import Violation

CODE = "SK104"
NAME = "invalid-description"
SEVERITY = Severity.ERROR


def _word(v: Violation) -> str:
    if v.keyword == "pattern":
        return "'description' must not be blank"
    return f"'description' {v.message}"


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    seen = False
    for d in schema_findings(
        skill,
        ctx,
        lambda v: v.field == "description" and len(v.path) == 1 and v.keyword != "required",
        _word,
    ):
        if not seen:  # one finding is enough: "" fails minLength and pattern alike
            seen = True
            yield d
