"""Relative targets named in a body: Markdown links and images, and code spans naming files."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

from markdown_it.token import Token

from skillkit.lint.rules._helpers import per_skill
from skillkit.model import Skill

_FILE_URL = re.compile(r"^file:(?://[^/]*)?", re.IGNORECASE)
#: a URL scheme (two letters at least, so that "C:\\x" is a drive, not a scheme).
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]+:")
#: a code span that names a bundled file: ``scripts/x.py``, ``references/guide.md``.
_BUNDLED = re.compile(r"^(?:\./)?(?:scripts|references|assets)/[\w./-]*\w$")

#: ``src="..."`` / ``href='...'`` in raw HTML (``<img>``, ``<a>``, ``<script>``).
_HTML_ATTR = re.compile(r"""\b(?P<attr>src|href)\s*=\s*(?P<q>["'])(?P<value>.*?)(?P=q)""", re.I)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SKILL_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
_PLACEHOLDER = re.compile(r"^\.{3,}$|[{}<>*]|\.\.\.")

Kind = Literal["link", "image", "code"]


@dataclass(frozen=True)
class Target:
    kind: Kind
    target: str  # as written
    path: str  # decoded, without fragment or query
    line: int
    column: int
    #: for code spans: the same paragraph names another skill in code (`other-skill`), so the
    #: path is probably that skill's file.
    near_other_skill: bool = False


def position(
    skill: Skill, lines: list[str], first_line: int, last_line: int, needles: list[str]
) -> tuple[int, int]:
    """1-based line/column of the first of `needles` found in body lines [first, last)."""
    for needle in needles:
        for index in range(first_line, min(last_line, len(lines))):
            col = lines[index].find(needle)
            if col >= 0:
                return skill.file_line(index), col + 1
    return skill.file_line(first_line), 1


def _raw_targets(token: Token) -> Iterator[tuple[Kind, str]]:
    """(kind, target as written) for the links, images, code spans and HTML in one block."""
    if token.type == "html_block":
        for m in _HTML_ATTR.finditer(_HTML_COMMENT.sub("", token.content)):
            yield ("image" if m["attr"].lower() == "src" else "link"), m["value"]
        return
    in_link = False
    for child in token.children or ():
        if child.type == "link_close":
            in_link = False
        elif child.type == "link_open":
            in_link = True
            yield "link", str(child.attrGet("href") or "")
        elif child.type == "image":
            yield "image", str(child.attrGet("src") or "")
        elif child.type == "html_inline":
            for m in _HTML_ATTR.finditer(child.content):
                yield ("image" if m["attr"].lower() == "src" else "link"), m["value"]
        elif (
            child.type == "code_inline"
            and not in_link  # the link itself is checked, not its label
            and _BUNDLED.match(child.content.strip())
        ):
            yield "code", child.content.strip()


@per_skill
def targets(skill: Skill) -> list[Target]:
    """Every relative target in the body, in order (computed once per skill)."""
    found: list[Target] = []
    lines: list[str] | None = None
    for token in skill.lint_tokens:
        if token.type == "inline":
            if not token.children:
                continue  # a run without link, image, code or HTML markers (see model)
        elif token.type != "html_block":
            continue
        if token.map is None:
            continue
        first, last = token.map
        others: bool | None = None  # looked for only once a code span names a file
        for kind, written in _raw_targets(token):
            # a local file URL: its path is what matters (and it is absolute)
            raw = _FILE_URL.sub("", written)
            if not raw or raw.startswith("#") or _SCHEME.match(raw) or raw.startswith("//"):
                continue
            if _PLACEHOLDER.search(raw):
                continue  # "[text](...)", "{path}", "<file>": an example, not a reference
            shown = unquote(raw)  # markdown-it percent-encodes hrefs; show what was written
            path = unquote(raw.split("#", 1)[0].split("?", 1)[0])
            if not path:
                continue
            if lines is None:
                lines = skill.body.splitlines()
            needles = [written, raw, shown, shown.replace("\\", "\\\\")]
            line, column = position(skill, lines, first, last, needles)
            if kind == "code" and others is None:
                others = any(
                    c.type == "code_inline"
                    and _SKILL_NAME.match(c.content)
                    and c.content != skill.name
                    for c in token.children or ()
                )
            found.append(Target(kind, shown, path, line, column, kind == "code" and bool(others)))
    return found


def escapes(path: str) -> bool:
    """Whether a relative path written in the skill leaves the skill folder."""
    if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", path) or path.startswith("~"):
        return True
    normal = posixpath.normpath(path.replace("\\", "/"))
    return normal == ".." or normal.startswith("../")
