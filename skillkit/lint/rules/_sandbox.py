"""What the run_script rules (SK411-SK415) share: the sandbox faults of a skill's scripts."""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

MAX_SCRIPT_BYTES = 1 << 20


def sandbox_faults(skill: Skill, ctx: RuleContext, code: str) -> Iterator[Diagnostic]:
    """The faults with `code` in each ``scripts/*.py``, when the skill runs in the sandbox."""
    from skillkit.iam import runs_in_sandbox, scriptcheck

    if not runs_in_sandbox(skill):
        return
    for f in skill.files:
        if f.category != "scripts" or not f.relpath.endswith(".py") or f.size > MAX_SCRIPT_BYTES:
            continue
        try:
            source = f.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for fault in scriptcheck.check_source(source):
            if fault.code == code:
                yield ctx.diagnostic(
                    f"{f.relpath}: {fault.message}", f.path, fault.line, fault.column
                )
