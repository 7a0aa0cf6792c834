"""A single bundled reference file costs more tokens than its budget.

Why: files an agent reads on demand (L3) are loaded whole: one huge reference can fill the
context window on its own. The limit is ``reference-tokens`` in ``[tool.skillkit.budgets]``
(default 20,000), counted with the configured ``encoding``. It applies to every bundled text
file an agent reads (``references/`` and loose files such as ``forms.md``), not to ``scripts/``
(run, not read) or ``assets/`` (used in output, not read); binary files are not counted. The
finding points at the line of the file on which the budget is crossed.

Bad: ``references/everything.md`` with the whole product manual.
Good: ``references/auth.md``, ``references/billing.md``, ... each linked from SKILL.md with a
line saying when to read it.

Fix: split the file by topic so that an agent reads only the part it needs.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.model import Skill
from skillkit.rules.base import RuleContext
from skillkit.tokens import footprint
from skillkit.tokens.budget import crossing_line, over

CODE = "SK504"
NAME = "reference-tokens"
SEVERITY = Severity.WARNING

_NOT_READ = ("scripts", "assets")


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    budget = ctx.config.budgets.reference_tokens
    encoding = ctx.config.encoding
    files = {f.relpath: f for f in skill.files}
    for counted in footprint(skill, encoding).l3:
        file = files.get(counted.relpath)
        if file is None or file.category in _NOT_READ:
            continue
        if counted.tokens is None or counted.tokens <= budget:
            continue
        try:
            text = file.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            line = 1
        else:
            line = crossing_line(text, budget, encoding)
        yield ctx.diagnostic(
            over(counted.relpath, counted.tokens, budget) + f" (crossed on line {line})",
            file.path,
            line,
        )
