"""``metadata.requires`` for the index: the shared grammar of `skillkit.requires`, with each
requirement recorded as ``{"name", "range"}`` (the range as normalised text)."""

from __future__ import annotations

from skillkit.index.model import Requirement
from skillkit.requires import RequiresError, VersionRange
from skillkit.requires import parse_range as _parse_range
from skillkit.requires import parse_requires as _parse_requires

RangeError = RequiresError


def parse_range(text: str) -> VersionRange:
    return _parse_range(text)


def parse_requires(text: str | None) -> tuple[Requirement, ...]:
    """``"iam-basics@^1, s3-basics"`` -> requirements (no range means any version: ``*``)."""
    return tuple(Requirement(r.name, r.range.text) for r in _parse_requires(text))
