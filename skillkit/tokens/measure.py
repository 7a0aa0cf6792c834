"""Measure a skills tree: footprints of every skill plus the catalog totals (one `Report`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from skillkit.errors import SkillkitError
from skillkit.loader import DEFAULT_MAX_SKILL_MD_BYTES, discover_skills
from skillkit.model import Problem, Skill
from skillkit.tokens.encoding import DEFAULT_ENCODING, check_encoding_name
from skillkit.tokens.folders import measure_folders
from skillkit.tokens.levels import Footprint

SORT_KEYS = ("total", "l1", "l2", "l3", "name")


@dataclass(frozen=True)
class Row:
    """One skill of a report: its footprint and the folder it was loaded from."""

    footprint: Footprint
    path: str

    @property
    def name(self) -> str:
        return self.footprint.name


@dataclass(frozen=True)
class Report:
    encoding: str
    rows: tuple[Row, ...]
    #: tokens of the whole <available_skills> block: what every conversation pays.
    catalog_l1: int
    #: problems with the given paths (e.g. a path with no skills), as messages.
    notes: tuple[str, ...] = field(default=())

    @property
    def l2_total(self) -> int:
        return sum(r.footprint.l2 for r in self.rows)

    @property
    def l3_total(self) -> int:
        return sum(r.footprint.l3_total for r in self.rows)

    @property
    def file_count(self) -> int:
        return sum(len(r.footprint.l3) for r in self.rows)


def sort_rows(rows: Sequence[Row], key: str = "total", reverse: bool = False) -> list[Row]:
    """Most expensive first (names: A to Z); `reverse` flips the order."""
    if key not in SORT_KEYS:
        raise SkillkitError(f"unknown sort key '{key}' (use one of: {', '.join(SORT_KEYS)})")
    if key == "name":
        ordered = sorted(rows, key=lambda r: (r.name, r.path))
    else:

        def cost(r: Row) -> int:
            fp = r.footprint
            return {"total": fp.total, "l1": fp.l1, "l2": fp.l2, "l3": fp.l3_total}[key]

        ordered = sorted(rows, key=lambda r: (-cost(r), r.name, r.path))
    return ordered[::-1] if reverse else ordered


def skill_notes(skills: Sequence[Skill]) -> list[str]:
    """Warnings for skills whose SKILL.md could not be counted."""
    notes: list[str] = []
    for skill in skills:
        for problem in skill.problems:
            if problem.kind in ("too-large", "unreadable") and problem.path == skill.skill_md:
                notes.append(f"{problem.path}: not counted (L2 shows 0): {problem.message}")
    return notes


def find_tree(
    paths: Sequence[Path], *, exclude: Sequence[str] = (), allow_empty: bool = False
) -> tuple[list[Path], list[str]]:
    """The skill folders under `paths`, not loaded yet, and notes about paths that held none.
    A missing path (or no skills, unless `allow_empty`) is a `SkillkitError`."""
    found = discover_skills(paths, exclude)
    return [s.root for s in found.skills], _path_notes(found.problems, allow_empty)


def report_for_folders(
    roots: Sequence[Path],
    encoding: str = DEFAULT_ENCODING,
    *,
    max_file_size: int = DEFAULT_MAX_SKILL_MD_BYTES,
    cache: bool = True,
    cache_dir: Path | None = None,
    progress: Callable[[int], None] | None = None,
    notes: Sequence[str] = (),
) -> Report:
    """The report on the skill folders `roots` (from `find_tree`): with `cache`, folders unchanged
    since an earlier run are not even loaded (see `skillkit.tokens.folders`)."""
    fps, catalog_l1, loaded = measure_folders(
        roots,
        encoding,
        max_file_size=max_file_size,
        cache=cache,
        cache_dir=cache_dir,
        progress=progress,
    )
    rows = tuple(Row(fp, str(root)) for fp, root in zip(fps, roots, strict=True))
    return Report(encoding, rows, catalog_l1, (*skill_notes(loaded), *notes))


def _path_notes(problems: Sequence[Problem], allow_empty: bool) -> list[str]:
    notes: list[str] = []
    for problem in problems:
        if problem.kind == "no-skills" and allow_empty:
            notes.append(problem.message)
            continue
        hint = " (check the path, or run from the folder that holds skills/)"
        raise SkillkitError(problem.message + hint)
    return notes


def measure(
    paths: Sequence[Path],
    encoding: str = DEFAULT_ENCODING,
    *,
    exclude: Sequence[str] = (),
    max_file_size: int = DEFAULT_MAX_SKILL_MD_BYTES,
    cache: bool = True,
    cache_dir: Path | None = None,
    allow_empty: bool = False,
) -> Report:
    """Load and measure every skill under `paths` (the library side of ``skillkit tokens``)."""
    check_encoding_name(encoding)  # an unknown name fails before any loading
    roots, notes = find_tree(paths, exclude=exclude, allow_empty=allow_empty)
    return report_for_folders(
        roots,
        encoding,
        max_file_size=max_file_size,
        cache=cache,
        cache_dir=cache_dir,
        notes=notes,
    )
