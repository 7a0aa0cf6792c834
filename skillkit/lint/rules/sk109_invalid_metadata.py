"""`metadata` is not a map of string keys to string values.

Why: the spec defines `metadata` as string-to-string; unquoted YAML values such as
`version: 1.10` silently become numbers (`1.1`!) and tools disagree on how to print them.

Bad:

```yaml
metadata:
  version: 1.10
  internal: true
```

Good:

```yaml
metadata:
  version: "1.10.0"
  internal: "true"
```

Fix: quote the values. `skillkit lint --fix` quotes numbers, booleans and dates exactly
as written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._yaml_edits import replace_scalar, scalar_source
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill
from skillkit.schema import violations

CODE = "SK109"
NAME = "invalid-metadata"
SEVERITY = Severity.ERROR
FIXABLE = True


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    for v in violations(skill):
        if v.field != "metadata" or v.keyword not in ("type", "propertyNames"):
            continue
        if len(v.path) == 1 and v.keyword == "type":
            yield ctx.at(f"'metadata' {v.message}", skill.skill_md, v.span)
            continue
        if v.keyword == "propertyNames":
            yield ctx.at(
                f"metadata key {v.instance!r} must be a string (quote it)", skill.skill_md, v.span
            )
            continue
        key = str(v.path[1])
        fix = None
        value = v.instance
        if isinstance(value, bool | int | float | datetime.date) and v.span is not None:
            source = scalar_source(skill, v.span, value)
            if source is not None:
                fix = replace_scalar(v.span, source, f"quote metadata.{key}")
        yield ctx.at(f"metadata.{key} {v.message}", skill.skill_md, v.span, fix)
