"""Skill names (spec: lowercase letters, digits, single hyphens, 1-64 chars) and cutting text
to a length at a sentence boundary."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 64
MAX_DESCRIPTION = 1024
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
STOP_WORDS = frozenset({
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "per",
    "the", "to", "via", "vs", "with", "without", "und", "oder", "der", "die", "das", "y", "o",
    "de", "la", "el", "et", "le", "les", "du", "des",
})


def kebab(text: str, limit: int = MAX_NAME) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[:limit]
        if slug[limit] != "-" and "-" in cut:
            cut = cut.rsplit("-", 1)[0]
        slug = cut.strip("-")
        # a name cut mid-phrase must not end on "and", "of", "the"...
        words = slug.split("-")
        while len(words) > 1 and words[-1] in STOP_WORDS:
            words.pop()
        slug = "-".join(words)
    return slug


def fit(text: str, limit: int) -> str:
    """Shorten ``text`` to ``limit`` characters at a sentence boundary, else at a word one."""
    if len(text) <= limit:
        return text
    out = ""
    for sentence in _SENTENCE_END.split(text):
        candidate = f"{out} {sentence}".strip()
        if len(candidate) > limit:
            break
        out = candidate
    if out:
        return out
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"
