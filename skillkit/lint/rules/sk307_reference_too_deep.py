"""A bundled Markdown file reached only through another bundled file, not from SKILL.md itself.

Why: agents read SKILL.md in full and the files it links as needed; a file linked only from
another reference is found only if that one is read first, and may be read only in part.
Claude's guidance is to keep references one level deep from SKILL.md.

Bad: SKILL.md links `references/index.md`, which alone links `references/details.md`.
Good: SKILL.md links both files.

Fix: link (or name) the file from SKILL.md, or fold it into the file that links it.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._graph import link_graph, meant_to_load
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK307"
NAME = "reference-too-deep"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    graph = link_graph(skill)
    for file in skill.files:
        depth = graph.depth.get(file.relpath, 0)
        if depth > 1 and file.relpath.lower().endswith(".md") and meant_to_load(file):
            chain = [file.relpath]
            while chain[-1] in graph.via:
                chain.append(graph.via[chain[-1]])
            path = " <- ".join([*chain, "SKILL.md"])
            yield ctx.diagnostic(
                f"{file.relpath} is {depth} levels from SKILL.md ({path}); link it from SKILL.md",
                file.path,
            )
