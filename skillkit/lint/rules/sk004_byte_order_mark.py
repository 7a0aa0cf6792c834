"""SKILL.md starts with a UTF-8 byte order mark (BOM).

Why: the frontmatter must start at the very first byte with `---`; with a BOM in front,
the reference validator (and agents that follow it) find no frontmatter at all.

Bad: the bytes `EF BB BF` then `---`. Good: the file starts with `---`.

Fix: `skillkit lint --fix` rewrites the file without the BOM (safe: nothing else changes).
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Edit, Fix, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK004"
NAME = "byte-order-mark"
SEVERITY = Severity.ERROR
FIXABLE = True

#: The edit is empty because the decoded text never holds the BOM: writing the fixed text
#: back (see `skillkit.lint.fixes`) is what drops it.
REMOVE_BOM = Fix("remove the UTF-8 byte order mark", (Edit(0, 0, ""),))


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    for problem in skill.problems:
        if problem.kind == "bom":
            yield ctx.diagnostic(problem.message, problem.path, fix=REMOVE_BOM)
