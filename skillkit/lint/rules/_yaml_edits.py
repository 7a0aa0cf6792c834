"""Text edits on frontmatter YAML that keep the rest of the file byte-for-byte intact."""

from __future__ import annotations

import json
from typing import Any

from skillkit.diagnostics import Edit, Fix
from skillkit.lint.rules._helpers import SKILLKIT_FIELDS
from skillkit.model import Skill, Span


def newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def scalar_source(skill: Skill, span: Span, value: Any) -> str | None:
    """The text a scalar was written as, unquoted: ``1.10`` stays ``1.10`` (not ``1.1``)."""
    if isinstance(value, dict) or value is None:
        return None
    if isinstance(value, list):
        if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
            return None
        return ", ".join(str(v) for v in value)
    source = skill.text[span.start : span.end].strip()
    if "\n" in source or not source:
        return str(value) if isinstance(value, str) else None
    if source[0] in "'\"|>":
        return str(value)
    return source


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _line_after(text: str, offset: int, limit: int) -> int:
    """The offset just past the end of the line holding `offset` (at most `limit`)."""
    if offset > 0 and text[offset - 1] == "\n":
        return offset
    nl = text.find("\n", offset)
    return limit if nl < 0 or nl >= limit else nl + 1


def move_to_metadata(skill: Skill) -> tuple[Fix | None, set[str]]:
    """One fix moving every top-level skillkit field under ``metadata`` as a quoted string.

    Returns the fix and the fields it moves; fields it cannot move safely (already present
    under metadata, a mapping value, a flow-style or empty ``metadata``) are left alone.
    """
    fm, text = skill.frontmatter, skill.text
    data = fm.data
    nl = newline(text)
    meta = data.get("metadata")
    meta_loc = fm.locations.get(("metadata",))
    #: ``metadata:`` with nothing (or ``{}``) after it: rewritten as a block mapping.
    empty = (
        "metadata" in data
        and (meta is None or meta == {})
        and meta_loc is not None
        and meta_loc.key is not None
        and (meta is None or meta_loc.value.line == meta_loc.key.line)
    )
    if "metadata" in data and not empty:
        block = (
            isinstance(meta, dict)
            and bool(meta)
            and meta_loc is not None
            and meta_loc.key is not None
            and meta_loc.value.line > meta_loc.key.line
        )
        if not block:
            return None, set()
    edits: list[Edit] = []
    lines: list[str] = []
    moved: set[str] = set()
    for field in SKILLKIT_FIELDS:
        loc = fm.locations.get((field,))
        if field not in data or loc is None or loc.key is None:
            continue
        if isinstance(meta, dict) and field in meta:
            continue
        value = scalar_source(skill, loc.value, data[field])
        if value is None:
            continue
        start = _line_start(text, loc.key.start)
        end = _line_after(text, max(loc.value.end, loc.key.end), fm.yaml_end)
        edits.append(Edit(start, end, ""))
        lines.append(f"{field}: {quoted(value)}")
        moved.add(field)
    if not moved:
        return None, set()
    if empty:
        assert meta_loc is not None and meta_loc.key is not None
        start = meta_loc.key.start
        # an empty value's mark can sit on the next line: end with the key's own line
        end = _line_after(text, meta_loc.key.end, fm.yaml_end)
        block_text = f"metadata:{nl}" + "".join(f"  {line}{nl}" for line in lines)
        edits.append(Edit(start, end, block_text))
    elif isinstance(meta, dict):
        assert meta_loc is not None and meta_loc.key is not None
        first_child = min(
            (
                loc.key
                for path, loc in fm.locations.items()
                if len(path) == 2 and path[0] == "metadata" and loc.key is not None
            ),
            key=lambda s: s.start,
        )
        indent = " " * (first_child.column - 1)
        at = _line_after(text, meta_loc.key.end, fm.yaml_end)
        insert = "".join(f"{indent}{line}{nl}" for line in lines)
        edits.append(Edit(at, at, insert))
    else:
        at = fm.yaml_end
        insert = f"metadata:{nl}" + "".join(f"  {line}{nl}" for line in lines)
        if at > 0 and text[at - 1] != "\n":
            insert = nl + insert
        edits.append(Edit(at, at, insert))
    names = ", ".join(sorted(moved))
    return Fix(f"move {names} under metadata as quoted strings", tuple(sorted(edits))), moved


def replace_scalar(span: Span, new_value: str, description: str) -> Fix:
    return Fix(description, (Edit(span.start, span.end, quoted(new_value)),))
