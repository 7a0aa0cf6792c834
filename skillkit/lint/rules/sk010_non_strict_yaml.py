"""The frontmatter uses YAML flow style (`[a, b]`, `{k: v}`) or explicit tags (`!!str`).

Why: the spec's reference validator reads frontmatter with StrictYAML, which refuses flow
collections and tags, so a skill that PyYAML reads fine is rejected there (and by agents that
follow it). Block style says the same thing and works everywhere.

Bad:

```yaml
allowed-tools: [Read, Bash]
metadata: {version: "1.0.0"}
license: !!str MIT
```

Good:

```yaml
allowed-tools: Read Bash
metadata:
  version: "1.0.0"
license: MIT
```

Fix: rewrite the value in block style (one `key: value` per line, `- item` for lists);
drop the tag and quote the value instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK010"
NAME = "non-strict-yaml"
SEVERITY = Severity.ERROR

_WHAT = {
    yaml.FlowSequenceStartToken: "a flow-style list ([...]): write one '- item' per line",
    yaml.FlowMappingStartToken: "a flow-style mapping ({...}): write one 'key: value' per line",
    yaml.TagToken: "an explicit YAML tag (!...): quote the value instead",
}


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    fm = skill.frontmatter
    if not fm.valid:
        return
    source = skill.text[fm.yaml_start : fm.yaml_end]
    if not any(c in source for c in "[{!"):
        return  # the common case: nothing to scan for
    line_base = skill.text.count("\n", 0, fm.yaml_start)
    try:
        for token in yaml.scan(source, Loader=yaml.SafeLoader):
            what = _WHAT.get(type(token))
            if what is not None:
                mark = token.start_mark
                yield ctx.diagnostic(
                    f"frontmatter uses {what} (strict YAML parsers reject it)",
                    skill.skill_md,
                    line_base + mark.line + 1,
                    mark.column + 1,
                )
    except yaml.YAMLError:
        return  # SK006 reports syntax errors
