"""A relative link or image in SKILL.md points at a file that does not exist in the skill.

Why: agents load `references/` and `scripts/` files on demand by following the body's
links (loading level 3); a broken link is an instruction the agent cannot follow.

Bad: `[guide](references/guid.md)` when the file is `references/guide.md`.
Good: `[guide](references/guide.md)`.

Fix: correct the path (it is relative to the skill folder) or add the missing file.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._links import escapes, targets
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK301"
NAME = "broken-link"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    for t in targets(skill):
        if t.kind == "code" or escapes(t.path):
            continue
        if not (skill.root / t.path).exists():
            what = "image" if t.kind == "image" else "link"
            yield ctx.diagnostic(
                f"{what} target {t.target!r} does not exist in the skill folder",
                skill.skill_md,
                t.line,
                t.column,
            )
