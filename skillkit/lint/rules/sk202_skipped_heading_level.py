"""A heading skips a level (for example an H3 right after an H1).

Why: agents and people navigate a skill by its outline; a skipped level usually means a
heading has the wrong number of `#`, and it breaks the generated docs' table of contents.

Bad:

```markdown
# PDF tools
### Extract text
```

Good:

```markdown
# PDF tools
## Extract text
```

Fix: use one more `#` than the parent heading. A body may start at any level.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._headings import headings
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK202"
NAME = "skipped-heading-level"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    previous = None
    for h in headings(skill):
        if previous is not None and h.level > previous + 1:
            yield ctx.diagnostic(
                f"heading level {h.level} follows level {previous}: "
                f"use {'#' * (previous + 1)} (h{previous + 1})",
                skill.skill_md,
                h.line,
                1,
            )
        previous = h.level
