"""A single bundled reference file costs more tokens than its budget.

Why: files an agent reads on demand (L3) are loaded whole: one huge reference can fill the
context window on its own. The limit is `reference-tokens` in `[tool.skillkit.budgets]`
(default 20,000), counted with the configured `encoding`. It applies to every bundled text
file an agent reads (`references/` and loose files such as `forms.md`), not to `scripts/`
(run, not read) or `assets/` (used in output, not read); binary files are not counted. The
finding points at the line of the file on which the budget is crossed.

Bad: `references/everything.md` with the whole product manual.
Good: `references/auth.md`, `references/billing.md`, ... each linked from SKILL.md with a
line saying when to read it.

Fix: split the file by topic so that an agent reads only the part it needs.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill
from skillkit.tokens.budget import check_budget, over

CODE = "SK504"
NAME = "reference-tokens"
SEVERITY = Severity.WARNING

_NOT_READ = ("scripts", "assets")


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    budget = ctx.config.budgets.reference_tokens
    encoding = ctx.config.encoding
    for file in skill.files:
        # A token is at least one byte, so a file no larger than the budget in bytes cannot be
        # over it: most files are never encoded, which keeps a cold lint near the parse floor.
        if file.category in _NOT_READ or file.size <= budget:
            continue
        try:
            data = file.read_bytes()
        except OSError:
            continue  # reported by the loader
        if b"\0" in data:
            continue  # binary: not counted (see skillkit.tokens)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        tokens, line = check_budget(text, budget, encoding)
        if line is None:
            continue
        yield ctx.diagnostic(
            over(file.relpath, tokens, budget) + f" (crossed on line {line})",
            file.path,
            line,
        )
