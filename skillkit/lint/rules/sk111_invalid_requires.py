"""`metadata.requires` does not follow the requirement grammar.

Why: `skillkit build` resolves `requires` against the index; a malformed entry would
silently drop a dependency. Grammar (see `skillkit.requires`): comma-separated
`name[@range]`, ranges `^1.2`, `~1.2`, `>=1.0 <2`, `1.2.3`, `*`.

Bad: `requires: "IAM_Basics, s3-basics@^one"`.
Good: `requires: "iam-basics@^1, s3-basics"`.

Fix: correct each entry a message points at (every faulty entry gets one).
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill
from skillkit.requires import requires_faults

CODE = "SK111"
NAME = "invalid-requires"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    text = skill.requires_text
    if text is None:
        return
    loc = skill.frontmatter.location(("metadata", "requires"))
    for fault in requires_faults(text):
        if loc is None:
            yield ctx.diagnostic(f"metadata.requires: {fault}", skill.skill_md)
            continue
        span = loc.value
        column = span.column
        if span.line == span.end_line:
            quoted = skill.text[span.start : span.start + 1] in ("'", '"')
            column += fault.column + (1 if quoted else 0)
        yield ctx.diagnostic(f"metadata.requires: {fault}", skill.skill_md, span.line, column)
