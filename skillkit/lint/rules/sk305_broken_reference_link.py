"""A link or image in a bundled Markdown file (`references/`, ...) points at nothing in the skill.

Why: an agent that opens `references/lambda.md` follows its links the way it follows SKILL.md's
(loading level 3); a link to a file that is not bundled, or outside the skill folder, is an
instruction it cannot follow. Links are checked as SK301 and SK302 check SKILL.md's, each from
the folder of the file that holds it, in every bundled `.md` file (linked from SKILL.md or not).

A path written from the skill folder rather than from the file (`references/a.md` linking
`references/b.md`) is accepted when it names a file from there: agents open bundled files by
their path in the skill, and the spec writes paths from the skill root. A link that resolves
from neither place is reported.

Bad: `references/lambda.md` links `../assets/handler.py` and the skill has no `assets/`.
Good: the file exists at `assets/handler.py`, or the link is removed.

Fix: correct the path (relative to the file that holds the link) or bundle the missing file.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._graph import link_graph
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK305"
NAME = "broken-reference-link"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    for broken in link_graph(skill).broken:
        t = broken.target
        what = "image" if t.kind == "image" else "link"
        if broken.escapes:
            message = f"{what} target {t.target!r} points outside the skill folder"
        else:
            message = f"{what} target {t.target!r} does not exist in the skill folder"
        yield ctx.diagnostic(message, broken.file.path, t.line, t.column)
