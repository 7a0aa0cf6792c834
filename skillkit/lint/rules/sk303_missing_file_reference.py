"""A code span names a bundled file (`scripts/...`, `references/...`, `assets/...`) that is missing.

Why: skills often tell the agent to run `scripts/extract.py` or read `references/api.md`
in inline code rather than a link; if the file is not there, the instruction fails at run time.

Bad: "Run `scripts/extract.py`" with no `scripts/extract.py` in the skill.
Good: the file exists at that path, relative to the skill folder.

Fix: correct the path or add the file. Spans with wildcards or placeholders are ignored, and
so are paths in a paragraph that names another skill in code: "the `agents-build` skill and
its `references/payments.md`" points at that skill's file, not a missing one of ours.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._links import targets
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK303"
NAME = "missing-file-reference"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    for t in targets(skill):
        if t.kind != "code" or t.near_other_skill or (skill.root / t.path).exists():
            continue
        yield ctx.diagnostic(
            f"`{t.target}` names a file that is not in the skill folder",
            skill.skill_md,
            t.line,
            t.column,
        )
