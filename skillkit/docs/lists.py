"""CommonMark list items re-indented for Python-Markdown, so the site shows what authors wrote.

Skills are written in CommonMark (what agents, GitHub and markdown-it read): an item's
continuation lines sit at its content column (2 after ``- ``, 3 after ``1. ``). mkdocs renders
with Python-Markdown, which nests by 4 spaces a level and splits blocks at blank lines, so such
items lose their code blocks and swallow the items after them. Python-Markdown has no setting
for this: ``tab_length`` is one global width (items need 2, 3 or 4 columns, indented code needs
4), and neither it nor pymdown-extensions offers a list-indent option.

The text is rewritten from markdown-it's block tokens, so the structure is CommonMark's:
- every line of an item moves from the item's content column to 4 spaces a nesting level,
  keeping whatever it has beyond that column (code keeps its relative indentation);
- an item glued to a block that Python-Markdown would not end there (a paragraph or a fence
  that does not itself open with an item) gets a blank line before it;
- lines outside lists, and lists inside block quotes (whose lines carry ``>``), are untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

from skillkit.markdown import block_parser

#: Python-Markdown's indentation of one nesting level (its default ``tab_length``).
LEVEL = 4
#: CommonMark: more spaces than this after a marker start an indented code block instead.
_MAX_GAP = 4


@dataclass(frozen=True)
class _Item:
    start: int
    #: the marker as written (``-``, ``*``, ``+``, ``1.``, ``1)``) and its column.
    marker: str
    column: int
    #: column of the content as CommonMark reads it, and as Python-Markdown needs it.
    source: int
    target: int
    #: whether the first line's content starts within 4 spaces of the marker (not indented code).
    inline: bool


def reindent_lists(markdown: str) -> str:
    """`markdown` with its list items indented the way Python-Markdown reads CommonMark's."""
    lines = markdown.split("\n")
    owner: dict[int, _Item] = {}  # line -> innermost item holding it (not as its first line)
    first: dict[int, _Item] = {}  # line -> outermost item it opens
    stack: list[_Item | None] = []  # open items; None: a block quote, or an item inside one
    for token in block_parser().parse(markdown):
        if token.type == "blockquote_open":
            stack.append(None)
        elif token.type == "list_item_open":
            parent = stack[-1] if stack else None
            item = None
            if token.map is not None and (parent is not None or not stack):
                item = _item(lines, token.map[0], token.info + token.markup, parent)
            stack.append(item)
            if item is not None and token.map is not None:
                first.setdefault(item.start, item)
                owner.update(dict.fromkeys(range(item.start + 1, token.map[1]), item))
        elif token.type in {"blockquote_close", "list_item_close"}:
            stack.pop()

    out: list[str] = []
    # Python-Markdown parses text between blank lines as one block: a block that opens with an
    # item at column c holds later items at column c or deeper, any other block swallows them.
    opener: int | None = None  # marker column of the item opening the current block
    for number, line in enumerate(lines):
        item = first.get(number)
        column = None
        if item is not None:
            column = owner[number].target if number in owner else 0
            if out and out[-1].strip() and (opener is None or opener > column):
                out.append("")
            new = " " * column + _marker_line(line, item, column)
        elif number in owner:
            new = _move(line, owner[number])
        else:
            new = line
        if new.strip() and (not out or not out[-1].strip()):
            opener = column
        out.append(new)
    return "\n".join(out)


def _item(lines: list[str], start: int, marker: str, parent: _Item | None) -> _Item | None:
    """The item whose `marker` (``-``, ``1.``) is on line `start`, or None if not found there."""
    expanded = lines[start].expandtabs(LEVEL)
    # An item can open on its parent's first line ("- - x"): look after the parent's marker.
    base = parent.source if parent is not None and parent.start == start else 0
    column = len(expanded) - len(expanded[base:].lstrip(" "))
    if not expanded.startswith(marker, column):
        return None
    end = column + len(marker)
    text = expanded[end:].lstrip(" ")
    gap = len(expanded) - end - len(text)
    inline = bool(text) and gap <= _MAX_GAP
    source = end + gap if inline else end + 1
    target = (parent.target if parent else 0) + LEVEL
    return _Item(start, marker, column, source, target, inline)


def _marker_line(line: str, item: _Item, column: int) -> str:
    """The first line of `item` from its marker on, for a marker placed at `column`."""
    expanded = _expand(line, item.source)
    # Python-Markdown knows only "1." items; CommonMark reads "1)" the same way.
    marker = item.marker.replace(")", ".")
    rest = expanded[item.column + len(item.marker) :]
    if not rest.strip():
        return marker + " "  # Python-Markdown needs a space after an item's marker
    if not item.inline:
        return marker + rest
    # Content at the column of the item's other lines, so CommonMark reads them alike too.
    gap = max(1, item.target - column - len(marker))
    return marker + " " * gap + expanded[item.source :]


def _move(line: str, item: _Item) -> str:
    """A line of `item` (not its first one) at the column Python-Markdown reads the item at."""
    if not line.strip():
        return ""
    rest = _strip_columns(line, item.source)
    # Less indented than the content: a lazy paragraph line, whose indentation means nothing.
    return " " * item.target + (line.lstrip() if rest is None else rest)


def _strip_columns(line: str, width: int) -> str | None:
    """`line` without `width` columns of indentation, or None if it has less (tabs stop every 4).

    A tab that straddles `width` leaves its remaining columns as spaces, as CommonMark does.
    """
    column = index = 0
    while column < width:
        if index == len(line):
            return ""
        if line[index] == " ":
            column += 1
        elif line[index] == "\t":
            column += LEVEL - column % LEVEL
        else:
            return None
        index += 1
    return " " * (column - width) + line[index:]


def _expand(line: str, width: int) -> str:
    """`line` with the tabs before column `width` expanded, so indices there are columns."""
    head = ""
    for index, char in enumerate(line):
        if len(head) >= width:
            return head + line[index:]
        head += " " * (LEVEL - len(head) % LEVEL) if char == "\t" else char
    return head
