"""ruff-like text: ``path:line:col: SK101 [error] message (rule-name)`` and a summary line."""

from __future__ import annotations

import os
import sys

from skillkit.diagnostics import Severity
from skillkit.lint.reporters.base import Report, Reporter, plural

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def colour_default() -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


class TextReporter(Reporter):
    name = "text"

    def __init__(self, colour: bool = False, quiet: bool = False) -> None:
        self.colour = colour
        self.quiet = quiet

    def _c(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour else text

    def render(self, report: Report) -> str:
        lines: list[str] = []
        if report.statistics:
            for code, name, count, fixable in report.rule_counts():
                mark = "[*]" if fixable else "   "
                lines.append(f"{count:>5}  {self._c(code, '1')}  {mark} {name}")
        else:
            for d in report.diagnostics:
                where = self._c(f"{report.path(d)}:{d.line}:{d.column}:", "1")
                sev = self._c(f"[{d.severity.label}]", _COLOURS[d.severity])
                fix = " [*]" if d.fix is not None else ""
                message = d.message.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
                lines.append(f"{where} {self._c(d.code, '1')}{fix} {sev} {message} ({d.name})")
        if not self.quiet:
            lines.extend(self._summary(report))
        return "".join(line + "\n" for line in lines)

    def _summary(self, report: Report) -> list[str]:
        skills = plural(report.skills_checked, "skill")
        out: list[str] = []
        if report.fixed or report.fixed_files:
            files = f" in {plural(report.fixed_files, 'file')}" if report.fixed_files else ""
            out.append(f"Fixed {plural(report.fixed, 'problem')}{files}.")
        if not report.diagnostics:
            out.append(self._c(f"All checks passed ({skills}).", "32"))
            return out
        counts = report.counts()
        parts = [plural(n, label) for label, n in counts.items() if n]
        found = f"Found {plural(len(report.diagnostics), 'problem')} ({', '.join(parts)})"
        if report.roots:
            total = max(report.skills_checked, len(report.roots))
            hit = report.skills_with_findings()
            some = f"{hit} of " if hit != total else ""
            out.append(f"{found} in {some}{plural(total, 'skill')}.")
        elif report.skills_checked:
            # Without the skills' folders the findings cannot be told apart by skill.
            out.append(f"{found}; {skills} checked.")
        else:
            out.append(f"{found}.")
        if report.fixable:
            out.append(
                f"[*] {report.fixable} fixable with `skillkit lint --fix` (preview with `--diff`)."
            )
        return out


REPORTER = TextReporter
