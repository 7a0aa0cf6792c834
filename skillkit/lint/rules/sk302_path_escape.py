"""A link, image or file reference points outside the skill folder.

Why: a skill is installed, archived and served as one folder. `../shared/x.md` or
`/home/me/x.md` works on the author's machine and nowhere else (and may leak local files).

Bad: `[policy](../iam-basics/references/policy.md)`, `![](/tmp/chart.png)`.
Good: `[policy](references/policy.md)` with a copy of the file inside the skill, or a
`metadata.requires` dependency on the other skill.

Fix: copy the file into the skill (`references/`, `assets/`) and link it relatively.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._links import escapes, targets
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK302"
NAME = "path-escape"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    for t in targets(skill):
        if escapes(t.path):
            yield ctx.diagnostic(
                f"{t.target!r} points outside the skill folder; copy the file into the skill",
                skill.skill_md,
                t.line,
                t.column,
            )
