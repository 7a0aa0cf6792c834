"""Parse ``metadata.requires``: the other skills a skill builds on, with semver ranges.

Grammar (npm/cargo users already know the range half)::

    requires    := entry ("," entry)*            e.g. "iam-basics@^1, s3-basics, foo@>=1.2 <2"
    entry       := name ["@" range]              no range means any version ("*")
    name        := a skill name: lowercase a-z, 0-9 and single hyphens, 1-64 characters
    range       := set ("||" set)*               alternatives: any one set must hold
    set         := comparator (" " comparator)*  all comparators of a set must hold
    comparator  := "*" | [op] version
    op          := "^" | "~" | ">=" | ">" | "<=" | "<" | "="
    version     := MAJOR["." MINOR["." PATCH["-" pre]["+" build]]]   (x, X or * as wildcards)

Meaning: ``^1.2`` is ``>=1.2.0 <2.0.0`` (same leftmost non-zero part; ``^0.3`` is
``>=0.3.0 <0.4.0``), ``~1.2`` is ``>=1.2.0 <1.3.0`` (``~1`` is ``>=1.0.0 <2.0.0``), a bare
``1.2.3`` or ``=1.2.3`` is exactly that version, a partial ``1.2`` any ``1.2.x``, and ``*`` any
version. A pre-release version only satisfies a range that itself names a pre-release.

Commas separate entries, so comparators inside one range are separated by spaces. As a
convenience, a comma followed by an operator (``foo@>=1.2,<2``) continues the previous range:
no skill name can start with an operator, so this is never ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import semver

__all__ = ["Requirement", "RequiresError", "VersionRange", "parse_range", "parse_requires"]

NAME_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_NAME_LENGTH = 64
_OPERATORS = ("^", "~", ">=", "<=", ">", "<", "=")
_COMPARATOR = re.compile(
    r"^(?P<op>\^|~|>=|<=|>|<|=)?v?(?P<major>\d+|[xX*])(?:\.(?P<minor>\d+|[xX*]))?"
    r"(?:\.(?P<patch>\d+|[xX*]))?(?P<rest>-[0-9A-Za-z.-]+)?(?P<build>\+[0-9A-Za-z.-]+)?$"
)
_Check = Callable[[semver.Version], bool]


class RequiresError(ValueError):
    """A malformed ``requires`` text; `column` is the 0-based offset of the bad part."""

    def __init__(self, message: str, column: int = 0) -> None:
        super().__init__(message)
        self.column = column


def _bump(nums: list[int], at: int) -> semver.Version:
    parts = [*nums[:at], nums[at] + 1] + [0] * (2 - at)
    return semver.Version(parts[0], parts[1], parts[2])


def _comparator(text: str) -> list[_Check]:
    if text in ("*", "x", "X"):
        return []
    m = _COMPARATOR.match(text)
    if m is None:
        raise RequiresError(
            f"{text!r} is not a version constraint (examples: ^1.2, ~1.2.3, >=1.0 <2, 1.2.3, *)"
        )
    op = m["op"] or ""
    given: list[str] = []
    for part in (m["major"], m["minor"], m["patch"]):
        if part is None or part in ("x", "X", "*"):
            break
        given.append(part)
    if not given:
        return []  # "x.x.x" or ">=*": any version
    if (m["rest"] or m["build"]) and len(given) < 3:
        raise RequiresError(f"{text!r}: a pre-release or build needs a full MAJOR.MINOR.PATCH")
    nums = [int(p) for p in given] + [0] * (3 - len(given))
    low = semver.Version(nums[0], nums[1], nums[2], (m["rest"] or "")[1:] or None)
    exact = len(given) == 3
    if op == ">=":
        return [lambda v: v >= low]
    if op == ">":
        if exact:
            return [lambda v: v > low]
        high = _bump(nums, len(given) - 1)  # >1.2 means >=1.3.0
        return [lambda v: v >= high]
    if op == "<":
        return [lambda v: v < low]
    if op == "<=":
        if exact:
            return [lambda v: v <= low]
        high = _bump(nums, len(given) - 1)  # <=1.2 means <1.3.0
        return [lambda v: v < high]
    if op == "^":
        significant = next((i for i, n in enumerate(nums[: len(given)]) if n != 0), None)
        if significant is None:  # ^0, ^0.0, ^0.0.0
            significant = len(given) - 1
        high = _bump(nums, significant)
        return [lambda v: v >= low, lambda v: v < high]
    if op == "~":
        high = _bump(nums, 0 if len(given) == 1 else 1)
        return [lambda v: v >= low, lambda v: v < high]
    if exact:  # "1.2.3" or "=1.2.3"
        return [lambda v: v.compare(low) == 0]
    high = _bump(nums, len(given) - 1)  # a partial version: any with that prefix
    return [lambda v: v >= low, lambda v: v < high]


@dataclass(frozen=True)
class VersionRange:
    """A parsed semver range; `text` is its normalised source."""

    text: str
    alternatives: tuple[tuple[_Check, ...], ...]

    def contains(self, version: str) -> bool:
        """Whether `version` (a semver string) satisfies the range; non-semver never does."""
        try:
            parsed = semver.Version.parse(version.strip().removeprefix("v"))
        except (ValueError, TypeError):
            return False
        # npm's rule: pre-releases match only ranges that mention a pre-release themselves.
        if parsed.prerelease is not None and "-" not in self.text:
            return False
        return any(all(check(parsed) for check in alt) for alt in self.alternatives)

    def __str__(self) -> str:
        return self.text


def parse_range(text: str) -> VersionRange:
    """Parse a range such as ``^1.2``, ``>=1.0 <2`` or ``1.x || 2.x``; raises `RequiresError`."""
    text = " ".join(text.split()) or "*"
    alternatives = []
    for alt in text.split("||"):
        # ">= 1.0" is one comparator: glue an operator to the version that follows it.
        tokens = re.sub(r"(>=|<=|>|<|=|\^|~)\s+", r"\1", alt.strip()).split()
        if not tokens:
            raise RequiresError(f"empty alternative in range {text!r}")
        checks: list[_Check] = []
        for token in tokens:
            checks.extend(_comparator(token))
        alternatives.append(tuple(checks))
    return VersionRange(text, tuple(alternatives))


@dataclass(frozen=True)
class Requirement:
    """One required skill: its name and the versions of it that will do."""

    name: str
    range: VersionRange

    def __str__(self) -> str:
        return self.name if self.range.text == "*" else f"{self.name}@{self.range.text}"


def _entries(text: str) -> list[tuple[str, int]]:
    """Split on commas into (entry, offset); a piece starting with an operator continues."""
    pieces: list[tuple[str, int]] = []
    offset = 0
    for piece in text.split(","):
        stripped = piece.strip()
        lead = offset + (len(piece) - len(piece.lstrip()))
        if pieces and stripped.startswith(_OPERATORS) and "@" in pieces[-1][0]:
            prev, prev_offset = pieces[-1]
            pieces[-1] = (f"{prev} {stripped}", prev_offset)
        else:
            pieces.append((stripped, lead))
        offset += len(piece) + 1
    return pieces


def parse_requires(text: str | None) -> tuple[Requirement, ...]:
    """Parse a whole ``metadata.requires`` text; raises `RequiresError` pointing at the fault.

    >>> [str(r) for r in parse_requires("iam-basics@^1, s3-basics")]
    ['iam-basics@^1', 's3-basics']
    """
    found, faults = _parse(text)
    if faults:
        raise faults[0]
    return found


def requires_faults(text: str | None) -> list[RequiresError]:
    """Every faulty entry of a ``metadata.requires`` text, in order (empty when it parses).

    >>> [e.column for e in requires_faults("Bad, ok, x@^one")]
    [0, 9]
    """
    return _parse(text)[1]


def _parse(text: str | None) -> tuple[tuple[Requirement, ...], list[RequiresError]]:
    if text is None or not text.strip():
        return (), []
    found: list[Requirement] = []
    faults: list[RequiresError] = []
    seen: set[str] = set()
    for entry, offset in _entries(text):
        try:
            found.append(_requirement(entry, offset, seen))
        except RequiresError as exc:
            faults.append(exc)
    return tuple(found), faults


def _requirement(entry: str, offset: int, seen: set[str]) -> Requirement:
    if not entry:
        raise RequiresError("empty entry (two commas in a row, or a trailing comma)", offset)
    name, at, rng = entry.partition("@")
    name = name.strip()
    if not NAME_PATTERN.match(name) or len(name) > MAX_NAME_LENGTH:
        raise RequiresError(
            f"{name!r} is not a skill name (lowercase letters, digits and single hyphens)",
            offset,
        )
    if at and not rng.strip():
        raise RequiresError(f"{entry!r}: nothing after '@' (write a range such as ^1)", offset)
    if name in seen:
        raise RequiresError(f"{name!r} is required twice", offset)
    seen.add(name)
    try:
        parsed = parse_range(rng) if at else parse_range("*")
    except RequiresError as exc:
        raise RequiresError(f"{name}: {exc}", offset) from None
    return Requirement(name, parsed)
