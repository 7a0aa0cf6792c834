"""A frontmatter value contains `---`, or a `---` line cuts a block scalar short.

Why: many agents (and the spec's reference validator) find the frontmatter by splitting the
file at the first `---` anywhere, not at a `---` line; a value such as `a --- b` then
cuts the frontmatter short, so the skill's description is truncated or does not parse at all.
A `---` line at column 0 inside a block scalar (`description: |`) ends the frontmatter for
every parser: the indented lines after it silently drop out of the value and land in the body.

Bad: `description: "Reports --- with charts"`, or

```yaml
description: |
  Reports with charts.
---
  Use when the user asks for a report.
```

Good: `description: "Reports, with charts"` (or an em dash `—`); indent a separator line
inside a block scalar like the rest of its lines.

Fix: rewrite the value without three hyphens in a row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity, offset_to_position
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK011"
NAME = "fence-in-frontmatter"
SEVERITY = Severity.ERROR

#: a key whose value is a block scalar: ``description: |`` / ``>-`` / ``|2+`` ...
_BLOCK_KEY = re.compile(r"^([ \t]*)(?:- )?([^\s#][^:\n]*):[ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?$")


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    fm = skill.frontmatter
    if not fm.present or fm.end_line == 0:
        return
    at = skill.text.find("---", fm.yaml_start, fm.yaml_end)
    if at >= 0:
        line, column = offset_to_position(skill.text, at)
        yield ctx.diagnostic(
            "'---' inside the frontmatter: parsers that split at the first '---' (including the "
            "reference validator) end the frontmatter here",
            skill.skill_md,
            line,
            column,
        )
    key = _open_block_scalar(skill.text[fm.yaml_start : fm.yaml_end])
    if key is not None and _continues(skill.body):
        yield ctx.diagnostic(
            f"the '---' on line {fm.end_line} ends the frontmatter inside the block scalar "
            f"'{key}': the indented lines after it are cut from the value and read as the body",
            skill.skill_md,
            fm.end_line,
            1,
        )


def _open_block_scalar(yaml_text: str) -> str | None:
    """The key whose block scalar is still open at the end of the YAML, if any."""
    lines = yaml_text.splitlines()
    for i in range(len(lines) - 1, -1, -1):
        m = _BLOCK_KEY.match(lines[i])
        if m is None:
            continue
        indent = len(m.group(1))
        later = [ln for ln in lines[i + 1 :] if ln.strip()]
        if all(len(ln) - len(ln.lstrip(" ")) > indent for ln in later):
            return m.group(2).strip()
        return None
    return None


def _continues(body: str) -> bool:
    """Whether the body starts with indented text: more of the block scalar."""
    for line in body.splitlines():
        if line.strip():
            return line[0] in " \t"
    return False
