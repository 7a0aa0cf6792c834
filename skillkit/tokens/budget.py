"""Helpers for the budget lint rules (SK5xx): where a text crosses a token budget, wording."""

from __future__ import annotations

from skillkit.tokens.encoding import get_encoding


def crossing_offset(text: str, budget: int, encoding: str) -> int:
    """Character offset in `text` where token number ``budget + 1`` starts."""
    enc = get_encoding(encoding)
    tokens = enc.encode_ordinary(text)
    if len(tokens) <= budget:
        return len(text)
    prefix = enc.decode_bytes(tokens[:budget])
    # A token may end inside a multi-byte character: count only the complete characters.
    return len(prefix.decode("utf-8", errors="ignore"))


def crossing_line(text: str, budget: int, encoding: str) -> int:
    """1-based line of `text` on which the budget is crossed."""
    return text.count("\n", 0, crossing_offset(text, budget, encoding)) + 1


def over(what: str, value: int, budget: int, unit: str = "tokens") -> str:
    """``SKILL.md is 6,120 tokens, 1,120 over the 5,000 budget``."""
    return f"{what} is {value:,} {unit}, {value - budget:,} over the {budget:,} budget"
