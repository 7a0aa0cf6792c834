"""Untrusted skill content made safe to publish: paths, Markdown and HTML.

Skill folders come from anywhere, so three things are enforced here, not in templates:
- every page path is built from slugs, so no name can write outside the site folder;
- raw HTML in a skill's Markdown is escaped before mkdocs sees it (it shows as text);
- the HTML mkdocs renders for catalog pages is sanitised again with nh3 (defence in depth:
  no ``<script>``, no ``on*=`` attributes, no ``javascript:`` URLs, no remote images).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

import nh3

from skillkit.markdown import block_parser

_SLUG_DROP = re.compile(r"[^a-z0-9._-]+")
_SEGMENT_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")


def slugify(text: str, fallback: str = "item") -> str:
    """A lowercase slug of letters, digits, dots, hyphens and underscores (never ``.``/``..``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _SLUG_DROP.sub("-", ascii_text.lower()).strip("-._")
    slug = re.sub(r"-{2,}", "-", slug)
    return slug[:80] or fallback


def safe_relpath(relpath: str) -> str | None:
    """`relpath` if every segment is a plain file name inside its folder, else None.

    Rejects absolute paths, ``..``, backslashes, empty segments, hidden files and anything with
    characters beyond letters, digits and ``._+-`` (those pages are listed but not rendered).
    """
    if not relpath or relpath.startswith("/") or "\\" in relpath or "\x00" in relpath:
        return None
    parts = relpath.split("/")
    if any(not _SEGMENT_OK.match(p) or p in {".", ".."} for p in parts):
        return None
    return relpath


def page_for_file(relpath: str) -> str:
    """The page rendering a bundled file: ``x.md`` stays, ``x.py`` becomes ``x.py.md``."""
    return relpath if relpath.endswith(".md") else f"{relpath}.md"


# -- Markdown -------------------------------------------------------------------------------------

_COMMENT_ONLY = re.compile(r"(?:<!--.*?-->\s*)+", re.S)
_INLINE_COMMENT = re.compile(r"<!--.*?-->")
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")


def _escape_html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_line(line: str) -> str:
    """Escape ``<`` outside code spans so no tag survives; code spans render it literally."""
    out: list[str] = []
    pos = 0
    for match in _CODE_SPAN.finditer(line):
        out.append(_INLINE_COMMENT.sub("", line[pos : match.start()]).replace("<", "&lt;"))
        out.append(match.group(0))
        pos = match.end()
    out.append(_INLINE_COMMENT.sub("", line[pos:]).replace("<", "&lt;"))
    return "".join(out)


def neutralize_html(markdown: str) -> str:
    """`markdown` with every raw HTML tag turned into visible text; code is left intact."""
    lines = markdown.split("\n")
    code_lines: set[int] = set()  # lines left exactly as they are
    html_lines: set[int] = set()
    for token in block_parser().parse(markdown):
        if token.map is None:
            continue
        start, end = token.map
        if token.type in {"fence", "code_block"}:
            code_lines.update(range(start, end))
        elif token.type == "html_block":
            if _COMMENT_ONLY.fullmatch(token.content.strip()):
                # Authors' comments (lint suppressions, notes) are not content: drop them.
                code_lines.update(range(start, end))
                for number in range(start, end):
                    lines[number] = ""
            else:
                html_lines.update(range(start, end))
    for number, line in enumerate(lines):
        if number in code_lines:
            continue
        if number in html_lines:
            # Indent-free escaped text: shown as a paragraph of literal HTML.
            lines[number] = _escape_html_text(line)
        else:
            lines[number] = _escape_line(line)
    return "\n".join(lines)


LinkResolver = Callable[[str], "str | None"]

# CommonMark destinations may hold balanced parentheses (`javascript:alert(1)`); matching only
# up to the first `)` would leave the rest as stray text. Past 3 levels of nesting the link still
# ends at the first `)`, so it is dropped whole rather than left unrewritten.
# Destinations are capped in length: an unclosed `[a](` scans ahead for its `)`, and a body of
# thousands of them would otherwise cost quadratic time (possessive: no backtracking into it).
# A longer destination is left to mkdocs' strict link check and to `sanitize_html`.
_BALANCED_DEST = r"(?:[^()\s<>]|\((?:[^()\s]|\((?:[^()\s]|\([^()\s]*\))*\))*\)){1,2048}+"
_INLINE_LINK = re.compile(
    r"(!?\[(?:[^\]\\]|\\.)*\])\(\s*<?("
    + _BALANCED_DEST
    + r"|[^)\s>]{1,2048}+)>?((?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*)\)"
)
_REF_DEF = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*)<?([^\s>]+)>?", re.M)


