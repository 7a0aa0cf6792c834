"""Inline suppressions in Markdown comments, and which of them went unused.

Syntax (codes or kebab-case rule names, separated by commas or spaces)::

    <!-- skillkit: disable SK203 -->             from this line to the end of the file,
    <!-- skillkit: enable SK203 -->              or up to a matching 'enable'
    <!-- skillkit: disable-next-line SK301,broken-link -->
    <!-- skillkit: disable-file SK202 -->        anywhere in the file: the whole file

Comments are found through markdown-it (HTML blocks and inline HTML), so an example of the
syntax inside a code block or code span suppresses nothing. Only a text holding the marker is
parsed here, with markdown-it-py (see `skillkit.markdown`), which gives each paragraph's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from skillkit.diagnostics import Diagnostic, Edit, Fix
from skillkit.lint.registry import get_rule
from skillkit.markdown import tokens
from skillkit.model import Skill

if TYPE_CHECKING:
    from markdown_it.token import Token

Action = Literal["disable", "enable", "disable-next-line", "disable-file"]
#: Every suppression comment holds this: a text without it has none (the cheap first test).
MARKER = "skillkit:"
_DIRECTIVE = re.compile(
    r"<!--\s*skillkit:\s*(?P<action>disable-file|disable-next-line|disable|enable)\b"
    r"(?P<codes>.*?)-->",
    re.DOTALL,
)


@dataclass(frozen=True)
class Directive:
    """One suppression comment."""

    action: Action
    #: the codes or names as written, and the rule code each resolves to (None: unknown).
    names: tuple[str, ...]
    codes: tuple[str | None, ...]
    path: Path
    line: int
    column: int
    end_line: int
    #: character offsets of the comment in the file's decoded text (None: spans lines), and
    #: of its whole line when the comment stands alone on it.
    span: tuple[int, int] | None = None
    line_span: tuple[int, int] | None = None

    def without(self, names: Iterable[str]) -> Fix | None:
        """A fix dropping `names` from this comment (the whole comment when none are left)."""
        if self.span is None:
            return None
        drop = set(names)
        kept = [n for n in self.names if n not in drop]
        if kept:
            text = f"<!-- skillkit: {self.action} {', '.join(kept)} -->"
            return Fix(
                f"remove {', '.join(sorted(drop))} from the suppression",
                (Edit(self.span[0], self.span[1], text),),
            )
        start, end = self.line_span or self.span
        return Fix("remove the unused suppression", (Edit(start, end, ""),))


@dataclass
class _Entry:
    directive: Directive
    name: str
    code: str | None
    used: bool = False


def _resolve(name: str) -> str | None:
    rule = get_rule(name)
    return rule.code if rule is not None else None


def _comments(tokens: Iterable[Token]) -> Iterator[tuple[str, int]]:
    """(html text, 0-based first line) of every HTML block and inline HTML run."""
    for token in tokens:
        if token.map is None:
            continue
        if token.type == "html_block" or (
            token.type == "inline"
            and any(
                c.type == "html_inline" and MARKER in c.content for c in token.children or ()
            )
        ):
            yield token.content, token.map[0]


def parse_directives(
    text: str, tokens: Iterable[Token], path: Path, line_base: int, text_offset: int = 0
) -> list[Directive]:
    """Directives in a Markdown text.

    `line_base` is the 1-based file line of the text's first line and `text_offset` the
    character offset of the text within the file (the body of a SKILL.md starts after its
    frontmatter).
    """
    with_ends = text.splitlines(keepends=True)
    starts = [0]
    for line in with_ends:
        starts.append(starts[-1] + len(line))
    lines = [line.rstrip("\r\n") for line in with_ends]
    found: list[Directive] = []
    for content, first in _comments(tokens):
        for m in _DIRECTIVE.finditer(content):
            offset_line = first + content.count("\n", 0, m.start())
            end_line = first + content.count("\n", 0, m.end())
            source_line = lines[offset_line] if offset_line < len(lines) else ""
            at = source_line.find(m.group(0))
            column = (at if at >= 0 else max(source_line.find("<!--"), 0)) + 1
            span = line_span = None
            if at >= 0 and offset_line == end_line:
                line_start = text_offset + starts[offset_line]
                span = (line_start + at, line_start + at + len(m.group(0)))
                if source_line.strip() == m.group(0):
                    line_span = (line_start, text_offset + starts[offset_line + 1])
            names = tuple(n for n in re.split(r"[\s,]+", m["codes"].strip()) if n)
            found.append(
                Directive(
                    action=m["action"],  # type: ignore[arg-type]
                    names=names,
                    codes=tuple(_resolve(n) for n in names),
                    path=path,
                    line=line_base + offset_line,
                    column=column,
                    end_line=line_base + end_line,
                    span=span,
                    line_span=line_span,
                )
            )
    return found


@dataclass
class FileSuppressions:
    """The suppressions of one file, with a use count for each code of each directive."""

    path: Path
    directives: list[Directive]
    entries: list[_Entry] = field(default_factory=list)

    def __post_init__(self) -> None:
        for d in self.directives:
            for name, code in zip(d.names, d.codes, strict=True):
                self.entries.append(_Entry(d, name, code))

    def _matches(self, diag: Diagnostic) -> list[_Entry]:
        hits: list[_Entry] = []
        open_disable: _Entry | None = None
        for entry in self.entries:
            if entry.code != diag.code:
                continue
            d = entry.directive
            next_line = d.action == "disable-next-line" and diag.line == d.end_line + 1
            if d.action == "disable-file" or next_line:
                hits.append(entry)
            elif d.action == "disable" and d.line <= diag.line:
                open_disable = entry
            elif d.action == "enable" and d.line <= diag.line:
                open_disable = None
        if open_disable is not None:
            hits.append(open_disable)
        return hits

    def suppresses(self, diag: Diagnostic) -> bool:
        hits = self._matches(diag)
        for entry in hits:
            entry.used = True
        return bool(hits)


def _skill_md_directives(skill: Skill) -> list[Directive]:
    # (A stand-in that `skillkit.lint.run` hands tree rules keeps its body when it has these.)
    if MARKER not in skill.body:
        return []
    return parse_directives(
        skill.body, tokens(skill.body), skill.skill_md, skill.body_line, skill.body_offset
    )


def _file_directives(path: Path) -> list[Directive]:
    if not path.is_file():
        return []  # a finding may point at a named pipe or a device: never read those
    try:
        # utf-8-sig: offsets count from after a BOM, as in every decoded text we fix
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return []
    if MARKER not in text:
        return []
    return parse_directives(text, tokens(text), path, 1)


@dataclass
class SkillSuppressions:
    """Suppressions for the files of one skill that findings point at (SKILL.md always)."""

    skill: Skill
    files: dict[Path, FileSuppressions] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.files[self.skill.skill_md] = FileSuppressions(
            self.skill.skill_md, _skill_md_directives(self.skill)
        )

    def for_path(self, path: Path) -> FileSuppressions:
        found = self.files.get(path)
        if found is None:
            directives = _file_directives(path) if path.suffix.lower() == ".md" else []
            found = self.files[path] = FileSuppressions(path, directives)
        return found

    def filter(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics that no suppression covers (marking the ones that were used)."""
        return [d for d in diagnostics if not self.for_path(d.path).suppresses(d)]

    def unused(
        self, codes: Iterable[str], report_unknown: bool
    ) -> Iterator[tuple[Directive, str, Fix | None]]:
        """(directive, message, fix) for each entry among `codes` that suppressed nothing.

        Unknown rule names are reported only when `report_unknown` (once, by the per-skill
        pass; the tree pass checks only its own rules' codes).
        """
        wanted = set(codes)
        for fs in self.files.values():
            found: list[tuple[Directive, str, str | None]] = []
            for entry in fs.entries:
                d = entry.directive
                if entry.code is None:
                    if report_unknown:
                        found.append(
                            (d, f"suppression names unknown rule {entry.name!r}", entry.name)
                        )
                elif entry.code in wanted and not entry.used and d.action != "enable":
                    message = f"unused suppression: {d.action} {entry.name} suppressed nothing"
                    found.append((d, message, entry.name))
            if report_unknown:
                for d in fs.directives:
                    if not d.names:
                        message = f"'skillkit: {d.action}' names no rule (add codes such as SK203)"
                        found.append((d, message, None))
            dropped: dict[Directive, set[str]] = {}
            for d, _, name in found:
                dropped.setdefault(d, set()).update([name] if name else [])
            for d, message, _ in found:
                # an 'enable' whose 'disable' is dropped would be left dangling: keep it simple
                fix = d.without(dropped[d]) if d.action != "enable" else None
                yield d, message, fix
