"""The default migration: one skill per SOP, with progressive disclosure.

The entry SKILL.md holds what an agent needs to start and to stay safe: purpose, parameters,
the short global rules, and a step index (number, name, one-line purpose and the reference
to read before the step). Step detail and long sections move to ``references/``, one file
per step (or per few short steps), each a well-formed Markdown file with its own heading.
Text is moved verbatim; what we add never uses an RFC 2119 keyword, so the lossless check
finds each constraint exactly once across the files.
"""

from __future__ import annotations

import re

from skillkit.markdown import tokens as md_tokens
from skillkit.migrate._tokens import count_tokens
from skillkit.migrate.describe import flatten
from skillkit.migrate.headings import heading_level, shift_headings
from skillkit.migrate.model import Scope, Section, SectionKind, Sop, Step
from skillkit.migrate.naming import fit, kebab
from skillkit.migrate.scan import KEYWORD, defuse, scan, sentences
from skillkit.migrate.split import slim_step

#: an index line's purpose is at most this long.
PURPOSE_CHARS = 160
#: a global section up to this size stays in the entry; a longer one moves, leaving a summary.
KEEP_GLOBAL_TOKENS = 350
#: the overview and the text under the title stay whole up to this size.
KEEP_OVERVIEW_TOKENS = 450
#: text of the Steps section before its first step.
KEEP_STEPS_INTRO_TOKENS = 200
#: consecutive short steps share one reference until it holds this many tokens.
GROUP_TOKENS = 250
#: ...and a group never grows past this.
MAX_GROUP_TOKENS = 600


def _summary(markdown: str, limit: int = 280) -> str:
    """The first sentences of a section's prose, as plain text with no keyword left."""
    paragraphs = flatten(markdown)
    text = " ".join(paragraphs[:2])
    return fit(defuse(text), limit) if text else ""


def _first_sentence(markdown: str, limit: int = 100) -> str:
    paragraphs = flatten(markdown)
    if not paragraphs:
        return ""
    return fit(defuse(sentences(paragraphs[0])[0]), limit)


class Refs:
    """The reference files of one skill, with unique file names (``files`` may be shared
    with an emitter that adds files of its own)."""

    def __init__(self, files: dict[str, str] | None = None) -> None:
        self.files: dict[str, str] = {} if files is None else files

    def add(self, stem: str, text: str) -> str:
        base = kebab(stem, 48) or "reference"
        rel, n = f"references/{base}.md", 2
        while rel in self.files:
            rel, n = f"references/{base}-{n}.md", n + 1
        self.files[rel] = text.rstrip("\n") + "\n"
        return rel


def _link_text(text: str) -> str:
    """SOP text as a link's text: no keyword, no bracket that would end the link early."""
    return defuse(text).replace("[", "(").replace("]", ")")


def _body_of(section: Section) -> str:
    """A section without its heading line."""
    return section.text.split("\n", 1)[1] if "\n" in section.text else ""


def _move_section(section: Section, refs: Refs) -> str:
    """Move a section to its own reference (heading promoted to ``#``); return the link."""
    level = heading_level(section.text) or 2
    stem = kebab(section.title or section.kind.value, 24)
    return refs.add(stem, shift_headings(section.text, level - 1))


def _moved_stub(section: Section, rel: str, *, rules: bool) -> str:
    summary = _first_sentence(_body_of(section))
    if summary.endswith(":"):
        summary = ""
    if section.kind is SectionKind.STEPS:  # steps written as a list, not as headings
        when = "when you start the work: it holds the steps and their constraints"
    elif rules:
        when = "before you start: it applies to every step"
    else:
        when = "when you need it"
    lead = f"{summary}\n\n" if summary else ""
    return f"## {defuse(section.title)}\n\n{lead}Read [all of it]({rel}) {when}.\n\n"


def _group_steps(steps: list[Step]) -> list[list[Step]]:
    """Consecutive short steps share a file (one of its own would cost a heading and a read
    for a few lines); a long step stands alone."""
    groups: list[list[Step]] = []
    size = 0
    for step in steps:
        tokens = count_tokens(step.text)
        if groups and size < GROUP_TOKENS and tokens < GROUP_TOKENS \
                and size + tokens <= MAX_GROUP_TOKENS:
            groups[-1].append(step)
            size += tokens
        else:
            groups.append([step])
            size = tokens
    return groups


def _label(step: Step) -> str:
    return f"{step.number}. {step.name}" if step.number else step.name


def _lead_sentence(step: Step) -> tuple[str, str]:
    """(purpose, step text without it) when the step opens with a paragraph that is one short
    plain sentence with no keyword: that sentence moves to the index, so the entry says what
    the step is for and the run pays for it once. Otherwise ("", step text)."""
    lines = step.text.splitlines(keepends=True)
    tokens = md_tokens(step.text)
    for index, token in enumerate(tokens):
        if index < 3 and token.type in ("heading_open", "inline", "heading_close"):
            continue  # the step's own heading
        if token.type != "paragraph_open" or token.map is None or token.level != 0:
            return "", step.text
        raw = " ".join(tokens[index + 1].content.split())
        plain = " ".join(flatten(raw))
        one = raw == plain and raw[-1:] in ".!?" and len(raw) <= PURPOSE_CHARS
        if not one or KEYWORD.search(raw) or re.search(r"[.!?]\s", raw):
            return "", step.text
        start, end = token.map
        while end < len(lines) and not lines[end].strip():
            end += 1
        return raw, "".join(lines[:start] + lines[end:])
    return "", step.text


