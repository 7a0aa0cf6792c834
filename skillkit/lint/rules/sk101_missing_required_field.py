"""A required frontmatter field (`name` or `description`) is missing.

Why: the Agent Skills spec requires both. `name` identifies the skill; `description` is
all an agent sees when it decides whether to load it (loading level 1).

Bad:

```yaml
---
name: pdf-tools
---
```

Good:

```yaml
---
name: pdf-tools
description: Extract text and tables from PDF files. Use when the user mentions PDFs.
---
```

Fix: add the missing field.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import schema_findings
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK101"
NAME = "missing-required-field"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from schema_findings(
        skill,
        ctx,
        lambda v: v.keyword == "required" and len(v.path) == 1,
        lambda v: f"frontmatter is missing the required field '{v.path[0]}'",
    )
