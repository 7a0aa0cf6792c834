"""A bundled Python script does not parse.

Why: agents run `scripts/` entry points as they are; a syntax error surfaces only when a
user is waiting on the result. skillkit parses (never runs) every `.py` file in the skill.

Bad: `scripts/main.py` containing `def main(:`.
Good: a script that `python -m py_compile` accepts.

Fix: correct the line the finding points at. Files over `max-bytes` (option, default
1 MiB) are not parsed; SK402 reports them.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK401"
NAME = "script-syntax-error"
SEVERITY = Severity.ERROR
OPTIONS = {"max-bytes": 1 << 20}


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    limit = int(ctx.options.get("max-bytes", 1 << 20))
    for f in skill.files:
        if not f.relpath.endswith(".py") or f.size > limit:
            continue
        try:
            source = f.read_bytes()
        except OSError:
            continue  # the loader reports unreadable files (SK001)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(source, filename=f.relpath)
        except SyntaxError as exc:
            yield ctx.diagnostic(
                f"{f.relpath} does not parse: {exc.msg}",
                f.path,
                exc.lineno or 1,
                exc.offset or 1,
            )
        except ValueError as exc:  # e.g. NUL bytes in the source
            yield ctx.diagnostic(f"{f.relpath} does not parse: {exc}", f.path)
