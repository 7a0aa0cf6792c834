"""Two or more skills in the tree have the same `name`.

Why: agents pick skills by name; with duplicates, which one loads depends on search order,
and `skillkit build` cannot publish both under one name.

Bad: `team-a/pdf/SKILL.md` and `team-b/pdf/SKILL.md` both with `name: pdf`.
Good: distinct names (`pdf-forms`, `pdf-extract`), or one shared skill.

Fix: rename one skill (and its folder), or remove the copy.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK601"
NAME = "duplicate-name"
SEVERITY = Severity.ERROR


def check_tree(skills: Sequence[Skill], ctx: RuleContext) -> Iterator[Diagnostic]:
    by_name: dict[str, list[Skill]] = defaultdict(list)
    for skill in skills:
        if skill.name and skill.name.strip():
            by_name[skill.name.strip()].append(skill)
    for name, group in sorted(by_name.items()):
        if len(group) < 2:
            continue
        for skill in group:
            others = ", ".join(
                Path(os.path.relpath(o.skill_md, skill.root)).as_posix()
                for o in group
                if o is not skill
            )
            loc = skill.frontmatter.location(("name",))
            yield ctx.at(
                f"skill name {name!r} is also used by {others}",
                skill.skill_md,
                loc.value if loc else None,
            )
