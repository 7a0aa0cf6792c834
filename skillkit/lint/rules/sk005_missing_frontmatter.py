"""SKILL.md has no YAML frontmatter, or its frontmatter is not closed.

Why: `name` and `description` in the frontmatter are how an agent discovers the skill;
without them the skill is invisible.

Bad:

```markdown
# My skill
Do things.
```

Good:

```markdown
---
name: my-skill
description: Does things. Use when things need doing.
---
# My skill
```

Fix: start the file with a line `---`, the fields, and a closing `---` line.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import loader_problems
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK005"
NAME = "missing-frontmatter"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from loader_problems(skill, ctx, {"frontmatter-missing", "frontmatter-unclosed"})
