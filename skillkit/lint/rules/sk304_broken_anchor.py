"""A same-page link (`#section`) in SKILL.md names a heading that the body does not have.

Why: agents and readers follow `#section` links to find the part of the skill that applies;
after a heading is renamed, or a section moved to another skill (a split SOP), the link
points nowhere. Anchors are computed as GitHub computes them: the heading's text in lower
case, punctuation dropped, spaces turned into hyphens, `-1`, `-2`… for repeated headings.
An `id` or `name` attribute in the body's HTML counts as an anchor too.

Bad:

```markdown
See [the mode rules](#mode-behaviour).

## Mode behavior
```

Good: `[the mode rules](#mode-behavior)`.

Fix: link to the heading's anchor as written, or name the skill or file that holds the section.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._anchors import anchor_links, anchors
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK304"
NAME = "broken-anchor"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    links = anchor_links(skill)
    if not links:
        return
    known = anchors(skill)
    for link in links:
        if link.fragment.lower() not in known:
            yield ctx.diagnostic(
                f"no heading has the anchor '#{link.fragment}' in SKILL.md",
                skill.skill_md,
                link.line,
                link.column,
            )
