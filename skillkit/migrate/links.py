"""Links in migrated text: relative links of the SOP, and same-page anchors of moved text.

A relative link in an SOP points at a file beside it. In the skill it becomes:

- a link to a copy in ``references/`` when the file exists inside the SOP's folder (never a
  file outside it, through ``..`` or a symlink: a skill is published, and must not carry
  whatever the link happened to reach);
- the name of the skill when it points at another SOP migrated in the same run (a skill
  cannot link into another skill's folder; agents load skills by name);
- plain text otherwise, with an ``SOP122`` warning.

A same-page link (``#mode-behavior``) whose heading moved to another file of the skill is
pointed at that file.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from skillkit.anchors import SAME_PAGE_LINK, slug
from skillkit.markdown import tokens as md_tokens

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
#: a bundled copy of a linked file is at most this large.
MAX_COPY_BYTES = 1 << 20
_INLINE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:\\.|[^\[\]\\]|\[(?:\\.|[^\[\]\\])*\])*)\]"
    r"\(\s*(?P<dest><[^>\n]*>|[^\s()]+(?:\([^\s()]*\))?)"
    r"(?P<title>\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_DEFINITION = re.compile(r"^(?P<lead> {0,3}\[[^\]]+\]:[ \t]*)(?P<dest><[^>\n]*>|\S+)")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
#: what the migrator writes for a link to another migrated SOP; the lossless check ignores it.
SKILL_NOTE = re.compile(r" \(skill `[a-z0-9-]+`\)")


@dataclass(frozen=True)
class Target:
    """What a relative link of the SOP becomes: ``copy`` (``value`` = path in the skill,
    ``source`` = the file copied), ``skill`` (``value`` = skill name) or ``plain`` (the link
    text alone)."""

    kind: str
    value: str = ""
    source: Path | None = None


def is_relative(href: str) -> bool:
    return bool(href) and not href.startswith(("#", "//", "{", "<", "/", "\\")) \
        and not _SCHEME.match(href)


def relative_links(text: str) -> list[tuple[str, int]]:
    """(href, 1-based line) of each link and image of ``text`` that points at a relative
    path, in order; code is never read."""
    found: list[tuple[str, int]] = []
    for block in md_tokens(text):
        if block.type != "inline" or not block.children or block.map is None:
            continue
        for child in block.children:
            if child.type not in ("link_open", "image"):
                continue
            href = str(child.attrs.get("href") or child.attrs.get("src") or "")
            if is_relative(href):
                found.append((href, block.map[0] + 1))
    return found


def path_part(href: str) -> str:
    """The file a link names: its path, without fragment or query, percent-decoded."""
    return unquote(href.split("#", 1)[0].split("?", 1)[0])


def resolve(href: str, sop_dir: Path, sop_skills: dict[Path, str]) -> Path | str | None:
    """The file to copy (a Path), the skill name of a migrated SOP (a str), or None."""
    part = path_part(href)
    if not part:
        return None
    try:
        target = (sop_dir / part).resolve()
        base = sop_dir.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    if target in sop_skills:
        return sop_skills[target]
    if not target.is_relative_to(base) or not target.is_file():
        return None
    try:
        if target.stat().st_size > MAX_COPY_BYTES:
            return None
    except OSError:
        return None
    return target


def _code_lines(text: str) -> set[int]:
    """0-based lines inside fenced or indented code blocks."""
    lines: set[int] = set()
    for token in md_tokens(text):
        if token.type in ("fence", "code_block", "html_block") and token.map:
            lines.update(range(token.map[0], token.map[1]))
    return lines


def _outside_spans(line: str) -> Callable[[int], bool]:
    spans = [m.span() for m in _CODE_SPAN.finditer(line)]
    return lambda pos: not any(start <= pos < end for start, end in spans)


def rewrite_links(text: str, replace: Callable[[str, str, bool], str | None]) -> str:
    """Apply ``replace(dest, text, is_image)`` to every inline link outside code: it returns
    the Markdown to put instead of the whole link, or None to keep it."""
    if "](" not in text:
        return text
    code = _code_lines(text)
    out: list[str] = []
    for index, line in enumerate(text.splitlines(keepends=True)):
        if index in code or "](" not in line:
            out.append(line)
            continue
        outside = _outside_spans(line)

        def sub(match: re.Match[str], outside: Callable[[int], bool] = outside) -> str:
            if not outside(match.start()):
                return match.group(0)
            dest = match.group("dest").strip("<>")
            new = replace(dest, match.group("text"), bool(match.group("bang")))
            return match.group(0) if new is None else new

        out.append(_INLINE.sub(sub, line))
    return "".join(out)


def relink(
    text: str, file: str, targets: dict[str, Target], used: set[str] | None = None,
    written: frozenset[str] = frozenset(),
) -> str:
    """Rewrite the SOP's relative links in ``text``, a file at ``file`` inside the skill;
    the copies it links are added to ``used``. A link to a file the migration writes
    (``written``: the index's ``references/step-1.md``) is the migrator's own and stays."""
    if not targets:  # the SOP links no relative path: nothing to rewrite
        return text
    here = posixpath.dirname(file)
    used = set() if used is None else used

    def replace(dest: str, label: str, image: bool) -> str | None:
        path = path_part(dest)
        if posixpath.normpath(posixpath.join(here, path)) in written:
            return None
        target = targets.get(path)
        if target is None:
            return None
        if target.kind == "copy":
            used.add(target.value)
            fragment = "#" + dest.split("#", 1)[1] if "#" in dest else ""
            rel = posixpath.relpath(target.value, here or ".")
            return f"{'!' if image else ''}[{label}]({rel}{fragment})"
        if target.kind == "skill":
            return f"{label} (skill `{target.value}`)" if label else f"skill `{target.value}`"
        return label

    relinked = rewrite_links(text, replace)
    lines = relinked.splitlines(keepends=True)
    code = _code_lines(relinked)
    for index, line in enumerate(lines):
        match = _DEFINITION.match(line) if index not in code else None
        if match is None:
            continue
        target = targets.get(path_part(match.group("dest").strip("<>")))
        if target is not None and target.kind == "copy":
            used.add(target.value)
            rel = posixpath.relpath(target.value, here or ".")
            lines[index] = match.group("lead") + rel + line[match.end():]
    return "".join(lines)


def _anchors(text: str) -> set[str]:
    tokens = md_tokens(text)
    return {slug(tokens[i + 1].content) for i, tok in enumerate(tokens)
            if tok.type == "heading_open" and i + 1 < len(tokens)}


def relink_anchors(files: dict[str, str], dangling: set[str] | None = None) -> dict[str, str]:
    """Point each same-page link whose heading moved to another Markdown file of the skill at
    that file. A link whose heading is nowhere in the skill (it was broken in the SOP too)
    becomes its text, and its anchor is added to ``dangling``."""
    dangling = set() if dangling is None else dangling
    markdown = {rel: text for rel, text in files.items() if rel.endswith(".md")}
    linked = {rel: {m.lower() for m in SAME_PAGE_LINK.findall(text)}
              for rel, text in markdown.items()}
    if not any(linked.values()):  # no same-page link anywhere: no heading to look up
        return files
    anchors = {rel: _anchors(text) for rel, text in markdown.items()}
    out = dict(files)
    for rel, text in markdown.items():
        wanted = linked[rel] - anchors[rel]
        if not wanted:
            continue
        moved = {frag: other for frag in wanted
                 for other in sorted(anchors) if other != rel and frag in anchors[other]}
        here = posixpath.dirname(rel)

        def replace(dest: str, label: str, image: bool, here: str = here,
                    moved: dict[str, str] = moved, wanted: set[str] = wanted) -> str | None:
            frag = dest[1:].lower() if dest.startswith("#") else ""
            if frag in moved:
                path = posixpath.relpath(moved[frag], here or ".")
                return f"{'!' if image else ''}[{label}]({path}#{dest[1:]})"
            if frag in wanted:
                dangling.add(dest)
                return label
            return None

        out[rel] = rewrite_links(text, replace)
    return out


def copy_name(source: Path, taken: set[str]) -> str:
    """A free ``references/`` path for a bundled copy of ``source``."""
    stem, suffix = os.path.splitext(source.name)
    rel, n = f"references/{source.name}", 2
    while rel in taken:
        rel, n = f"references/{stem}-{n}{suffix}", n + 1
    return rel
