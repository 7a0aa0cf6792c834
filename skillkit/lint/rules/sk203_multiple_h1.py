"""The body has more than one top-level (H1) heading.

Why: the H1 is the skill's title; several H1s usually mean sections that should be H2, and
they flatten the outline agents use to find their way in a long skill.

Bad:

```markdown
# PDF tools
# Usage
```

Good:

```markdown
# PDF tools
## Usage
```

Fix: keep one H1 and demote the others.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._headings import headings
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK203"
NAME = "multiple-h1"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    first = None
    for h in headings(skill):
        if h.level != 1:
            continue
        if first is None:
            first = h
            continue
        yield ctx.diagnostic(
            f"second top-level heading {h.text!r} (the title is {first.text!r} on line "
            f"{first.line}): use ## for sections",
            skill.skill_md,
            h.line,
            1,
        )
