"""A run_script script uses files, processes or argv outside a `__main__` guard.

Why: the sandbox gives a script no file system, no processes and no command line; `open()`,
`subprocess`, `os.system`, `sys.argv` or `parse_args()` on the sandbox path fail there.

Only for skills whose `metadata.aws-runtime` is `run_script` or `both` (see SK411 for the
sandbox path).

Bad: `args = parser.parse_args()` at module level.
Good: the same inside `main()`, called from `if __name__ == "__main__":`.

Fix: move the use into the local driver; take inputs as parameters of the sandbox entry point.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._sandbox import sandbox_faults
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK413"
NAME = "host-access-in-sandbox"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    return sandbox_faults(skill, ctx, CODE)
