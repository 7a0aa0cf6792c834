"""Apply the safe fixes that diagnostics carry (``skillkit lint --fix`` / ``--diff``).

Fixes are edits on the decoded SKILL.md text. Files are rewritten atomically (temp file, then
rename) as UTF-8 without a byte order mark, keeping their permissions. A file that is not valid
UTF-8 is never rewritten: decoding replaced bytes, and writing them back would lose data.
"""

from __future__ import annotations

import contextlib
import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from skillkit.config import Config
from skillkit.diagnostics import Diagnostic, Edit, apply_edits
from skillkit.fsutil import atomic_write_bytes
from skillkit.lint.linter import lint_paths
from skillkit.model import Skill

__all__ = ["FixPlan", "apply_fixes", "fix_paths", "fixed_text", "plan_fixes", "unified_diff"]


def fixed_text(skill_text: str, diagnostics: Iterable[Diagnostic]) -> str | None:
    """`skill_text` with every fix applied, or None when no diagnostic carries a fix.

    Identical edits (several findings sharing one fix) are applied once; overlapping ones are
    left for the next pass (see `fix_paths`).
    """
    edits: set[Edit] = set()
    any_fix = False
    for diag in diagnostics:
        if diag.fix is not None:
            any_fix = True
            edits.update(diag.fix.edits)
    if not any_fix:
        return None
    return apply_edits(skill_text, sorted(edits))


def unified_diff(path: Path | str, old: str, new: str) -> str:
    """A ``diff -u`` style patch from `old` to `new` (empty when they are equal)."""
    given = Path(path)
    if given.is_absolute():
        with contextlib.suppress(ValueError):
            given = given.relative_to(Path.cwd())
    name = given.as_posix()
    # git-style a/ b/ prefixes for relative paths; an absolute path is shown as it is.
    old_name, new_name = (name, name) if given.is_absolute() else (f"a/{name}", f"b/{name}")
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=old_name,
            tofile=new_name,
        )
    )


@dataclass(frozen=True)
class FixPlan:
    """The change `--fix` would make to one SKILL.md."""

    skill: Skill
    old: str  # the text as it is on disk (with a leading U+FEFF when the file has a BOM)
    new: str
    diagnostics: tuple[Diagnostic, ...]  # the findings the change fixes

    @property
    def path(self) -> Path:
        return self.skill.skill_md

    def diff(self) -> str:
        return unified_diff(self.path, self.old, self.new)


def _can_rewrite(skill: Skill) -> bool:
    return bool(skill.raw) and not any(p.kind == "encoding" for p in skill.problems)


def plan_fixes(skills: Sequence[Skill], diagnostics: Iterable[Diagnostic]) -> list[FixPlan]:
    """One plan for each SKILL.md that a fix would change."""
    by_path: dict[Path, list[Diagnostic]] = {}
    for diag in diagnostics:
        if diag.fix is not None:
            by_path.setdefault(diag.path, []).append(diag)
    plans = []
    for skill in skills:
        mine = by_path.get(skill.skill_md)
        if not mine or not _can_rewrite(skill):
            continue
        new = fixed_text(skill.text, mine)
        old = ("\ufeff" if skill.has_bom else "") + skill.text
        if new is not None and new != old:
            plans.append(FixPlan(skill, old, new, tuple(mine)))
    return plans


def _write(path: Path, text: str) -> None:
    mode = None
    with contextlib.suppress(OSError):
        mode = path.stat().st_mode & 0o7777
    atomic_write_bytes(path, text.encode("utf-8"))
    if mode is not None:
        os.chmod(path, mode)


def apply_fixes(skills: Sequence[Skill], diagnostics: Iterable[Diagnostic]) -> list[Path]:
    """Write every planned fix; returns the files changed."""
    changed = []
    for plan in plan_fixes(skills, diagnostics):
        _write(plan.path, plan.new)
        changed.append(plan.path)
    return changed


def fix_paths(paths: Iterable[Path], config: Config, max_passes: int = 5) -> list[Path]:
    """Lint and fix until nothing fixable is left (edits that overlapped need a second pass)."""
    given = list(paths)
    changed: dict[Path, None] = {}
    for _ in range(max_passes):
        result = lint_paths(given, config)
        written = apply_fixes(result.skills, result.diagnostics)
        if not written:
            break
        changed.update(dict.fromkeys(written))
    return list(changed)
