"""A frontmatter key appears twice in the same mapping.

Why: YAML parsers disagree about duplicates (PyYAML keeps the last, strict parsers such as the
reference validator's reject the file), so the skill means different things to different agents.

Bad:

```yaml
name: pdf
name: pdf-tools
```

Good:

```yaml
name: pdf-tools
```

Fix: keep one of the entries.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import loader_problems
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK007"
NAME = "duplicate-key"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from loader_problems(skill, ctx, {"duplicate-key"})
