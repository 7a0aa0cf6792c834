"""The frontmatter has a top-level field the Agent Skills spec does not define.

Why: the spec allows only `name`, `description`, `license`, `compatibility`,
`allowed-tools` and `metadata`; the reference validator rejects anything else, so the
skill fails to load in strict agents. Custom data belongs under `metadata`.

Bad:

```yaml
author: Jane
```

Good:

```yaml
metadata:
  author: Jane
```

Fix: move the field under `metadata` (as a string) or remove it. skillkit's own fields
(`version`, `tags`, `requires`, `source`) are reported by SK108, which can fix them.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import SKILLKIT_FIELDS, schema_findings
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK107"
NAME = "unknown-field"
SEVERITY = Severity.ERROR
ALLOWED = ("name", "description", "license", "compatibility", "allowed-tools", "metadata")


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from schema_findings(
        skill,
        ctx,
        lambda v: (
            v.keyword == "additionalProperties"
            and len(v.path) == 1
            and v.field not in SKILLKIT_FIELDS
        ),
        lambda v: (
            f"unknown frontmatter field '{v.field}' (allowed: {', '.join(ALLOWED)}); "
            "put custom fields under 'metadata'"
        ),
    )
