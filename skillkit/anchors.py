"""Heading anchors as GitHub computes them, shared by the anchor lint rule and the migrator."""

from __future__ import annotations

import re

_INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
#: what GitHub keeps of a heading: letters, digits, `_`, `-` and spaces (which become `-`).
_DROP = re.compile(r"[^\w\- ]")
#: `[text](#fragment)`: a same-page link.
SAME_PAGE_LINK = re.compile(r"\]\(#([^)\s]+)\)")


def slug(text: str) -> str:
    """The anchor GitHub gives a heading whose Markdown source is `text`."""
    text = _TAG.sub("", _INLINE_LINK.sub(r"\1", text))
    return _DROP.sub("", text.strip().lower()).replace(" ", "-")
