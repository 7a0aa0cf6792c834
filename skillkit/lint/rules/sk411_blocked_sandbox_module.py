"""A run_script script imports a module the sandbox blocks.

Why: the AWS MCP Server's `run_script` sandbox refuses some standard modules; AWS's own skills
state that `random`, `time`, `inspect`, `uuid` and `datetime` are blocked. The list is a
versioned data file that cites its sources (`skillkit/iam/data/sandbox.json`).

Only for skills whose `metadata.aws-runtime` is `run_script` or `both`, and only on the sandbox
path: module-level code outside `if __name__ == "__main__"` and functions not reached only from
that guard (a local driver may import what it likes).

Bad: `import random` at the top of a run_script script.
Good: `hashlib` ranks instead of `random`; the timestamps the API returns instead of `datetime`.

Fix: drop the import from the sandbox path, or move it into the local driver.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._sandbox import sandbox_faults
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK411"
NAME = "blocked-sandbox-module"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    return sandbox_faults(skill, ctx, CODE)
