"""A run_script script imports a package that is not in the standard library.

Why: the sandbox installs nothing: only the standard library (minus blocked modules) is
there. Only for skills whose `metadata.aws-runtime` is `run_script` or `both`, on the sandbox
path (see SK411).

Bad: `import pandas` at module level. Good: `csv`, `json`, `statistics` from the standard
library.

Fix: use the standard library, or import the package only in the local driver.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._sandbox import sandbox_faults
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK415"
NAME = "third-party-import-in-sandbox"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    return sandbox_faults(skill, ctx, CODE)
