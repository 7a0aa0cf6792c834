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
from skillkit.lint.rules._texts import Needles, Text, skill_texts
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


_FENCES = Needles([b"```", b"~~~"])
#: what stands before a fence on its line: container markers, then perhaps a list marker.
_LEAD = re.compile(r"[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)?")


def _maybe_unclosed(data: bytes) -> bool:
    """A fast scan of fence lines (without the container rules): False when every fence is
    closed, as for almost every file; then markdown-it need not parse the file at all.

    A fence line is a line that starts with three or more backticks or tildes after container
    markers and perhaps a list marker (`_LEAD`); the scan pairs them up, in order, as if no
    container ever ended. It reads the UTF-8 of a text: the fences come from one pass of
    `Needles` (a regular expression anchored at line starts was tried at every character)."""
    open_char, open_len = 0, 0
    line_end = 0  # past the last line looked at: a later run on that line is no fence
    for _, start, end in _FENCES.find(data):
        if start < line_end:
            continue
        char = data[start]
        while end < len(data) and data[end] == char:
            end += 1
        line_end = data.find(b"\n", end)
        if line_end < 0:
            line_end = len(data)
        if start and data[start - 1] != 0x0A and not _after_lead(data, start):
            continue
        rest = data[end:line_end]
        if not open_char:
            if char == 0x60 and b"`" in rest:
                continue  # an inline code span, not a fence
            open_char, open_len = char, end - start
        elif char == open_char and end - start >= open_len and _blank(rest):
            open_char = 0
    return open_char != 0


def _after_lead(data: bytes, start: int) -> bool:
    """Whether the run of fence characters at `start` follows only a `_LEAD` on its line."""
    line_start = data.rfind(b"\n", 0, start) + 1
    # (decoded: a list marker's digits may be any script's, as `str` patterns read them)
    return _LEAD.fullmatch(data[line_start:start].decode("utf-8", "replace")) is not None


def _blank(rest: bytes) -> bool:
    """Whether the rest of a line is white space (any Unicode space, as `str.strip` sees it)."""
    return not rest.strip() or not rest.decode("utf-8", "replace").strip()


def _message(markup: str, start: int, end: int, lines: Sequence[str], where: str) -> str:
    total = len(lines) - (lines[-1] == "")
    swallowed = "the rest of the file" if end >= total else "the rest of its list item or quote"
    return (
        f"code fence {markup!r} opened in {where} is never closed: {swallowed} "
        f"({max(end - start - 1, 0)} lines) is read as code"
    )


def _body_data(skill: Skill, skill_md: Text) -> bytes:
    """SKILL.md's body in UTF-8: the end of the file's, when the body is the end of its text."""
    text, body = skill.text, skill.body
    if text.endswith(body):
        return skill_md.data[len(text[: len(text) - len(body)].encode("utf-8", "surrogatepass")) :]
    return body.encode("utf-8", "surrogatepass")


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    texts = skill_texts(skill, ctx)
    if _maybe_unclosed(_body_data(skill, texts[0])):
        lines = _LINES.split(skill.body)
        for start, end, markup in _unclosed(_block_parser().parse(skill.body), lines):
            yield ctx.diagnostic(
                _message(markup, start, end, lines, "SKILL.md"),
                skill.skill_md,
                skill.file_line(start),
                1,
            )
    for item in texts[1:]:
        if not item.relpath.lower().endswith(_MARKDOWN):
            continue
        if not _maybe_unclosed(item.data) or (text := item.text) is None:
            continue
        lines = _LINES.split(text)
        for start, end, markup in _unclosed(_block_parser().parse(text), lines):
            yield ctx.diagnostic(
                _message(markup, start, end, lines, item.relpath), item.path, start + 1, 1
            )
