"""Skill names (spec: lowercase letters, digits, single hyphens, 1-64 chars) and descriptions."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 64
MAX_DESCRIPTION = 1024
_WHEN = re.compile(r"\b(use|used|when|wenn|verwenden|cuando|usar|utiliser|lorsque)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def kebab(text: str, limit: int = MAX_NAME) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[:limit]
        if slug[limit] != "-" and "-" in cut:
            cut = cut.rsplit("-", 1)[0]
        slug = cut.strip("-")
    return slug


def plain_text(markdown: str) -> str:
    """Markdown prose flattened to one line (fences, headings, tables and markup dropped)."""
    kept: list[str] = []
    in_fence = False
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence or stripped.startswith(("#", "|", "<!--")):
            continue
        kept.append(stripped.lstrip("-*+> ").strip())
    text = " ".join(kept)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`]{1,3}", "", text).replace("<", "").replace(">", "")
    return " ".join(text.split())


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


def description(summary: str, title: str, *, limit: int = MAX_DESCRIPTION) -> str:
    """What the skill does (the summary) and when to use it, in at most ``limit`` characters."""
    base = plain_text(summary) or plain_text(title)
    if base and base[-1] not in ".!?":
        base += "."
    if _WHEN.search(base):
        return fit(base, limit)
    when = f" Use when you need to carry out the {plain_text(title)} procedure."
    if len(when) > limit // 2:
        when = " Use when this procedure applies."
    return f"{fit(base, limit - len(when))}{when}"
