"""A skillkit field (`version`, `tags`, `requires`, `source`) sits at the top level.

Why: many real skills write `version: 1.0.0` at the top level, but the spec allows no such
field (the reference validator rejects it). skillkit reads these fields from `metadata`,
as strings, which keeps the file portable.

Bad:

```yaml
name: pdf-tools
version: 1.2.0
```

Good:

```yaml
name: pdf-tools
metadata:
  version: "1.2.0"
```

Fix: `skillkit lint --fix` moves the fields under `metadata` as quoted strings, creating
`metadata` when needed. It leaves a field alone when `metadata` already has it.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import SKILLKIT_FIELDS
from skillkit.lint.rules._yaml_edits import move_to_metadata
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill
from skillkit.schema import violations

CODE = "SK108"
NAME = "misplaced-skillkit-field"
SEVERITY = Severity.ERROR
FIXABLE = True


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    found = [
        v
        for v in violations(skill)
        if v.keyword == "additionalProperties" and len(v.path) == 1 and v.field in SKILLKIT_FIELDS
    ]
    if not found:
        return
    fix, moved = move_to_metadata(skill)
    for v in found:
        yield ctx.at(
            f"'{v.field}' belongs under 'metadata' (as a string), not at the top level",
            skill.skill_md,
            v.span,
            fix if v.field in moved else None,
        )
