"""A code fence (three or more backticks or tildes) is opened and never closed.

SKILL.md and every bundled Markdown file are checked.

Why: Markdown closes an open fence only at the end of the document (or of the list item or
quote it is in): everything after it becomes code. Headings, steps and links below it vanish
for the agent and for every other check (a broken link inside the swallowed part is never
reported).

Bad: a `bash` example whose closing fence was forgotten, so the `## Rollback` section below it
is shown, and read, as part of the code.

Good: every opening fence has a closing fence of the same character (backtick or tilde), at
least as long as the opening one.

Fix: add the closing fence where the code ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._texts import skill_texts
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

CODE = "SK204"
NAME = "unclosed-code-fence"
SEVERITY = Severity.ERROR

_MARKDOWN = (".md", ".markdown")
_LINES = re.compile(r"\r\n|\r|\n")
#: what a line's container markers (quote `>`, list indentation) look like before a fence.
_CONTAINER = re.compile(r"^[ \t>]*")


@cache
def _block_parser() -> MarkdownIt:
    """Blocks only: fences are blocks, and inline parsing is most of a parse's cost."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").disable("inline")


def _unclosed(tokens: Sequence[Token], lines: Sequence[str]) -> Iterator[tuple[int, int, str]]:
    """(0-based opening line, 0-based end line, markup) of every fence that is never closed."""
    for token in tokens:
        if token.type != "fence" or token.map is None:
            continue
        start, end = token.map
        if end - start >= 2 and end - 1 < len(lines):
            last = _CONTAINER.sub("", lines[end - 1]).rstrip()
            if len(last) >= len(token.markup) and set(last) == {token.markup[0]}:
                continue
        yield start, end, token.markup


_FENCE_LINE = re.compile(r"^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)?(`{3,}|~{3,})(.*)$", re.M)


def _maybe_unclosed(text: str) -> bool:
    """A fast scan of fence lines (without the container rules): False when every fence is
    closed, as for almost every file; then markdown-it need not parse the file at all."""
    open_char, open_len = "", 0
    for m in _FENCE_LINE.finditer(text):
        fence, rest = m.group(1), m.group(2)
        if not open_char:
            if fence[0] == "`" and "`" in rest:
                continue  # an inline code span, not a fence
            open_char, open_len = fence[0], len(fence)
        elif fence[0] == open_char and len(fence) >= open_len and not rest.strip():
            open_char = ""
    return bool(open_char)


def _message(markup: str, start: int, end: int, lines: Sequence[str], where: str) -> str:
    total = len(lines) - (lines[-1] == "")
    swallowed = "the rest of the file" if end >= total else "the rest of its list item or quote"
    return (
        f"code fence {markup!r} opened in {where} is never closed: {swallowed} "
        f"({max(end - start - 1, 0)} lines) is read as code"
    )


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    if ("```" in skill.body or "~~~" in skill.body) and _maybe_unclosed(skill.body):
        lines = _LINES.split(skill.body)
        for start, end, markup in _unclosed(_block_parser().parse(skill.body), lines):
            yield ctx.diagnostic(
                _message(markup, start, end, lines, "SKILL.md"),
                skill.skill_md,
                skill.file_line(start),
                1,
            )
    for item in skill_texts(skill, ctx)[1:]:
        if not item.relpath.lower().endswith(_MARKDOWN):
            continue
        if (text := item.text) is None:
            continue
        if ("```" not in text and "~~~" not in text) or not _maybe_unclosed(text):
            continue
        lines = _LINES.split(text)
        for start, end, markup in _unclosed(_block_parser().parse(text), lines):
            yield ctx.diagnostic(
                _message(markup, start, end, lines, item.relpath), item.path, start + 1, 1
            )
