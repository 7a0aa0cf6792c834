"""Relative targets named in a body: Markdown links and images, and code spans naming files."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

from skillkit.lint.rules._helpers import per_skill
from skillkit.markdown import Block
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
_DRIVE = re.compile(r"[A-Za-z]:[\\/]")
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
    return find(lines, skill.body_line, first_line, last_line, needles)


def find(
    lines: list[str], line_base: int, first_line: int, last_line: int, needles: list[str]
) -> tuple[int, int]:
    """1-based line/column of the first of `needles` found in `lines` [first, last), whose
    first line is line `line_base` of its file."""
    for needle in needles:
        for index in range(first_line, min(last_line, len(lines))):
            col = lines[index].find(needle)
            if col >= 0:
                return line_base + index, col + 1
    return line_base + first_line, 1


def _raw_targets(block: Block) -> Iterator[tuple[Kind, str]]:
    """(kind, target as written) for the links, images, code spans and HTML in one block."""
    if block.kind == "html":
        for m in _HTML_ATTR.finditer(_HTML_COMMENT.sub("", block.text)):
            yield ("image" if m["attr"].lower() == "src" else "link"), m["value"]
        return
    for item in block.inlines:
        if item.kind == "link" or item.kind == "image":
            yield item.kind, item.value
        elif item.kind == "html":
            for m in _HTML_ATTR.finditer(item.value):
                yield ("image" if m["attr"].lower() == "src" else "link"), m["value"]
        elif (
            not item.in_link  # the link itself is checked, not its label
            and "/" in item.value  # (most code spans: no path, no match to try)
            and _BUNDLED.match(item.value.strip())
        ):
            yield "code", item.value.strip()


@per_skill
def targets(skill: Skill) -> list[Target]:
    """Every relative target in the body, in order (computed once per skill)."""
    return block_targets(skill.outline, skill.body, skill.body_line, skill.name)


def block_targets(
    blocks: tuple[Block, ...], text: str, line_base: int, own_name: str | None
) -> list[Target]:
    """Every relative target in an outlined text, in order; lines count from `line_base`
    (the 1-based file line of the text's first line)."""
    found: list[Target] = []
    lines: list[str] | None = None
    for block in blocks:
        if block.kind != "inline" and block.kind != "html":
            continue
        others: bool | None = None  # looked for only once a code span names a file
        for kind, written in _raw_targets(block):
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
                lines = text.splitlines()
            needles = [written, raw, shown, shown.replace("\\", "\\\\")]
            line, column = find(lines, line_base, block.first, block.last, needles)
            if kind == "code" and others is None:
                others = any(
                    i.kind == "code" and _SKILL_NAME.match(i.value) and i.value != own_name
                    for i in block.inlines
                )
            found.append(Target(kind, shown, path, line, column, kind == "code" and bool(others)))
    return found


def escapes(path: str) -> bool:
    """Whether a relative path written in the skill leaves the skill folder."""
    if path.startswith(("/", "\\", "~")) or _DRIVE.match(path):
        return True
    normal = posixpath.normpath(path.replace("\\", "/"))
    return normal == ".." or normal.startswith("../")
