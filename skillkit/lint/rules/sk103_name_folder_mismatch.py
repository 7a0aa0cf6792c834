"""The skill `name` differs from the name of its folder.

Why: the spec requires the folder to be named after the skill; agents install and refer to
skills by folder, so a mismatch breaks references and makes duplicates hard to spot.

Bad: `skills/pdf/SKILL.md` with `name: pdf-tools`.
Good: `skills/pdf-tools/SKILL.md` with `name: pdf-tools`.

Fix: rename the folder or change `name` so that they match.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK103"
NAME = "name-folder-mismatch"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    name = skill.name
    if name is None or not name.strip():
        return
    folder = unicodedata.normalize("NFKC", skill.dir_name)
    if unicodedata.normalize("NFKC", name.strip()) != folder:
        loc = skill.frontmatter.location(("name",))
        yield ctx.at(
            f"name {name.strip()!r} does not match the folder name {skill.dir_name!r}",
            skill.skill_md,
            loc.value if loc else None,
        )
