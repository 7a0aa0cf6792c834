"""Same-page `#fragment` links of a body and the anchors its headings and HTML define."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from skillkit.anchors import slug
from skillkit.lint.rules._headings import headings
from skillkit.lint.rules._helpers import per_skill
from skillkit.lint.rules._links import position
from skillkit.model import Skill

_HTML_ID = re.compile(r"""\b(?:id|name)\s*=\s*(["'])(.*?)\1""", re.I)


@dataclass(frozen=True)
class AnchorLink:
    fragment: str  # decoded, without the `#`
    line: int
    column: int


@per_skill
def anchors(skill: Skill) -> frozenset[str]:
    """Every anchor in the body, lower-cased: headings (repeats numbered) and HTML ids."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for heading in headings(skill):
        base = slug(heading.text)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    if "=" in skill.body:
        found.update(m[2].lower() for m in _HTML_ID.finditer(skill.body))
    return frozenset(found)


@per_skill
def anchor_links(skill: Skill) -> list[AnchorLink]:
    """Markdown links whose target is `#fragment` alone, with their positions."""
    found: list[AnchorLink] = []
    lines: list[str] | None = None
    for token in skill.lint_tokens:
        if token.type != "inline" or not token.children or token.map is None:
            continue
        for child in token.children:
            if child.type != "link_open":
                continue
            href = str(child.attrGet("href") or "")
            if not href.startswith("#") or len(href) == 1:
                continue
            if lines is None:
                lines = skill.body.splitlines()
            needles = [href, unquote(href)]  # markdown-it percent-encodes hrefs
            line, column = position(skill, lines, token.map[0], token.map[1], needles)
            found.append(AnchorLink(unquote(href[1:]), line, column))
    return found
