"""Parse ``*.sop.md`` text into :class:`~skillkit.migrate.model.Sop` values.

Structure comes from markdown-it's block tokens, so ``#`` lines inside code fences are never
headings. Every deviation from the SOP spec is an ``SOPnnn`` diagnostic with file:line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.frontmatter import split
from skillkit.markdown import tokens as md_tokens
from skillkit.migrate._tokens import count_tokens
from skillkit.migrate.classify import ON_DEMAND_KINDS, classify_heading
from skillkit.migrate.codes import diag
from skillkit.migrate.fences import repair_nested_fences, unclosed_fence
from skillkit.migrate.links import relative_links
from skillkit.migrate.model import Scope, Section, SectionKind, Sop, Step
from skillkit.migrate.scan import ScanResult, scan

_STEP = re.compile(
    r"^(?:(?:step|schritt|paso|etapa|étape|etape)\s+)?(?P<num>\d+(?:\.\d+)*)\s*[.:)\-\u2013\u2014]?\s*"
    r"(?P<name>.*)$",
    re.IGNORECASE,
)
_CANONICAL_STEP = re.compile(r"^\d+\.\s+\S")
_H2_STEP = re.compile(r"^(?:(?:step|schritt|paso|etapa|étape|etape)\s+\d+|\d+[.)]\s+\S)", re.I)
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
#: "Other" sections longer than this with no constraint are reference prose, on demand.
LONG_REFERENCE_TOKENS = 600
#: far above any real SOP (the largest known is ~50 KB); keeps a stray huge file from stalling.
MAX_SOP_BYTES = 8 << 20


@dataclass
class ParsedFile:
    path: Path
    #: how the file is named in messages and in ``metadata.source``.
    display: str
    sha256: str
    text: str
    sops: list[Sop] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: (href, line) of every link to a relative path, for the migrator to bundle or unlink.
    links: list[tuple[str, int]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(d.severity >= Severity.ERROR for d in self.diagnostics)


@dataclass(frozen=True)
class _Heading:
    level: int
    line: int  # 0-based index into body lines
    title: str


def parse_file(path: Path, display: str | None = None) -> ParsedFile:
    """Read and parse one SOP file; unusable files give an error diagnostic, never raise."""
    shown = display or str(path)
    where = Path(shown)
    size = path.stat().st_size
    if size > MAX_SOP_BYTES:
        parsed = ParsedFile(path, shown, "", "")
        parsed.diagnostics.append(diag(
            "SOP123", f"file is {size} bytes, over the {MAX_SOP_BYTES}-byte limit for an SOP; "
            "split it into several files", where))
        return parsed
    data = path.read_bytes()
    parsed = ParsedFile(path, shown, hashlib.sha256(data).hexdigest(), "")
    if not path.name.endswith(".sop.md"):
        parsed.diagnostics.append(
            diag("SOP118", "file name does not end in .sop.md; migrating it anyway", where)
        )
    if not data.strip():
        parsed.diagnostics.append(
            diag("SOP115", "empty SOP: the file has no content; nothing to migrate", where)
        )
        return parsed
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        parsed.diagnostics.append(diag("SOP121", "UTF-8 byte-order mark ignored", where))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        # columns count characters: decode the (valid) part of the line before the bad byte
        prefix = data[data.rfind(b"\n", 0, exc.start) + 1 : exc.start]
        column = len(prefix.decode("utf-8", errors="replace")) + 1
        parsed.diagnostics.append(
            diag("SOP116", f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); re-save the file "
                 "as UTF-8", where, line, column)
        )
        return parsed
    parsed.text = text.replace("\r\n", "\n").replace("\r", "\n")
    repaired, outer_lines = repair_nested_fences(parsed.text)
    for line in outer_lines:
        parsed.diagnostics.append(diag(
            "SOP127", "code fence holds a fenced block with fences of the same length; read "
            "as nested (lengthen the outer fence to say so)", where, line))
    unclosed = unclosed_fence(repaired)
    if unclosed is not None:
        parsed.diagnostics.append(diag(
            "SOP128", "code fence is never closed: the rest of the file is read as code",
            where, unclosed))
    sops, diagnostics = parse_text(repaired, path, where)
    parsed.links = relative_links(repaired)
    parsed.sops = sops
    parsed.diagnostics.extend(diagnostics)
    return parsed


def _front_matter(lines: list[str], where: Path) -> tuple[dict[str, Any], int, list[Diagnostic]]:
    """The SOP's own front matter, read by skillkit's YAML reader (aliases and deep nesting,
    the YAML bombs, are refused)."""
    if not lines or lines[0].rstrip() != "---":
        return {}, 0, []
    if not any(line.rstrip() == "---" for line in lines[1:]):
        return {}, 0, []  # a thematic break, not front matter
    parts = split("".join(lines), where)
    skip = parts.body_line - 1
    if parts.problems:
        first = parts.problems[0]
        return {}, skip, [diag("SOP119", f"front matter ignored: {first.message}", where,
                               first.line, first.column)]
    data = parts.frontmatter.data
    if not isinstance(data, dict):
        return {}, skip, [diag("SOP119", "front matter is not a mapping; ignored", where, 1)]
    message = "SOP already has YAML front matter; description and metadata are reused"
    return dict(data), skip, [diag("SOP111", message, where, 1)]


def parse_text(
    text: str, path: Path, where: Path | None = None
) -> tuple[list[Sop], list[Diagnostic]]:
    where = where or path
    all_lines = text.splitlines(keepends=True)
    front, skip, diagnostics = _front_matter(all_lines, where)
    lines = all_lines[skip:]
    body = "".join(lines)
    headings = [
        _Heading(int(tok.tag[1]), tok.map[0], tokens_inline)
        for tok, tokens_inline in _top_headings(body)
        if tok.map is not None
    ]
    h1s = [h for h in headings if h.level == 1]
    stem = path.name.removesuffix(".md").removesuffix(".sop")
    if not h1s:
        diagnostics.append(diag("SOP117", "no '# Title' heading; using the file name", where,
                                skip + 1))
        ranges = [(0, len(lines), stem, 0)]
        preamble_end = 0
    else:
        preamble_end = h1s[0].line
        ranges = [
            (h.line, h1s[i + 1].line if i + 1 < len(h1s) else len(lines), h.title, h.line + 1)
            for i, h in enumerate(h1s)
        ]
        if len(h1s) > 1:
            diagnostics.append(
                diag("SOP110", f"{len(h1s)} SOPs in one file ('# ' titles); one skill each",
                     where, skip + h1s[1].line + 1)
            )
    preamble = "".join(lines[:preamble_end])
    preamble_scan = scan(preamble, line_offset=skip) if preamble.strip() else ScanResult()
    _scan_diagnostics(preamble_scan, where, diagnostics, in_steps=False)
    sops: list[Sop] = []
    for index, (start, end, title, body_start) in enumerate(ranges):
        sop = _parse_one(lines, skip, start, end, body_start, title, headings, where, diagnostics)
        sop.front_matter = front
        sop.index, sop.count = index, len(ranges)
        if preamble.strip():
            sop.sections.insert(0, Section(SectionKind.PREAMBLE, "", preamble, skip + 1,
                                           skip + preamble_end))
            sop.text = preamble + sop.text
            sop.constraints = preamble_scan.constraints + sop.constraints
        sops.append(sop)
    return sops, diagnostics


def _top_headings(body: str) -> list[tuple[Any, str]]:
    tokens = md_tokens(body)
    return [
        (tok, tokens[i + 1].content.strip())
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open" and tok.level == 0
    ]


def _parse_one(
    lines: list[str],
    skip: int,
    start: int,
    end: int,
    body_start: int,
    title: str,
    headings: list[_Heading],
    where: Path,
    diagnostics: list[Diagnostic],
) -> Sop:
    def file_line(index: int) -> int:
        return skip + index + 1

    sop = Sop(where, title, file_line(start), "".join(lines[start:end]))
    inner = [h for h in headings if start <= h.line < end and h.line >= body_start]
    h2s = [h for h in inner if h.level == 2]
    intro_end = h2s[0].line if h2s else end
    intro = "".join(lines[body_start:intro_end])
    if intro.strip():
        sop.sections.append(Section(SectionKind.INTRO, "", intro, file_line(body_start),
                                    file_line(intro_end - 1)))
    seen_overview = seen_params = seen_steps = h2_steps = False
    step_numbers: dict[str, int] = {}
    for i, h in enumerate(h2s):
        sec_end = h2s[i + 1].line if i + 1 < len(h2s) else end
        text = "".join(lines[h.line:sec_end])
        kind, canonical = classify_heading(h.title)
        if kind is SectionKind.OVERVIEW and seen_overview:
            kind = SectionKind.OTHER
        if kind is SectionKind.PARAMETERS and seen_params:
            kind = SectionKind.OTHER
        if kind is SectionKind.STEPS and seen_steps:
            kind = SectionKind.OTHER
        # "## Step 1: Name" sections, one per step, instead of "### 1. Name" under "## Steps"
        h2_step = kind is SectionKind.OTHER and bool(_H2_STEP.match(h.title)) and (
            h2_steps or not seen_steps)
        if h2_step:
            kind, canonical, h2_steps = SectionKind.STEPS, True, True
        section = Section(kind, h.title, text, file_line(h.line), file_line(sec_end - 1))
        if kind in ON_DEMAND_KINDS:
            section.scope = Scope.ON_DEMAND
        if not canonical and kind in (SectionKind.OVERVIEW, SectionKind.PARAMETERS,
                                      SectionKind.STEPS):
            diagnostics.append(diag(
                "SOP104", f"'## {h.title}' read as the {kind.value.capitalize()} section",
                where, file_line(h.line)))
        sop.sections.append(section)
        section_scan = scan(text, line_offset=file_line(h.line) - 1, kind=kind)
        if kind is SectionKind.OTHER:
            long_prose = count_tokens(text) > LONG_REFERENCE_TOKENS
            if long_prose and not section_scan.constraints:
                section.scope = Scope.ON_DEMAND
            scope = "on demand (references/)" if section.scope is Scope.ON_DEMAND else "global"
            diagnostics.append(diag(
                "SOP112", f"section '## {h.title}' is not in the SOP spec; kept as {scope}",
                where, file_line(h.line)))
        seen_overview |= kind is SectionKind.OVERVIEW
        seen_params |= kind is SectionKind.PARAMETERS
        seen_steps |= kind is SectionKind.STEPS
        sop.parameters.extend(section_scan.parameters)
        if kind is SectionKind.PARAMETERS:
            _parameter_diagnostics(sop, where, diagnostics)
        if h2_step:
            _add_step(sop, lines, skip, h, sec_end, inner, where, diagnostics, step_numbers)
        elif kind is SectionKind.STEPS:
            _parse_steps(sop, lines, skip, h.line, sec_end, inner, where, diagnostics)
        _scan_diagnostics(section_scan, where, diagnostics, in_steps=kind is SectionKind.STEPS)
        sop.constraints.extend(section_scan.constraints)
    if intro.strip():
        intro_scan = scan(intro, line_offset=file_line(body_start) - 1)
        _scan_diagnostics(intro_scan, where, diagnostics, in_steps=False)
        sop.constraints = intro_scan.constraints + sop.constraints
    overview = sop.section(SectionKind.OVERVIEW)
    if overview is not None:
        sop.overview = overview.text.split("\n", 1)[1].strip() if "\n" in overview.text else ""
    else:
        sop.overview = intro.strip()
        where_line = file_line(body_start) if intro.strip() else sop.line
        what = "using the text under the title" if sop.overview else "using the title"
        diagnostics.append(diag("SOP101", f"no '## Overview' section in '{sop.title}'; {what}",
                                where, where_line))
    if not seen_params:
        diagnostics.append(diag("SOP102", f"no '## Parameters' section in '{sop.title}'", where,
                                sop.line))
    if not seen_steps:
        diagnostics.append(diag("SOP103", f"no '## Steps' section in '{sop.title}'; its body "
                                "is kept as written", where, sop.line))
    return sop


def _parse_steps(
    sop: Sop,
    lines: list[str],
    skip: int,
    start: int,
    end: int,
    headings: list[_Heading],
    where: Path,
    diagnostics: list[Diagnostic],
) -> None:
    h3s = [h for h in headings if h.level == 3 and start < h.line < end]
    first = h3s[0].line if h3s else end
    sop.steps_intro = "".join(lines[start:first])
    numbers: dict[str, int] = {}
    for i, h in enumerate(h3s):
        step_end = h3s[i + 1].line if i + 1 < len(h3s) else end
        _add_step(sop, lines, skip, h, step_end, headings, where, diagnostics, numbers)


def _add_step(
    sop: Sop,
    lines: list[str],
    skip: int,
    h: _Heading,
    step_end: int,
    headings: list[_Heading],
    where: Path,
    diagnostics: list[Diagnostic],
    numbers: dict[str, int],
) -> None:
    """One step: heading ``h`` up to ``step_end``; headings one level down are sub-steps."""
    text = "".join(lines[h.line:step_end])
    line = skip + h.line + 1
    match = _STEP.match(h.title)
    number = match.group("num") if match else None
    name = (match.group("name") if match else h.title).strip() or h.title
    marks = "#" * h.level
    if h.level != 3 or not _CANONICAL_STEP.match(h.title):
        diagnostics.append(diag("SOP109", f"step heading '{marks} {h.title}' is not "
                                "'### N. Name' under '## Steps'", where, line))
    if number is not None:
        if number in numbers:
            diagnostics.append(diag("SOP108", f"step number {number} repeats the step at "
                                    f"line {numbers[number]}", where, line))
        else:
            numbers[number] = line
    step_scan = scan(text, line_offset=line - 1, kind=SectionKind.STEPS)
    step = Step(number, name, text, line, skip + step_end, constraints=step_scan.constraints)
    prose: list[str] = []
    for body_line in text.split("\n")[1:]:
        if body_line.lstrip().startswith(("**", "- ", "* ", "#")) and prose:
            break
        prose.append(body_line)
    step.prose = "\n".join(prose).strip()
    subs = [s for s in headings if s.level == h.level + 1 and h.line < s.line < step_end]
    for j, sub in enumerate(subs):
        sub_end = subs[j + 1].line if j + 1 < len(subs) else step_end
        sub_text = "".join(lines[sub.line:sub_end])
        sub_match = _STEP.match(sub.title)
        step.substeps.append(Step(
            sub_match.group("num") if sub_match else None,
            (sub_match.group("name") if sub_match else sub.title).strip() or sub.title,
            sub_text, skip + sub.line + 1, skip + sub_end,
            constraints=scan(sub_text, line_offset=skip + sub.line).constraints))
    sop.steps.append(step)


def _parameter_diagnostics(sop: Sop, where: Path, diagnostics: list[Diagnostic]) -> None:
    table_reported = False
    for param in sop.parameters:
        if param.form == "table" and not table_reported:
            diagnostics.append(diag("SOP105", "parameters given as a table, not a list", where,
                                    param.line))
            table_reported = True
        if param.condition:
            diagnostics.append(diag("SOP105", f"parameter '{param.name}' is conditional "
                                    f"({param.condition})", where, param.line))
        if not _SNAKE.match(param.name):
            diagnostics.append(diag("SOP114", f"parameter name '{param.name}' is not snake_case",
                                    where, param.line))


def _scan_diagnostics(
    result: ScanResult, where: Path, diagnostics: list[Diagnostic], *, in_steps: bool
) -> None:
    for label, line in result.labels:
        if not label.lower().startswith("constraints"):
            diagnostics.append(diag("SOP106", f"constraint block labelled '{label}' instead of "
                                    "'Constraints'", where, line))
    if in_steps:
        for line in result.unlabelled:
            diagnostics.append(diag("SOP106", "constraints without a '**Constraints:**' label",
                                    where, line))
    for line in result.declarations:
        diagnostics.append(diag("SOP107", "RFC 2119 keywords declared for the whole file",
                                where, line))
    for constraint in result.constraints:
        if constraint.level == "":
            diagnostics.append(diag("SOP113", f"constraint without an RFC 2119 keyword: "
                                    f"'{constraint.text[:60]}'", where, constraint.line))
