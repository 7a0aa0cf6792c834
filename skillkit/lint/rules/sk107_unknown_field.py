"""The frontmatter has a top-level field the Agent Skills spec does not define.

Why: the spec allows only `name`, `description`, `license`, `compatibility`,
`allowed-tools` and `metadata`; the reference validator rejects anything else, so the
skill fails to load in strict agents. Custom data belongs under `metadata`.

Skills written for one agent may use its own fields (Claude Code's
`disable-model-invocation`, `argument-hint`, `model`, ...): name that agent in the `targets`
setting (`targets = ["agentskills", "claude-code"]`) and its fields are accepted (and
type-checked by SK106).

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
from skillkit.schema import Violation
from skillkit.targets import defining_targets, extra_fields

CODE = "SK107"
NAME = "unknown-field"
SEVERITY = Severity.ERROR
ALLOWED = ("name", "description", "license", "compatibility", "allowed-tools", "metadata")


def _message(v: Violation, targets: tuple[str, ...]) -> str:
    allowed = ", ".join([*ALLOWED, *(f for f in extra_fields(targets) if f not in ALLOWED)])
    message = f"unknown frontmatter field '{v.field}' (allowed: {allowed}); "
    agents = defining_targets(v.field)
    if agents:
        listed = ", ".join(f'"{a}"' for a in agents)
        return message + f"it is a field of {listed}: add it to the `targets` setting"
    return message + "put custom fields under 'metadata'"


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    targets = ctx.config.targets
    yield from schema_findings(
        skill,
        ctx,
        lambda v: (
            v.keyword == "additionalProperties"
            and len(v.path) == 1
            and v.field not in SKILLKIT_FIELDS
        ),
        lambda v: _message(v, targets),
    )
