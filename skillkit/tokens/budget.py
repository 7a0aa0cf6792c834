"""Helpers for the budget lint rules (SK5xx): where a text crosses a token budget, wording."""

from __future__ import annotations

from collections.abc import Sequence

from skillkit.tokens.cache import memory, text_key
from skillkit.tokens.encoding import fast_encoder, get_encoding


def _offset_after(tokens: Sequence[int], budget: int, encoding: str) -> int:
    """Character offset at which token number ``budget + 1`` of `tokens` starts."""
    prefix = get_encoding(encoding).decode_bytes(list(tokens[:budget]))
    # A token may end inside a multi-byte character: count only the complete characters.
    return len(prefix.decode("utf-8", errors="ignore"))


def check_budget(text: str, budget: int, encoding: str) -> tuple[int, int | None]:
    """Tokens in `text`, and the 1-based line on which `budget` is crossed (None: within it).

    One encoding gives both: a text over budget is long, and encoding it is most of a budget
    rule's cost. Counts go through the in-memory cache that `cached_count` uses.
    """
    counts = memory(encoding)
    key = text_key(text)
    known = counts.get(key)
    if known is not None and known <= budget:
        return known, None
    tokens = fast_encoder(get_encoding(encoding))(text)
    counts[key] = len(tokens)
    if len(tokens) <= budget:
        return len(tokens), None
    offset = _offset_after(tokens, budget, encoding)
    return len(tokens), text.count("\n", 0, offset) + 1


def over(what: str, value: int, budget: int, unit: str = "tokens") -> str:
    """``SKILL.md is 6,120 tokens, 1,120 over the 5,000 budget``."""
    return f"{what} is {value:,} {unit}, {value - budget:,} over the {budget:,} budget"
