"""Compare two measurements of a skills tree: per skill added / removed / changed / unchanged.

The other side is a folder, or a git revision whose copy of the same paths is exported with
``git archive`` into a temporary folder (the working tree is never touched).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from skillkit.errors import SkillkitError
from skillkit.tokens.levels import Footprint
from skillkit.tokens.measure import Report

if TYPE_CHECKING:
    import subprocess

STATUSES = ("added", "removed", "changed", "unchanged")


@dataclass(frozen=True)
class Change:
    name: str
    status: str
    before: Footprint | None
    after: Footprint | None

    @property
    def before_total(self) -> int:
        return self.before.total if self.before else 0

    @property
    def after_total(self) -> int:
        return self.after.total if self.after else 0

    @property
    def delta(self) -> int:
        return self.after_total - self.before_total

    def level_delta(self, level: str) -> int:
        def value(fp: Footprint | None) -> int:
            if fp is None:
                return 0
            return {"l1": fp.l1, "l2": fp.l2, "l3": fp.l3_total}[level]

        return value(self.after) - value(self.before)


@dataclass(frozen=True)
class Comparison:
    before: Report
    after: Report
    changes: tuple[Change, ...]
    #: what the "before" side was (a path or "git REV").
    label: str
    #: what the "after" side is (the measured paths).
    after_label: str = "the given paths"

    def count(self, status: str) -> int:
        return sum(1 for c in self.changes if c.status == status)


def percent(before: int, after: int) -> float | None:
    """Relative change in percent; None when there was nothing before."""
    if before == 0:
        return None if after else 0.0
    return (after - before) * 100.0 / before


def _signature(fp: Footprint) -> tuple[object, ...]:
    return (fp.l1, fp.l2, fp.l3)


def compare_reports(
    before: Report, after: Report, label: str, after_label: str = "the given paths"
) -> Comparison:
    """Match skills by name (then by folder, for duplicate names) and classify each."""

    def index(report: Report) -> dict[tuple[str, str], Footprint]:
        found: dict[tuple[str, str], Footprint] = {}
        seen: dict[str, int] = {}
        for row in sorted(report.rows, key=lambda r: (r.name, r.path)):
            n = seen.get(row.name, 0)
            seen[row.name] = n + 1
            found[(row.name, str(n))] = row.footprint
        return found

    old, new = index(before), index(after)
    changes = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a is None:
            status = "added"
        elif b is None:
            status = "removed"
        elif _signature(a) != _signature(b):
            status = "changed"
        else:
            status = "unchanged"
        changes.append(Change(key[0], status, a, b))
    changes.sort(key=lambda c: (-abs(c.delta), STATUSES.index(c.status), c.name))
    return Comparison(before, after, tuple(changes), label, after_label)


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    import subprocess  # only --compare with a revision runs git: not every run pays for it

    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120
        )
    except FileNotFoundError:
        raise SkillkitError("git is not installed; --compare needs it for revisions") from None


def export_revision(rev: str, paths: Sequence[Path], dest: Path) -> list[Path]:
    """Write the files of `paths` as they were at git revision `rev` under `dest`.

    Returns where each path landed (paths absent at `rev` are left out: all their skills are
    then "added"). `SkillkitError` when there is no repository or no such revision.
    """
    start = paths[0].resolve() if paths else Path.cwd().resolve()
    start = start if start.is_dir() else start.parent
    top_proc = _git(["rev-parse", "--show-toplevel"], start)
    if top_proc.returncode != 0:
        raise SkillkitError(
            f"--compare '{rev}' is neither an existing path nor a git revision "
            f"({start} is not inside a git repository)"
        )
    top = Path(top_proc.stdout.decode().strip()).resolve()
    verify = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    if verify.returncode != 0:
        raise SkillkitError(
            f"--compare '{rev}' is neither an existing path nor a git revision of {top} "
            "(try a branch, a tag, a commit hash or HEAD~1)"
        )
    commit = verify.stdout.decode().strip()
    landed: list[Path] = []
    for path in paths:
        try:
            rel = path.resolve().relative_to(top).as_posix()
        except ValueError:
            raise SkillkitError(
                f"{path} is outside the git repository {top}; cannot compare it with '{rev}'"
            ) from None
        archive = _git(["archive", "--format=tar", commit, "--", rel or "."], top)
        if archive.returncode != 0:
            continue  # the path does not exist at that revision
        import tarfile

        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(dest, filter="data")
        landed.append(dest / rel if rel not in ("", ".") else dest)
    return [p for p in landed if p.exists()]
