"""A file or folder of the skill cannot be read.

Why: an agent (and every skillkit stage) needs to read the whole skill folder; a file
with the wrong permissions silently disappears from the skill. A named pipe, socket or
device is reported too: it is not content, and reading it would block.

Bad: `SKILL.md` with mode `000`, or a `references/` folder that cannot be listed.
Good: every file readable by the user who runs the agent (mode `644`, folders `755`).

Fix: make the files readable (`chmod a+r`), or remove them from the skill folder.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import loader_problems
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK001"
NAME = "unreadable-file"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from loader_problems(skill, ctx, {"unreadable"})
