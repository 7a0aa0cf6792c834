"""Findings as data: every stage reports problems as `Diagnostic` values, never as exceptions."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


class Severity(enum.IntEnum):
    """Ordered so that `severity >= fail_on` decides the exit status."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {choices})") from None


@dataclass(frozen=True, order=True)
class Edit:
    """Replace the characters ``[start, end)`` (offsets into the decoded file text) by ``text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Fix:
    """A safe, mechanical change to one file that removes the finding."""

    description: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Diagnostic:
    """One finding. Lines and columns are 1-based; columns count characters, not bytes."""

    code: str
    name: str
    severity: Severity
    message: str
    path: Path
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    fix: Fix | None = field(default=None, compare=False)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (str(self.path), self.line, self.column, self.code)

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


def offset_to_position(text: str, offset: int) -> tuple[int, int]:
    """Turn a character offset into a 1-based (line, column)."""
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    return line, offset - line_start + 1


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits; overlapping ones wait for the next run."""
    out: list[str] = []
    cursor = 0
    for edit in sorted(edits):
        if edit.start < cursor:
            continue
        out.append(text[cursor : edit.start])
        out.append(edit.text)
        cursor = edit.end
    out.append(text[cursor:])
    return "".join(out)
