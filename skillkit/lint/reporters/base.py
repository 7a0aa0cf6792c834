"""What every reporter gets: the findings plus the context needed to present them."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import Rule


@dataclass(frozen=True)
class Report:
    """The outcome of one lint run, as reporters see it."""

    diagnostics: Sequence[Diagnostic]
    #: the rules that ran (SARIF lists them; others look up summaries).
    rules: Sequence[Rule] = ()
    skills_checked: int = 0
    #: the checked skills' folders, to tell how many of them have findings (empty: unknown).
    roots: Sequence[Path] = ()
    fail_on: Severity = Severity.ERROR
    #: how many findings ``--fix`` removed in this run, and how many files it changed.
    fixed: int = 0
    fixed_files: int = 0
    #: print per-rule counts instead of (text) or beside (json) the findings.
    statistics: bool = False
    #: paths are shown relative to this folder (the repo root in CI).
    cwd: Path = field(default_factory=Path.cwd)
    tool_version: str = ""

    def counts(self) -> dict[str, int]:
        by = Counter(d.severity for d in self.diagnostics)
        return {s.label: by.get(s, 0) for s in sorted(Severity, reverse=True)}

    def skills_with_findings(self) -> int:
        """How many of `roots` hold at least one finding."""
        # abspath, not resolve: a finding about a symlink belongs to the skill holding the link.
        roots = {Path(os.path.abspath(r)) for r in self.roots}
        hit: set[Path] = set()
        for d in self.diagnostics:
            path = Path(os.path.abspath(d.path))
            hit.update(r for r in (path, *path.parents) if r in roots)
        return len(hit)

    @property
    def fixable(self) -> int:
        return sum(1 for d in self.diagnostics if d.fix is not None)

    @property
    def failing(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity >= self.fail_on)

    def rule_counts(self) -> list[tuple[str, str, int, bool]]:
        """(code, name, count, fixable) per rule, most frequent first."""
        counts: Counter[tuple[str, str]] = Counter((d.code, d.name) for d in self.diagnostics)
        fixable = {d.code for d in self.diagnostics if d.fix is not None}
        rows = [(code, name, n, code in fixable) for (code, name), n in counts.items()]
        rows.sort(key=lambda r: (-r[2], r[0]))
        return rows

    def path(self, diag: Diagnostic) -> str:
        return display_path(diag.path, self.cwd)


def display_path(path: Path, cwd: Path) -> str:
    """`path` relative to `cwd` with forward slashes (``../`` when outside it)."""
    absolute = path if path.is_absolute() else cwd / path
    text, base = str(absolute), str(cwd)
    if text.startswith(base + os.sep) and ".." not in absolute.parts:
        return text[len(base) + 1 :].replace(os.sep, "/")  # the common case, without syscalls
    try:
        rel = os.path.relpath(absolute, cwd)
    except ValueError:  # another drive on Windows
        return absolute.as_posix()
    return Path(rel).as_posix()


class Reporter:
    """Renders a `Report`; subclasses set `name` and implement `render`."""

    name = ""

    def render(self, report: Report) -> str:
        raise NotImplementedError


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def sorted_rules(rules: Sequence[Rule]) -> list[Rule]:
    return sorted(rules, key=lambda r: r.code)
