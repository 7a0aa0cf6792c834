"""Minimal semver ranges for ``metadata.requires`` (used until ``skillkit.requires`` exists).

Grammar, as npm/cargo users write it: ``*``; ``1.2.3`` / ``=1.2.3``; partial ``1`` or ``1.2``
(any version with that prefix); ``^1.2`` (compatible: same leftmost non-zero part);
``~1.2`` (same minor); ``>=``, ``>``, ``<=``, ``<`` comparators; several comparators separated
by spaces must all hold; alternatives joined with ``||``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import semver

from skillkit.index.model import Requirement

_PARTIAL = re.compile(
    r"^(?P<op>\^|~|>=|<=|>|<|=)?\s*v?(?P<major>\d+|[xX*])(?:\.(?P<minor>\d+|[xX*]))?"
    r"(?:\.(?P<patch>\d+|[xX*]))?(?P<rest>[-+][0-9A-Za-z.+-]+)?$"
)
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Check = Callable[[semver.Version], bool]


class RangeError(ValueError):
    pass


def _bound(text: str) -> list[Check]:
    if text in ("*", "x", "X", ""):
        return []
    m = _PARTIAL.match(text)
    if not m:
        raise RangeError(f"{text!r} is not a version range (e.g. ^1.2, ~1.2.3, >=1.0 <2)")
    op = m["op"] or ""
    parts = [m["major"], m["minor"], m["patch"]]
    given = [p for p in parts if p is not None and p not in ("x", "X", "*")]
    if len(given) < 3 and m["rest"]:
        raise RangeError(f"{text!r}: a pre-release needs a full version")
    nums = [int(p) for p in given] + [0] * (3 - len(given))
    low = semver.Version(nums[0], nums[1], nums[2])
    if m["rest"]:
        low = semver.Version.parse(".".join(map(str, nums)) + m["rest"])
    if op in (">=", ">", "<=", "<"):
        if op == ">":
            if len(given) < 3:  # >1.2 means >=1.3.0
                low = _bump(nums, len(given) - 1)
                return [lambda v: v >= low]
            return [lambda v: v > low]
        if op == ">=":
            return [lambda v: v >= low]
        if op == "<":
            return [lambda v: v < low]
        if len(given) < 3:  # <=1.2 means <1.3.0
            high = _bump(nums, len(given) - 1)
            return [lambda v: v < high]
        return [lambda v: v <= low]
    if op == "^":
        significant = next((i for i, n in enumerate(nums[: len(given)]) if n != 0), None)
        if significant is None:  # ^0, ^0.0, ^0.0.0
            significant = max(len(given) - 1, 0)
        high = _bump(nums, significant)
        return [lambda v: v >= low, lambda v: v < high]
    if op == "~":
        high = _bump(nums, 0 if len(given) == 1 else 1)
        return [lambda v: v >= low, lambda v: v < high]
    if len(given) == 3:
        return [lambda v: v == low]
    high = _bump(nums, len(given) - 1)  # a partial version: any with that prefix
    return [lambda v: v >= low, lambda v: v < high]


def _bump(nums: list[int], at: int) -> semver.Version:
    parts = [*nums[:at], nums[at] + 1] + [0] * (2 - at)
    return semver.Version(parts[0], parts[1], parts[2])


@dataclass(frozen=True)
class Range:
    text: str
    alternatives: tuple[tuple[Check, ...], ...]

    def contains(self, version: str) -> bool:
        try:
            parsed = semver.Version.parse(version)
        except ValueError:
            return False
        # Pre-releases only match a range that names a pre-release itself (npm's rule).
        if parsed.prerelease is not None and "-" not in self.text:
            return False
        return any(all(check(parsed) for check in alt) for alt in self.alternatives)

    def __str__(self) -> str:
        return self.text


def parse_range(text: str) -> Range:
    text = text.strip() or "*"
    alternatives = []
    for alt in text.split("||"):
        checks: list[Check] = []
        tokens = re.sub(r"(>=|<=|>|<|=|\^|~)\s+", r"\1", alt.strip()).split()
        for token in tokens or ["*"]:
            checks.extend(_bound(token))
        alternatives.append(tuple(checks))
    return Range(text, tuple(alternatives))


def parse_requires(text: str | None) -> tuple[Requirement, ...]:
    """``"iam-basics@^1, s3-basics"`` -> requirements (no range means any version: ``*``)."""
    if not text or not text.strip():
        return ()
    found = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        name, _, rng = item.partition("@")
        name, rng = name.strip(), rng.strip() or "*"
        if not _NAME.match(name):
            raise RangeError(f"{item!r}: {name!r} is not a skill name")
        parse_range(rng)
        found.append(Requirement(name, rng))
    return tuple(found)
