"""The skill `name` does not follow the spec's format.

Why: the spec allows 1-64 characters of lowercase letters, digits and hyphens, with no
leading, trailing or doubled hyphen; agents use the name as an identifier (and as the folder
name), so anything else may fail to load or collide.

Bad: `name: PDF_Tools`, `name: -pdf`, `name: pdf--tools`, `name: " pdf-tools "`.
Good: `name: pdf-tools`.

Fix: rename. Leading or trailing whitespace inside a quoted name has a safe fix
(`skillkit lint --fix` strips it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._yaml_edits import replace_scalar
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill
from skillkit.schema import violations

CODE = "SK102"
NAME = "invalid-name"
SEVERITY = Severity.ERROR
FIXABLE = True
MAX_LENGTH = 64
_VALID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def reasons(name: str) -> list[str]:
    """Why `name` is not a valid skill name, in words (empty when it is valid)."""
    if not name.strip():
        return ["it is empty"]
    found = []
    if name != name.strip():
        found.append("it has leading or trailing whitespace")
    core = name.strip()
    if len(core) > MAX_LENGTH:
        found.append(f"it is {len(core)} characters long (at most {MAX_LENGTH})")
    if core != core.lower():
        found.append("it has uppercase letters")
    if core.startswith("-") or core.endswith("-"):
        found.append("it starts or ends with a hyphen")
    if "--" in core:
        found.append("it has consecutive hyphens")
    bad = sorted({c for c in core.lower() if not (c.isascii() and (c.isalnum() or c == "-"))})
    if bad:
        found.append("it has characters other than a-z, 0-9 and '-': " + " ".join(map(repr, bad)))
    if not found and not _VALID.match(core):
        found.append("it is not lowercase words joined by single hyphens")
    return found


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    for v in violations(skill):
        if v.field != "name" or len(v.path) != 1 or v.keyword == "required":
            continue
        value = skill.frontmatter.data.get("name")
        if not isinstance(value, str):
            yield ctx.at(f"'name' {v.message}", skill.skill_md, v.span)
            return
        fix = None
        stripped = value.strip()
        if stripped != value and _VALID.match(stripped) and v.span is not None:
            fix = replace_scalar(v.span, stripped, "strip whitespace around the name")
        why = "; ".join(reasons(value)) or v.message
        yield ctx.at(f"invalid skill name {value!r}: {why}", skill.skill_md, v.span, fix)
        return
