"""Heading levels of moved Markdown: a step (``### 2. Explore``) that becomes a reference
file of its own starts at ``#``, and its sub-steps move up with it, so the file has one title
and no skipped level. Headings are found by the parser, never inside code."""

from __future__ import annotations

import re

from skillkit.markdown import tokens as md_tokens

_ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")


def heading_level(text: str) -> int:
    """The level of the ATX heading on the first line of ``text``, 0 if there is none."""
    match = _ATX.match(text.split("\n", 1)[0])
    return len(match.group(2)) if match else 0


def shift_headings(text: str, delta: int) -> str:
    """Every ATX heading ``delta`` levels up (never above ``#``); setext headings and
    anything inside code stay as written."""
    if delta <= 0:
        return text
    lines = text.splitlines(keepends=True)
    for token in md_tokens(text):
        if token.type != "heading_open" or token.map is None or not token.markup.startswith("#"):
            continue
        index = token.map[0]
        match = _ATX.match(lines[index])
        if match is None:
            continue
        level = max(1, len(match.group(2)) - delta)
        lines[index] = match.group(1) + "#" * level + lines[index][match.end():]
    return "".join(lines)
