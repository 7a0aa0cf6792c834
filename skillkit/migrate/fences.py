"""Repair the nested code fences that real SOPs write by hand.

Authors show a Markdown sample that itself holds a fenced block with fences of one length::

    ```markdown            <- opens
    ## Example
    ```bash                <- content to CommonMark (a closing fence has no info string)
    make test
    ```                    <- closes the *outer* fence
    ```                    <- opens a new fence that swallows the rest of the SOP

Every heading after that point disappears, so the rest of the SOP would become part of one
section. When the inner openers and bare closers balance, the author's intent is clear: the
outer fence is lengthened (``````` ```` ```````) so that CommonMark reads it as meant.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")


def _fence(line: str) -> tuple[str, str, str] | None:
    match = _FENCE.match(line.rstrip("\n"))
    if match is None:
        return None
    fence, info = match.group("fence"), match.group("info").strip()
    if fence[0] == "`" and "`" in info:
        return None  # an inline code span, not a fence
    return match.group("indent"), fence, info


def _closing(lines: list[str], start: int, char: str, length: int) -> tuple[int, int] | None:
    """Where the fence opened at ``start`` closes if inner ``lang`` openers nest, and the
    longest inner fence; ``None`` when nothing nests or the nesting never balances."""
    depth, nested, longest = 0, False, length
    for index in range(start + 1, len(lines)):
        found = _fence(lines[index])
        if found is None or found[1][0] != char or len(found[1]) < length:
            continue
        _indent, fence, info = found
        if info:
            depth, nested = depth + 1, True
            longest = max(longest, len(fence))
            continue
        if depth == 0:
            return (index, longest) if nested else None
        depth -= 1
    return None


def _walk(lines: list[str]) -> tuple[list[int], int | None]:
    """Lengthen each hand-nested outer fence of ``lines`` in place; return the 1-based lines
    of the outer fences repaired, and the line of a fence never closed (or None)."""
    repaired: list[int] = []
    index = 0
    while index < len(lines):
        found = _fence(lines[index])
        if found is None:
            index += 1
            continue
        indent, fence, _info = found
        nested = _closing(lines, index, fence[0], len(fence))
        if nested is None:
            # an ordinary fence: skip to its CommonMark close so its content is not re-read
            close = _plain_close(lines, index, fence)
            if close is None:
                return repaired, index + 1
            index = close + 1
            continue
        end, longest = nested
        longer = fence[0] * (longest + 1)
        lines[index] = indent + longer + lines[index][len(indent) + len(fence):]
        end_indent = lines[end][: len(lines[end]) - len(lines[end].lstrip(" "))]
        newline = "\n" if lines[end].endswith("\n") else ""
        lines[end] = end_indent + longer + newline
        repaired.append(index + 1)
        index = end + 1
    return repaired, None


def _plain_close(lines: list[str], start: int, fence: str) -> int | None:
    for index in range(start + 1, len(lines)):
        found = _fence(lines[index])
        if found and found[1][0] == fence[0] and len(found[1]) >= len(fence) and not found[2]:
            return index
    return None


def repair_nested_fences(text: str) -> tuple[str, list[int]]:
    """The text with each hand-nested outer fence lengthened, and the 1-based lines of the
    outer fences that were repaired."""
    lines = text.splitlines(keepends=True)
    repaired, _unclosed = _walk(lines)
    return "".join(lines), repaired


def unclosed_fence(text: str) -> int | None:
    """The 1-based line of a fence that is never closed (it swallows the rest), if any, once
    hand-nested fences are read as nested."""
    return _walk(text.splitlines(keepends=True))[1]
