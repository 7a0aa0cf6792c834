"""Markdown, parsed in one place for every stage.

Two views of a Markdown text, one configuration (CommonMark, raw HTML on, GFM tables):

- `outline`: what lint reads, and all it reads: each inline run's links, images, code spans and
  raw HTML, each HTML block and heading, with its 0-based line range (``first``,
  ``last`` exclusive, as markdown-it's token ``map``). It is built by ``markdown-it-pyrs``, the
  Rust port of markdown-it (same CommonMark parser, node tree with byte source maps), several
  times faster than markdown-it-py on the bodies and references a cold lint reads.
- `parser` / `tokens`: markdown-it-py's token stream, for the stages that walk tokens or
  render (migrate, docs, inline suppressions). markdown-it-pyrs has no token stream, no
  per-rule switches (docs parse blocks without inlines) and no normalised inline ``content``
  (the text of a paragraph without its container's ``>`` and indentation), so those stay here.

The outline is the same whichever parser builds it (`tests/test_markdown_differential.py` checks
it on the corpus and on fuzzed Markdown): ``SKILLKIT_MARKDOWN_ENGINE=markdown-it-py`` builds it
from markdown-it-py instead, and so does a platform without a markdown-it-pyrs wheel. Where
markdown-it-pyrs 0.4 reads Markdown otherwise (a backtick run left open, a lazy line in a block
quote, ``<!doctype``, ``<pre>``-like blocks in lists, odd link reference definitions and table
rows, tab indentation; a panic), the text is handed to markdown-it-py (15 of the corpus's 520
Markdown files). What fuzzing found otherwise is in that list.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # parsers are imported when a text is parsed: a cached lint never is
    from markdown_it import MarkdownIt
    from markdown_it.rules_core.state_core import StateCore
    from markdown_it.token import Token

Engine = Literal["markdown-it-pyrs", "markdown-it-py"]
InlineKind = Literal["link", "autolink", "image", "code", "html"]
BlockKind = Literal["inline", "html", "heading"]


@dataclass(frozen=True, slots=True)
class Inline:
    """A link (``<https://…>``: an autolink), image, code span or raw HTML tag of a run."""

    kind: InlineKind
    #: link or image: the destination as the parser normalised it (percent-encoded, entities
    #: decoded); code: the span's text; html: the tag or comment as written.
    value: str
    #: inside a link's label (``[`code`](x.md)``): the link, not its label, names the target.
    in_link: bool = False


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the outline, with the 0-based lines ``[first, last)`` it spans."""

    kind: BlockKind
    first: int
    last: int
    #: heading: its text as written (the Markdown source, markers stripped); html: the block's
    #: HTML (without the newline that ends it).
    text: str = ""
    level: int = 0
    #: inline run: its links, images, code spans and raw HTML, in order (a run with none is
    #: left out of the outline).
    inlines: tuple[Inline, ...] = ()


Outline = tuple[Block, ...]

#: Characters without which a text holds no link, image, autolink, code span or HTML.
_INLINE_MARKERS = ("[", "`", "<")


# -- markdown-it-py: the token stream --------------------------------------------------------


@cache
def parser() -> MarkdownIt:
    """The one Markdown configuration as a markdown-it-py parser (CommonMark + tables)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table")


@cache
def block_parser() -> MarkdownIt:
    """`parser` without inline parsing: the block structure alone (docs pages and lists)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.core.ruler.disable("inline")
    return md


def tokens(text: str) -> list[Token]:
    """markdown-it-py tokens of `text` (maps are 0-based lines of `text`)."""
    return parser().parse(text)


def _code(content: str) -> str:
    # A span of spaces alone names nothing; the two parsers keep different numbers of them.
    return content if content.strip() else ""


def _marked_inline(state: StateCore) -> None:
    # Inline parsing is half of a parse, and most runs are plain prose: the outline holds only
    # links, images, code spans and HTML, which cannot occur in a run without their markers.
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            content = token.content
            if any(marker in content for marker in _INLINE_MARKERS):
                state.md.inline.parse(content, state.md, state.env, token.children)


@cache
def _outline_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Emphasis and line breaks only add inline tokens the outline leaves out, and neither
    # changes where a link, code span or HTML tag is found (neither matches at their markers).
    md = MarkdownIt("commonmark", {"html": True}).enable("table").disable(["emphasis", "newline"])
    md.core.ruler.at("inline", _marked_inline)
    return md


def _outline_py(text: str, links_only: bool = False) -> Outline:
    blocks: list[Block] = []
    stream = _outline_parser().parse(text)
    for i, token in enumerate(stream):
        if token.map is None:
            continue
        first, last = token.map
        kind = token.type
        if kind == "inline":
            items: list[Inline] = []
            in_link = False
            for child in token.children or ():
                ctype = child.type
                if ctype == "link_open":
                    href = str(child.attrGet("href") or "")
                    auto = child.markup == "autolink"
                    items.append(Inline("autolink", href) if auto else Inline("link", href))
                    in_link = True
                elif ctype == "link_close":
                    in_link = False
                elif ctype == "image":
                    items.append(Inline("image", str(child.attrGet("src") or "")))
                elif ctype == "code_inline":
                    items.append(Inline("code", _code(child.content), in_link))
                elif ctype == "html_inline":
                    items.append(Inline("html", child.content, in_link))
            if items:
                blocks.append(Block("inline", first, last, inlines=tuple(items)))
        elif kind == "heading_open":
            after = stream[i + 1] if i + 1 < len(stream) else None
            text_ = after.content if after is not None and after.type == "inline" else ""
            blocks.append(Block("heading", first, last, text_, int(token.tag[1:])))
        elif kind == "html_block":
            # (its last line ends with a newline, except at the end of the text; a newline
            # at the end means nothing to a rule)
            blocks.append(_html(first, token.content))
    return tuple(_only_links(blocks)) if links_only else tuple(blocks)


_SRC_HREF = re.compile(r"(?i:src|href)\s*=")
#: How a destination that names no file begins: an anchor, a URL scheme other than ``file:``
#: (two letters at least: ``C:`` is a drive), or ``//`` (a URL without its scheme).
_REMOTE = r"(?:#|//|(?![Ff][Ii][Ll][Ee]:)[A-Za-z][A-Za-z0-9+.-]+:)"
#: A link or image (``](``) or link reference definition (``]:``) whose destination may be a
#: local path. The destination starts after spaces or tabs; a line end, ``<``, an entity or a
#: backslash there may hide anything, so only the plain forms of `_REMOTE` are passed over.
#: (A reference link's destination is its definition's: that is where it is looked at.)
_LOCAL_BRACKET = re.compile(rf"\][(:][ \t]*+(?!{_REMOTE})")
#: An "=" that may end ``src =`` or ``href=`` (`_attribute` looks further back). A regex for
#: the names themselves is tried at every character: most of the cost of a text without links.
_EQUALS = re.compile(r"=(?:(?<=[cCfF]=)|(?<=[cCfF\s>][\s>]=))")
_ATTRIBUTE_NAME = re.compile(r"(?i:src|href)\Z")


def _attribute(text: str, at: int) -> bool:
    """Whether the "=" at `at` ends a ``src``/``href`` as `_SRC_HREF` can find it: across any
    whitespace, and the ``>`` of a quote's next line (which the parser drops from its HTML)."""
    start = at
    while start and (text[start - 1].isspace() or text[start - 1] == ">"):
        start -= 1
    return _ATTRIBUTE_NAME.search(text, max(0, start - 4), start) is not None


def _local_marks(text: str) -> list[int]:
    """Offsets, in order, of the syntax through which `text` may link a local file: a link,
    image or definition whose destination is not plainly an anchor or a URL, or an HTML
    ``src``/``href`` whatever its value (an HTML block's comments are dropped before its
    values are read, which can join other text to one)."""
    found = [m.start() for m in _LOCAL_BRACKET.finditer(text)]
    html = [m.start() for m in _EQUALS.finditer(text) if _attribute(text, m.start())]
    return sorted(found + html) if html else found


def _only_links(blocks: Sequence[Block]) -> list[Block]:
    """The blocks that `links` keeps: links, images, and HTML with a ``src`` or ``href``."""
    kept: list[Block] = []
    for b in blocks:
        if b.kind == "html":
            if _SRC_HREF.search(b.text):
                kept.append(b)
        elif b.kind == "inline":
            items = tuple(
                i
                for i in b.inlines
                if i.kind == "link"
                or i.kind == "image"
                or (i.kind == "html" and _SRC_HREF.search(i.value))
            )
            if items:
                kept.append(Block("inline", b.first, b.last, inlines=items))
    return kept


def _html(first: int, content: str) -> Block:
    # Lines run to the last one with text: an HTML block left open at the end of the text also
    # holds the blank lines after it, in markdown-it-py, which mean nothing to a rule.
    kept = content.rstrip()
    return Block("html", first, first + kept.count("\n") + 1, kept)


# -- markdown-it-pyrs: the node tree ---------------------------------------------------------

#: HTML that markdown-it-pyrs 0.4 reads otherwise: a block opening with ``<!`` and a lower-case
#: letter (``<!doctype html>``: CommonMark 0.31 and markdown-it-py read an HTML block, it reads a
#: paragraph), and the empty comments ``<!-->``, ``<!--->`` (CommonMark 0.31), anywhere; and a
#: ``<script>``, ``<pre>``, ``<style>`` or ``<textarea>`` block inside a list or quote, which it
#: ends at a blank line: such a tag on a line that does not start with it (in column 0, the
#: tag opens a block at the top level, or is code in a fence).
_DECLARATION = re.compile(r"<![a-z]|<!---?>")
_RAW_TAG = re.compile(r"<(?:script|pre|style|textarea)(?:[\s>]|$)", re.IGNORECASE | re.MULTILINE)


def _read_otherwise(text: str) -> bool:
    """Whether `text` holds HTML that markdown-it-pyrs 0.4 reads otherwise (see above)."""
    if "<!" in text and _DECLARATION.search(text):
        return True
    return any(at and text[at - 1] != "\n" for at in (m.start() for m in _RAW_TAG.finditer(text)))


#: A link reference definition with nothing after its colon, or a backslash or ``[`` (on its
#: line or the next), and a table
#: delimiter row that has a ``|`` where its header row has none (or the other way round): read
#: otherwise by markdown-it-pyrs 0.4.
_ODD_DEFINITION = re.compile(
    r"^(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)]))*[ \t]*\[[^\n]*\]:(?:[ \t]*$|[^\n]*\n?[^\n]*[\\\[])",
    re.MULTILINE,
)
#: (found from the newline before it: a pattern led by a literal skips from one newline to the
#: next, where one led by ``^`` is tried at every character)
_DELIMITER_ROW = re.compile(r"\n([ \t]*[-:|][-:| \t]*)(?=\n|\Z)")


def _odd_table(text: str) -> bool:
    for m in _DELIMITER_ROW.finditer(text):
        row = m[1]
        start = text.rfind("\n", 0, m.start()) + 1  # of the header row, the line above
        header = text[start : m.start()]
        if "-" not in row or not header.strip():
            continue
        if ("|" in row and "|" not in header) or (
            "|" not in row and header.lstrip().startswith("|")
        ):
            return True
        before = text.rfind("\n", 0, max(start - 1, 0))
        if "|" in row and text[before + 1 : start].lstrip().startswith(">"):
            return True  # a header row that may be a block quote's lazy line
    return False


#: A tab in a line's indentation: markdown-it-pyrs 0.4 maps a list item's paragraph indented
#: by one (partly taken as the item's indentation) to the wrong bytes.
_TAB_INDENT = re.compile(r"^[ >]*\t", re.MULTILINE)

#: Block nodes of the tree; anything else met among a block's children is inline (a tight
#: list item holds its paragraph's inline nodes directly).
_BLOCKS = frozenset(
    {
        "paragraph", "heading", "lheading", "html_block", "fence", "code_block", "hr",
        "blockquote", "bullet_list", "ordered_list", "list_item", "table", "thead", "tbody",
        "trow", "tcell", "definition",
    }
)  # fmt: skip
_BREAKS = frozenset({"softbreak", "hardbreak"})


#: CommonMark's rules and tables, without emphasis: as for markdown-it-py above, emphasis only
#: adds nodes the outline leaves out (and its pairing is where markdown-it-pyrs 0.4 can panic).
_PYRS_RULES = [
    "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
    "reference", "autolink", "backticks", "entity", "escape", "image", "link", "newline",
    "html_block", "html_inline", "table",
]  # fmt: skip


@cache
def _pyrs_parser() -> Any:
    import markdown_it_pyrs

    return markdown_it_pyrs.MarkdownIt("zero").enable_many(_PYRS_RULES)  # type: ignore[arg-type]


_LINK_MARKS = re.compile(rb"[\[<]")
_OUTLINE_MARKS = re.compile(rb"[\[<`]")
#: an ATX heading's ``#``, or a line that may underline a setext heading: ``=`` or ``-`` alone
#: after indentation or quote markers (a list marker would start an item, not underline).
_HEADING_MARKS = re.compile(rb"#|\n[ \t>]*(?:=+|-+)[ \t]*(?=\n|$)")


class _Tree:
    """One walk over a markdown-it-pyrs tree: its UTF-8 source (the tree's maps are byte
    offsets into it), what to keep, and the blocks kept so far."""

    def __init__(self, source: bytes, links_only: bool) -> None:
        self.source = source
        #: keep only links, images and HTML (no headings, no code spans): see `links`.
        self.links_only = links_only
        #: offsets of every byte that can open what is kept, found in one pass: most blocks
        #: are plain prose, and asking of each whether it holds one is then a bisection, not
        #: a copy and three scans of its bytes.
        found = (_LINK_MARKS if links_only else _OUTLINE_MARKS).finditer(source)
        self.marks = [m.start() for m in found]
        #: the same, and where a heading may be, for containers (a list or table is walked
        #: only when it may hold something kept): a ``#`` anywhere or a setext underline.
        self.inner = self.marks
        if not links_only:
            heads = [m.start() for m in _HEADING_MARKS.finditer(source)]
            self.inner = sorted(self.marks + heads) if heads else self.marks
        #: (a tab can shift a block's own map, not its inline nodes': see `_blocks`)
        self.tabless = b"\t" not in source
        self.out: list[Block] = []
        self._at = 0  # lines are counted onwards from the last offset asked about
        self._line = 0

    def line(self, offset: int) -> int:
        """0-based line of a byte offset."""
        if offset >= self._at:
            self._line += self.source.count(b"\n", self._at, offset)
        else:
            self._line -= self.source.count(b"\n", offset, self._at)
        self._at = offset
        return self._line

    def marked(self, start: int, end: int) -> bool:
        """Whether bytes [start, end) can hold what is kept (a link, an image, HTML, code)."""
        return _holds(self.marks, start, end)

    def holds(self, start: int, end: int) -> bool:
        """Whether bytes [start, end) can hold what is kept, a heading included."""
        return _holds(self.inner, start, end)

    def check_quoted(self, first: int, last: int) -> None:
        """Lines of a paragraph in a block quote that lack the ``>`` are lazy continuations,
        which markdown-it-py reads differently (a ``2.`` line ends the quote; the paragraph's
        map leaves the line out): such a text is read by markdown-it-py."""
        if last - first < 2:
            return
        lines = self.source.split(b"\n")[first + 1 : last]
        if not all(line.lstrip().startswith(b">") for line in lines):
            raise _Suspect


class _Suspect(Exception):
    """markdown-it-pyrs may have read this text's code spans wrongly (see `_inlines`)."""


class _Walk:
    """State of the walk over one inline run, as markdown-it-py's flat token stream has it."""

    __slots__ = ("in_link", "ticks")

    def __init__(self, ticks: bool) -> None:
        #: inside a link's label. As in markdown-it-py's stream, the end of any link (an
        #: autolink inside a label, too) ends it.
        self.in_link = False
        #: the run's source holds a backtick, so its text is looked at for one.
        self.ticks = ticks


def _inlines(nodes: Sequence[Any], items: list[Inline], walk: _Walk) -> None:
    """Collect the links, images, code spans and HTML of `nodes`."""
    for node in nodes:
        name = node.name
        if name == "text":
            # A backtick left as text is a run with no closer. After one, markdown-it-pyrs 0.4
            # can read later code spans of the paragraph otherwise (or panic).
            if walk.ticks and "`" in node.meta.get("content", ""):
                raise _Suspect
        elif name == "link" or name == "autolink":
            url = node.meta.get("url", "")
            items.append(Inline("link", url) if name == "link" else Inline("autolink", url))
            walk.in_link = True
            _inlines(node.children, items, walk)
            walk.in_link = False
        elif name == "image":
            items.append(Inline("image", node.meta.get("url", "")))
            if walk.ticks:  # its alt text is not read, only checked
                in_link = walk.in_link
                _inlines(node.children, [], walk)
                walk.in_link = in_link
        elif name == "code_inline":
            body = node.children
            content = _code(body[0].meta.get("content", "") if body else "")
            items.append(Inline("code", content, walk.in_link))
        elif name == "html_inline":
            items.append(Inline("html", node.meta.get("content", ""), walk.in_link))
        elif name != "softbreak" and name != "text_special":
            _inlines(node.children, items, walk)


def _heading_text(nodes: Sequence[Any], tree: _Tree, nested: bool) -> str:
    """The heading's source from its first inline node to its last, as markdown-it-py's inline
    ``content``: inside a quote or list, a line break drops the container's prefix with it."""
    spans = [n.srcmap for n in nodes if n.srcmap is not None]
    if not spans:
        return ""
    start, end = spans[0][0], spans[-1][1]
    source = tree.source
    if not nested:
        return source[start:end].decode("utf-8", errors="replace")
    parts: list[bytes] = []
    at = start
    for node in nodes:
        span = node.srcmap
        if node.name in _BREAKS and span is not None:
            newline = source.index(b"\n", span[0], span[1]) + 1
            parts.append(source[at:newline])
            at = span[1]
    parts.append(source[at:end])
    return b"".join(parts).decode("utf-8", errors="replace")


def _extent(nodes: Sequence[Any]) -> tuple[int, int] | None:
    """Byte offsets from the start of the first of `nodes` to the end of the last."""
    first = nodes[0].srcmap if nodes else None
    final = nodes[-1].srcmap if nodes else None
    if first is None or final is None:  # (every inline node has a map: this is a safeguard)
        spans = [n.srcmap for n in nodes if n.srcmap is not None]
        if not spans:
            return None
        first, final = spans[0], spans[-1]
    return first[0], max(final[1], first[0] + 1)


def _run(nodes: Sequence[Any], tree: _Tree, quoted: bool) -> None:
    """Add the inline run `nodes` (one paragraph, heading or table cell) if it holds anything."""
    extent = _extent(nodes)
    if extent is None:
        return
    start, end = extent
    if quoted:
        tree.check_quoted(tree.line(start), tree.line(end - 1) + 1)
    if not tree.marked(start, end):
        return  # no link, image, code span or HTML: most prose
    first, last = tree.line(start), tree.line(end - 1) + 1
    items: list[Inline] = []
    _inlines(nodes, items, _Walk(b"`" in tree.source[start:end]))
    if items:
        tree.out.append(Block("inline", first, last, inlines=tuple(items)))


_CONTAINERS = frozenset(
    {"blockquote", "bullet_list", "ordered_list", "list_item", "table", "thead", "tbody", "trow"}
)


def _blocks(node: Any, tree: _Tree, nested: bool, quoted: bool) -> None:
    pending: list[Any] = []  # inline nodes met directly in a block (a tight list's paragraph)
    for child in node.children:
        name = child.name
        if name == "paragraph" or name == "tcell":
            if pending:
                _run(pending, tree, quoted)
                pending = []
            span = child.srcmap
            if span is not None and not quoted and tree.tabless and not tree.marked(*span):
                continue  # most prose: nothing kept (nor a node touched)
            _run(child.children, tree, quoted)
            continue
        if name not in _BLOCKS:
            pending.append(child)
            continue
        if pending:
            _run(pending, tree, quoted)
            pending = []
        if name in _CONTAINERS:
            span = child.srcmap
            if (
                name != "blockquote"  # walked for its lazy lines (see `check_quoted`)
                and span is not None
                and tree.tabless
                and not tree.holds(*span)
            ):
                continue
            inner = name != "table" and name != "thead" and name != "tbody" and name != "trow"
            _blocks(child, tree, nested or inner, quoted or name == "blockquote")
        elif name == "heading" or name == "lheading":
            children = child.children
            if not tree.links_only:
                span = child.srcmap or (0, 0)
                first, last = tree.line(span[0]), tree.line(max(span[1] - 1, span[0])) + 1
                text = _heading_text(children, tree, nested)
                level = int(child.meta.get("level", 1))
                tree.out.append(Block("heading", first, last, text, level))
            _run(children, tree, quoted)
        elif name == "html_block":
            tree.out.append(
                _html(tree.line((child.srcmap or (0, 0))[0]), child.meta.get("content", ""))
            )
    if pending:
        _run(pending, tree, quoted)


def _normalised(text: str) -> str:
    # markdown-it-py reads "\r\n", "\r" as line ends and NUL as U+FFFD before parsing: so must
    # we, for the same lines and links.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return text


def _outline_pyrs(text: str, links_only: bool = False) -> Outline:
    text = _normalised(text)
    if (
        ("<" in text and _read_otherwise(text))
        or ("\t" in text and _TAB_INDENT.search(text))
        or ("]:" in text and _ODD_DEFINITION.search(text))
        or ("|" in text and _odd_table(text))
    ):
        return _outline_py(text, links_only)
    try:
        walk = _Tree(text.encode("utf-8", "surrogatepass"), links_only)
        _blocks(_pyrs_parser().tree(text), walk, False, False)
    except _Suspect:
        return _outline_py(text, links_only)  # the same outline, more slowly
    except BaseException as exc:  # a Rust panic is raised as a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        return _outline_py(text, links_only)
    return tuple(_only_links(walk.out)) if links_only else tuple(walk.out)


# -- the outline ------------------------------------------------------------------------------


@cache
def default_engine() -> Engine:
    """markdown-it-pyrs, unless ``SKILLKIT_MARKDOWN_ENGINE`` says otherwise or it is missing."""
    wanted = os.environ.get("SKILLKIT_MARKDOWN_ENGINE", "markdown-it-pyrs")
    if wanted == "markdown-it-py":
        return "markdown-it-py"
    try:
        import markdown_it_pyrs  # noqa: F401
    except ImportError:
        return "markdown-it-py"
    return "markdown-it-pyrs"


def outline(text: str, engine: Engine | None = None) -> Outline:
    """The links, images, code spans, HTML and headings of `text` (see `Block`)."""
    if not text:
        return ()
    if (engine or default_engine()) == "markdown-it-py":
        return _outline_py(text)
    return _outline_pyrs(text)


def may_link_files(text: str) -> bool:
    """Whether `links` can find anything in `text`: a look for its syntax, without a parse.
    (Line ends and NULs, which `links` normalises first, change no such syntax.)"""
    if _LOCAL_BRACKET.search(text):
        return True
    return any(_attribute(text, m.start()) for m in _EQUALS.finditer(text))


def links(text: str, engine: Engine | None = None) -> Outline:
    """The blocks of `outline` through which `text` may link a local file: runs with their
    links and images (not autolinks, which always have a scheme) and HTML with ``src`` or
    ``href``; no headings, no code spans. A run or HTML block whose every destination is
    plainly an anchor or a URL may be left out (see `_local_marks`).

    All that the link checks of a bundled file need: a text without such syntax is not parsed,
    and markdown-it-pyrs parses only the parts of the text that hold it outside fenced code
    (see `_scan`)."""
    if not text:
        return ()
    text = _normalised(text)
    marks = _local_marks(text)
    if not marks:
        return ()
    if (engine or default_engine()) == "markdown-it-py":
        return _outline_py(text, True)
    starts, code = _scan(text, marks)
    if code:
        marks = [mark for mark in marks if not bisect_right(code, mark) % 2]
    ends = [*starts[1:], len(text)]
    found: list[Block] = []
    line = offset = 0
    for part in sorted({bisect_right(starts, mark) - 1 for mark in marks}):
        start = starts[part]
        line += text.count("\n", offset, start)
        offset = start
        found.extend(_shifted(_outline_pyrs(text[start : ends[part]], True), line))
    return tuple(found)


def _shifted(blocks: Outline, lines: int) -> Outline | list[Block]:
    """`blocks` of a part moved down to its place in the text (`lines` down)."""
    if not lines:
        return blocks
    return [
        Block(b.kind, b.first + lines, b.last + lines, b.text, b.level, b.inlines) for b in blocks
    ]


_FENCE = re.compile(r"( {0,3})(`{3,}|~{3,})(.*)")
#: Line starts that the scan looks at more closely (str.startswith: most lines are neither).
_FENCE_HEADS = tuple(f"{' ' * n}{c}" for n in range(4) for c in "`~")
_HTML_HEADS = tuple(f"{' ' * n}<" for n in range(4))
#: An HTML block that runs on across blank lines up to its closing tag (CommonMark type 1).
_RAW_START = re.compile(r" {0,3}<(script|pre|style|textarea)(?:[\s>]|$)", re.IGNORECASE)

#: Where the next line that `_Scan.read` must see can be, by the scan's state (each pattern
#: finds every such line, and maybe others): outside any block, a line that may open a fence,
#: HTML or a comment, or that holds what keeps the text whole; in a fence, a line that may
#: close it (or, in a list item, a line indented less than it); in a comment, its end; in a
#: raw HTML block, its closing tag. Every other line only ends or starts a paragraph.
_NEXT_OUTSIDE = re.compile(r"\n {0,3}[`~<]|\]:|<[?!]")
_NEXT_IN_COMMENT = re.compile(r"\n {0,3}[`~]|-->")
_NEXT_IN_RAW = re.compile(r"\n {0,3}[`~]|<!--|</(?:script|pre|style|textarea)>", re.IGNORECASE)
#: A part's first line: one that starts in column 0 after a blank line (its match ends there).
_PART = re.compile(r"\n[^\S\n]*\n(?=\S)")
_FIRST_PART = re.compile(r"[^\S\n]*\n(?=\S)")
_LAST_PART = re.compile(r"(?s:.*)\n[^\S\n]*\n(?=\S)")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


@cache
def _fence_closer(char: str, length: int) -> re.Pattern[str]:
    # the line that closes a fence opened in column 0 (no list item can end it first)
    return re.compile(rf"\n {{0,3}}{re.escape(char)}{{{length},}}[^\S\n]*(?=\n|\Z)")


@cache
def _next_in_list_fence(indent: int) -> re.Pattern[str]:
    # a line indented less than the fence (maybe the end of its list item), or a fence line
    return re.compile(rf"\n(?! {{{indent}}})|\n *[`~]")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


#: What may stand before a link reference definition's "[" on its line: indentation and the
#: markers of quotes and list items (or other runs of their characters).
_DEFINITION_LEAD = re.compile(r"[ \t>*+\-.)0-9]*")


def _may_define(text: str, start: int, end: int) -> bool:
    """Whether a "]:" of the line ``text[start:end]`` may end the label of a link reference
    definition: a label holds no bracket but escaped ones, so it opens at a "[" after the last
    other "]"; and a definition starts a line, after indentation and container markers."""
    at = text.find("]:", start, end)
    while at >= 0:
        close = text.rfind("]", 0, at)
        while close > 0 and text[close - 1] == "\\":  # escaped (or after "\\\\": looks wider)
            close = text.rfind("]", 0, close)
        opening = text.rfind("[", close + 1, at)
        while opening >= 0:
            if _DEFINITION_LEAD.fullmatch(text, text.rfind("\n", 0, opening) + 1, opening):
                return True
            opening = text.rfind("[", close + 1, opening)
        at = text.find("]:", at + 1, end)
    return False


def _defines_from(text: str, start: int) -> bool:
    """Whether a line from `start` on may end a link reference definition's label."""
    at = text.find("]:", start)
    while at >= 0:
        line_end = text.find("\n", at)
        line_end = len(text) if line_end < 0 else line_end
        if _may_define(text, text.rfind("\n", 0, at) + 1, line_end):
            return True
        at = text.find("]:", line_end)
    return False


class _Whole(Exception):
    """The scan cannot place a line: the text is kept whole."""


class _Scan:
    """What `_scan` knows between lines: the fenced code block, HTML comment or raw HTML
    block it is in, and whether an HTML block may be open."""

    __slots__ = ("comment", "fence", "html", "raw")

    def __init__(self) -> None:
        self.fence: tuple[str, int, int] | None = None  # its marker, length and indentation
        self.raw: str | None = None  # the closing tag of an open raw HTML block
        self.comment = False
        self.html = False

    def next_line(self) -> re.Pattern[str]:
        """The pattern that finds the next line `read` must see (see `_NEXT_OUTSIDE`)."""
        if self.raw is not None:
            return _NEXT_IN_RAW
        if self.fence is not None:
            char, length, indent = self.fence
            return _next_in_list_fence(indent) if indent else _fence_closer(char, length)
        return _NEXT_IN_COMMENT if self.comment else _NEXT_OUTSIDE

    def read(self, text: str, start: int, end: int, blank_before: bool) -> bool:
        """Read the line ``text[start:end]``; whether a part starts at it (outside any block,
        it starts in column 0 after a blank line). Raises `_Whole` where the scan cannot
        place it."""
        line = text[start:end]
        mark = _FENCE.fullmatch(line) if line.startswith(_FENCE_HEADS) else None
        if self.raw is not None:
            if mark or "<!--" in line:
                raise _Whole  # what the block holds or what follows it: not placed here
            self.raw = None if self.raw in line.lower() else self.raw
            return False
        fence = self.fence
        if fence is not None:
            if fence[2] and line.strip() and _indent(line) < fence[2]:
                raise _Whole  # may end the list item that holds the fence, and so the fence
            if mark and mark[2][0] == fence[0] and len(mark[2]) >= fence[1] and not mark[3].strip():
                self.fence = None
            elif fence[2] and line.lstrip(" ").startswith(("```", "~~~")) and _indent(line) > 3:
                raise _Whole  # may close a list item's fence
            return False
        if self.comment:
            if mark:
                raise _Whole  # a fence in a comment, or a comment that was only text
            self.comment = "-->" not in line
            return False
        if "<?" in line or ("<!" in line and "<!" in line.replace("<!--", "")):
            raise _Whole  # markup not placed here
        if "]:" in line and _may_define(text, start, end):
            raise _Whole  # a link reference definition: it reaches the whole text
        blank = not line or line.isspace()
        if mark and not (mark[2][0] == "`" and "`" in mark[3]):
            if self.html:
                raise _Whole  # a fence that may be inside an HTML block, or not a fence
            self.fence = (mark[2][0], len(mark[2]), len(mark[1]))
        elif "<!--" in line and "-->" not in line[line.rindex("<!--") :]:
            self.comment = True
        elif line.startswith(_HTML_HEADS) and (opened := _RAW_START.match(line)) is not None:
            if self.html:
                raise _Whole  # inside another HTML block, or a block of its own: not placed
            closing = f"</{opened[1].lower()}>"
            self.raw = None if closing in line.lower() else closing
        self.html = not blank and (self.html or line.startswith(_HTML_HEADS))
        return blank_before and not blank and not line[0].isspace()


def _scan(text: str, marks: Sequence[int] | None = None) -> tuple[list[int], list[int]]:
    """Offsets of the independent parts of a text, each parsed alone as within it (``[0]``:
    the text is kept whole); and where the content of each fenced code block opened in
    column 0 begins and ends, one after the other (no list item holds such a fence, a table
    or quote ends at it, and the scan knows it is not in HTML: its content is code, even in
    a text kept whole, up to the line the scan stopped at). With `marks` (sorted offsets),
    only the parts that hold one are sure to be told apart: parts between them may be left
    joined, and the scan stops after the last mark's part (a text with what may be a link
    reference definition after it, even in code, is kept whole).

    A part begins at a line that starts in column 0 after a blank line, outside a fenced code
    block, an HTML comment and a ``<pre>``-like block: such a line ends every paragraph, list,
    quote, table, other HTML block and indented code before it. A fence opened with
    indentation may be in a list item, which ends it early: the scan follows it only while
    its lines are indented as far as its opening line. A text that the scan cannot place (a
    fence next to HTML, a line that may end a list's fence, a link reference definition,
    which reaches the whole text, ``<!x`` and ``<?``) is kept whole.

    Only the lines that can change what the scan knows are read one by one (`_Scan`); between
    them, regular expressions find where parts start and whether a blank line ends HTML."""
    every = marks is None
    scan = _Scan()
    starts = [0]
    code: list[int] = []
    end = first_end = text.find("\n")
    try:
        scan.read(text, 0, len(text) if end < 0 else end, False)
        if scan.fence is not None and not scan.fence[2]:
            code.append(len(text) if end < 0 else end + 1)  # a fence opened in column 0
        while end >= 0:  # `end`: the line end after the last line read
            if marks and starts[-1] > marks[-1]:  # past the last mark's part
                if _defines_from(text, starts[-1]):
                    raise _Whole
                break
            outside = scan.fence is None and scan.raw is None and not scan.comment
            found = scan.next_line().search(text, end)
            at = len(text) + 1 if found is None else text.rfind("\n", 0, found.start() + 1) + 1
            if outside:  # the lines before `at` only start parts or end an HTML block
                after_blank = _FIRST_PART.match(text, 0, at) if end == first_end else None
                if after_blank is not None:  # the line after a blank first line
                    starts.append(after_blank.end())
                if every or _holds(marks, end, at):
                    starts.extend(m.end() for m in _PART.finditer(text, end, at))
                else:  # what bounds the parts of the marks before and after these lines
                    starts.extend(_outer_starts(text, end, at))
                if scan.html and _BLANK_LINE.search(text, end, at):
                    scan.html = False
            if found is None:
                break
            end = text.find("\n", at)
            if scan.fence is not None and not scan.fence[2]:
                scan.fence = None  # (`_fence_closer` finds just the line that closes it)
                code.append(at)
                continue
            before = text[text.rfind("\n", 0, at - 1) + 1 : at - 1]
            if scan.read(text, at, len(text) if end < 0 else end, not before or before.isspace()):
                starts.append(at)
            if scan.fence is not None and not scan.fence[2] and not len(code) % 2:
                code.append(len(text) if end < 0 else end + 1)  # a fence opened in column 0
    except _Whole:
        starts = [0]
    if len(code) % 2:
        code.append(len(text))  # (left open)
    return starts, code


def _holds(marks: Sequence[int] | None, start: int, end: int) -> bool:
    """Whether one of `marks` (sorted) is in [start, end)."""
    if marks is None:
        return True
    at = bisect_right(marks, start - 1)
    return at < len(marks) and marks[at] < end


def _outer_starts(text: str, start: int, end: int) -> list[int]:
    """The first and the last part start among the lines between `start` and `end`."""
    first = _PART.search(text, start, end)
    if first is None:
        return []
    last = _LAST_PART.match(text, first.start(), end)
    return [first.end()] if last is None or last.end() == first.end() else [first.end(), last.end()]


def runs(blocks: Outline) -> Iterator[Block]:
    """The inline runs of an outline (each holds at least one link, image, code span or tag)."""
    return (b for b in blocks if b.kind == "inline")


# -- fenced code blocks, without a parse ------------------------------------------------------


@dataclass(frozen=True)
class FencedBlock:
    """A fenced code block: its info string's first word, and the 0-based indexes of its first
    content line and of the line after its closing fence. `content` is computed when read."""

    lang: str
    first: int
    end: int
    raw: str = field(repr=False)
    #: how many characters of indentation or quote markers the opening line had
    width: int = 0

    @cached_property
    def content(self) -> str:
        lines = self.raw.split("\n")
        if lines[-1] == "":
            lines.pop()
        return "".join(_unlead(x, self.width) + "\n" for x in lines)


_FENCE_OPEN = re.compile(
    r"^(?P<lead>(?:[ \t]*>)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?)"
    r"(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$",
    re.MULTILINE,
)


@cache
def _fence_close(char: str, length: int) -> re.Pattern[str]:
    return re.compile(rf"^[ \t>]*{re.escape(char)}{{{length},}}[ \t]*$", re.MULTILINE)


def _unlead(line: str, width: int) -> str:
    """`line` without the indentation and quote markers (up to `width` characters) that its
    fence's opening line had."""
    cut = 0
    while cut < min(width, len(line)) and line[cut] in " \t>":
        cut += 1
    return line[cut:]


_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_DEDENTED = re.compile(r"^(?! *$)(?P<indent> *)\S", re.MULTILINE)


def _item_end(text: str, match: re.Match[str], start: int, stop: int) -> int | None:
    """Where the list item holding the fence opened by `match` ends, when that is before
    `stop`: the first non-blank line indented less than the item's content. None outside a
    list item (quotes are left to the fence's own close)."""
    lead = match["lead"]
    if ">" in lead or not lead:
        return None
    width = len(lead)
    if not _LIST_MARKER.match(lead):
        # indented: inside an item only if the nearest less-indented line above starts one
        above = text[: match.start()].rstrip("\n").split("\n")
        owner = next((x for x in reversed(above)
                      if x.strip() and len(x) - len(x.lstrip(" ")) < width), "")
        if not _LIST_MARKER.match(owner):
            return None
    for line in _DEDENTED.finditer(text, start, stop):
        if len(line["indent"]) < width:
            return line.start()
    return None


def fenced_blocks(text: str) -> list[FencedBlock]:
    """The fenced code blocks of a Markdown text, found by regular expressions.

    For readers that want only code blocks (a policy, a script) from many files: a full parse
    costs far more. Fences are CommonMark's (three or more backticks or tildes; the closing one
    the same character, at least as long), at any indentation or quote depth and after a list
    marker, so fences in list items count; indented code blocks do not.
    """
    if "```" not in text and "~~~" not in text:
        return []
    found: list[FencedBlock] = []
    position = 0
    line = 0  # 0-based index of the line at `position`
    while True:
        match = _FENCE_OPEN.search(text, position)
        if match is None:
            return found
        line += text.count("\n", position, match.start())
        fence, info = match["fence"], match["info"]
        if fence[0] == "`" and "`" in info:
            position = match.end()
            continue
        body_start = match.end() + 1
        close = _fence_close(fence[0], len(fence)).search(text, body_start)
        body_end = close.start() if close else len(text)
        item_end = _item_end(text, match, body_start, body_end)
        if item_end is not None:  # the list item ends first: so does a fence left open in it
            close, body_end = None, item_end
        raw = text[body_start:body_end] if body_start <= body_end else ""
        first = line + 1
        end = first + raw.count("\n") + (1 if raw and not raw.endswith("\n") else 0)
        end += 1 if close else 0
        stripped = info.strip()
        lang = stripped.split(None, 1)[0].lower() if stripped else ""
        found.append(FencedBlock(lang, first, end, raw, len(match["lead"])))
        if close is None:
            return found
        position = close.end()
        line = end - 1 + text.count("\n", close.start(), position)
