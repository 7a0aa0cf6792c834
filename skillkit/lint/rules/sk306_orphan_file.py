"""A bundled file that nothing reaches: SKILL.md and the files it reaches neither link nor name it.

Why: an agent loads a bundled file only when the skill tells it to (loading level 3). A file no
instruction leads to is dead weight in every install and archive, or a leftover that hides
behaviour from a reviewer reading SKILL.md.

A file counts as reached when SKILL.md, or a file it reaches, links to it or names it: by its
path from the skill folder or from the naming file, by its bare file name, or by naming its
folder (`references/`). Licence, notice, readme and changelog files are never asked for.

Bad: `references/old-api.md` that no file mentions.
Good: SKILL.md says `For the v1 API, read [the old API](references/old-api.md).`

Fix: link the file where the agent needs it, or delete it.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._graph import link_graph
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK306"
NAME = "orphan-file"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    for file in link_graph(skill).orphans(skill):
        yield ctx.diagnostic(
            f"{file.relpath} is never linked or named from SKILL.md or a file it reaches, "
            "so no agent loads it",
            file.path,
        )