def rewrite_links(markdown: str, resolve: LinkResolver) -> str:
    """Rewrite relative links with `resolve` (target -> new target, or None: drop the link).

    Dropped links keep their text; dropped images become their alt text. http(s) and mailto
    links stay, but remote images become plain links (the site is offline). Other schemes
    (``javascript:``, ``data:``) go to `resolve`, which drops them. One pass over the text for
    inline links and one for reference definitions; `sanitize_html` catches any other form.
    """
    decided: dict[str, str | None] = {}

    def decide(target: str) -> str | None:
        if target not in decided:
            kind = _classify(target)
            decided[target] = target if kind in {"external-link", "anchor"} else resolve(target)
        return decided[target]

    def inline(match: re.Match[str]) -> str:
        label, target, title = match.group(1), match.group(2), match.group(3)
        new = decide(target)
        if new is None:
            return _link_text(label)
        if label.startswith("!") and _classify(target) == "external-link":
            label = label[1:]
        return f"{label}({new}{title})"

    def definition(match: re.Match[str]) -> str:
        new = decide(match.group(2))
        return match.group(1) + ("#" if new is None else new)

    return _REF_DEF.sub(definition, _INLINE_LINK.sub(inline, markdown))


def _link_text(bracketed: str) -> str:
    text = bracketed[2:-1] if bracketed.startswith("!") else bracketed[1:-1]
    return text


def _classify(target: str) -> str:
    parts = urlsplit(target)
    if parts.scheme or target.startswith("//"):
        return "external-link" if parts.scheme in {"http", "https", "mailto"} else "unsafe"
    if target.startswith("#"):
        return "anchor"
    return "relative"


def resolve_relative(target: str, base_dir: str, known: dict[str, str]) -> str | None:
    """Map a relative link written in a file under `base_dir` to a page path, or None.

    `known` maps skill-relative paths (``references/x.md``) to their docs-relative page
    (relative to the skill's folder in the docs). The result is relative to `base_dir`.
    """
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    path = unquote(parts.path)
    joined = (
        posixpath.normpath(posixpath.join(base_dir, path)) if base_dir else posixpath.normpath(path)
    )
    if joined.startswith("../") or joined == "..":
        return None
    page = known.get(joined)
    if page is None:
        return None
    rel = posixpath.relpath(page, base_dir or ".")
    return rel + (f"#{parts.fragment}" if parts.fragment else "")


# -- HTML -----------------------------------------------------------------------------------------

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "input", "kbd", "li", "mark", "ol",
    "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_GENERIC_ATTRIBUTES = {"class", "id", "title", "align", "colspan", "rowspan", "lang"}
_TAG_ATTRIBUTES = {
    "a": {"href"},
    "input": {"type", "placeholder", "autocomplete", "aria-label", "disabled", "checked"},
    "table": {"data-skillkit"},
    "tr": {"data-search"},
    "ol": {"start"},
}


def sanitize_html(html: str) -> str:
    """Keep what Markdown produces; drop scripts, event handlers, styles, images and frames."""
    return str(
        nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes={"*": _GENERIC_ATTRIBUTES, **_TAG_ATTRIBUTES},
            url_schemes={"http", "https", "mailto"},
            # No target= survives, so no rel=noopener is needed; internal links stay plain.
            link_rel=None,
            strip_comments=True,
        )
    )


def strip_tags(html: str) -> str:
    """`html` with every tag removed (entities kept): for titles rendered unescaped."""
    return str(nh3.clean(html, tags=set(), attributes={}))
