"""The frontmatter is not a valid YAML mapping (syntax error, anchors/aliases, deep nesting).

Why: a frontmatter that does not parse means no name and no description. Anchors and
aliases are refused because they are how a YAML bomb expands, and no frontmatter needs them.

Bad: `description: Use when: things` (an unquoted colon), `a: &x [*x]`, or a list at top level.
Good: `description: "Use when: things"`.

Fix: quote values that contain `: ` or start with special characters; remove anchors.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import loader_problems
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK006"
NAME = "invalid-yaml"
SEVERITY = Severity.ERROR


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from loader_problems(
        skill, ctx, {"yaml-syntax", "yaml-alias", "yaml-depth", "frontmatter-not-mapping"}
    )