def _step_reference(group: list[Step], texts: list[str]) -> str:
    if len(group) == 1:
        return shift_headings(texts[0], (heading_level(texts[0]) or 1) - 1)
    first, last = group[0], group[-1]
    span = (f"Steps {first.number} to {last.number}" if first.number and last.number
            else "Steps " + ", ".join(s.name for s in group))
    head = f"# {defuse(span)}\n\n"
    shifted = [shift_headings(t, (heading_level(t) or 2) - 2) for t in texts]
    return head + "\n".join(t.rstrip("\n") + "\n" for t in shifted)


def _step_index(sop: Sop, refs: Refs) -> str:
    intro = sop.steps_intro
    parts: list[str] = []
    if intro.strip() and count_tokens(intro) > KEEP_STEPS_INTRO_TOKENS:
        level = heading_level(intro) or 2
        rel = refs.add("steps-overview", shift_headings(intro, level - 1))
        heading = intro.split("\n", 1)[0] if level else "## Steps"
        summary = _summary(intro.split("\n", 1)[1] if level and "\n" in intro else intro)
        parts.append(f"{heading}\n\n{summary}\n\nRead [all of it]({rel}) before the first "
                     "step.\n\n")
    elif intro.strip():
        parts.append(intro.rstrip("\n") + "\n\n")
    else:
        parts.append("## Steps\n\n")
    parts.append("Do the steps in order; read a step's file before doing it.\n\n")
    for group in _group_steps(sop.steps):
        # short file names (every index line spells its path out): the step's number, or
        # its name when it has none
        first, last = group[0], group[-1]
        stem = (f"step-{first.number or kebab(first.name, 16)}" if len(group) == 1
                else f"steps-{first.number or 'a'}-{last.number or 'b'}")
        leads = [_lead_sentence(step) for step in group]
        rel = refs.add(stem, _step_reference(group, [text for _lead, text in leads]))
        for step, (lead, _text) in zip(group, leads, strict=True):
            purpose = lead or _purpose(step)
            line = f"- [{_link_text(_label(step))}]({rel})"
            parts.append(line + (f": {purpose}\n" if purpose else "\n"))
    return "".join(parts) + "\n"


def _purpose(step: Step) -> str:
    """One line on what the step is for: its first sentence, else its sub-steps' names."""
    if step.prose:
        found = _first_sentence(step.prose)
        if found:
            return found
    if step.substeps:
        names = "; ".join(s.name for s in step.substeps[:4])
        more = "; ..." if len(step.substeps) > 4 else ""
        return fit(defuse(" ".join(flatten(names)) + more), 160)
    return ""


def long_global(sop: Sop, section: Section, refs: Refs) -> str:
    """A long global section: when its rules are short and its bulk is templates, samples and
    tables, the rules stay and the bulk moves; otherwise it moves whole behind a summary."""
    stem = kebab(section.title or section.kind.value, 24)
    probe = f"references/{stem}.md"
    kept, detail = slim_step(section.text, f"Its templates, samples and tables: [here]({probe}).\n",
                             prose=False)
    if detail.strip() and count_tokens(kept) <= KEEP_GLOBAL_TOKENS:
        rel = refs.add(stem, f"# {section.title}\n\n{detail}")
        return kept.replace(probe, rel).rstrip("\n") + "\n\n"
    return _moved_stub(section, _move_section(section, refs), rules=_has_rules(section))


def _has_rules(section: Section) -> bool:
    return bool(scan(section.text).constraints)


def progressive_body(sop: Sop) -> tuple[str, dict[str, str]]:
    """The entry SKILL.md body (no front matter) and its reference files."""
    refs = Refs()
    parts = [f"# {sop.title}\n\n"]
    on_demand: list[tuple[Section, str]] = []
    steps_done = False
    for section in sop.sections:
        kind = section.kind
        if kind is SectionKind.STEPS and sop.steps:
            if not steps_done:
                parts.append(_step_index(sop, refs))
            steps_done = True
            continue
        tokens = count_tokens(section.text)
        if kind is SectionKind.PARAMETERS:
            parts.append(section.text.rstrip("\n") + "\n\n")
        elif section.scope is Scope.ON_DEMAND:
            on_demand.append((section, _move_section(section, refs)))
        elif kind in (SectionKind.OVERVIEW, SectionKind.INTRO, SectionKind.PREAMBLE):
            if tokens <= KEEP_OVERVIEW_TOKENS:
                parts.append(section.text.strip("\n") + "\n\n")
                continue
            if not section.title:
                # text under the title with no heading of its own: give the moved part one
                section = Section(section.kind, "Introduction",
                                  f"## Introduction\n\n{section.text.strip()}\n",
                                  section.line, section.end_line)
            parts.append(_moved_stub(section, _move_section(section, refs),
                                     rules=_has_rules(section)))
        elif tokens <= KEEP_GLOBAL_TOKENS:
            parts.append(section.text.rstrip("\n") + "\n\n")
        else:
            parts.append(long_global(sop, section, refs))
    if on_demand:
        parts.append("## References\n\n")
        for section, rel in on_demand:
            parts.append(f"- [{_link_text(section.title or section.kind.value)}]({rel})\n")
    return "".join(parts).rstrip("\n") + "\n", refs.files
