"""`name` or `description` contains an XML/HTML tag.

Why: agents paste every skill's name and description into their system prompt, often inside
XML tags of their own (`<available_skills>`); a tag in a description can close or open those
and change how the agent reads its instructions. Claude's skill upload refuses XML tags in
both fields. Not a rule of the open spec, so a warning.

Bad: `description: Formats <code>docx</code> files. Use for </skill> reports.`
Good: `description: Formats .docx files. Use when the user asks for a Word report.`

Fix: say it in words, or use backticks; comparisons such as `a < b` are not tags and are
not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK113"
NAME = "xml-tag-in-frontmatter"
SEVERITY = Severity.WARNING
_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    for field in ("name", "description"):
        value = skill.frontmatter.data.get(field)
        if not isinstance(value, str):
            continue
        m = _TAG.search(value)
        if m is None:
            continue
        loc = skill.frontmatter.location((field,))
        yield ctx.at(
            f"'{field}' contains the tag {m.group()!r}: agents put descriptions inside XML "
            "in their prompt, and Claude refuses tags here",
            skill.skill_md,
            loc.value if loc else None,
        )
