"""A bundled Python script is too large to check (over `max-bytes`, 1 MiB by default).

Why: a script this large in a skill is almost certainly generated or vendored code; skillkit
does not parse it (SK401 skips it), so its syntax is unchecked.

Bad: a 5 MB `scripts/bundle.py`. Good: a small entry point that imports a package.

Fix: keep scripts small, or raise `[tool.skillkit.rules.SK401] max-bytes` and this rule's.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK402"
NAME = "script-too-large"
SEVERITY = Severity.WARNING
OPTIONS = {"max-bytes": 1 << 20}


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    limit = int(ctx.options.get("max-bytes", 1 << 20))
    for f in skill.files:
        if f.relpath.endswith(".py") and f.size > limit:
            yield ctx.diagnostic(
                f"{f.relpath} is {f.size:,} bytes, over the {limit:,}-byte limit: not parsed",
                f.path,
            )
