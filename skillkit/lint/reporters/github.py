"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message``. GitHub decodes
``%25 %0D %0A`` in the message, and additionally ``%3A %2C`` in property values.
"""

from __future__ import annotations

from skillkit.diagnostics import Severity
from skillkit.lint.reporters.base import Report, Reporter

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    name = "github"

    def __init__(self, **_: object) -> None:
        pass

    def render(self, report: Report) -> str:
        lines = []
        for d in report.diagnostics:
            props = [
                f"file={escape_property(report.path(d))}",
                f"line={d.line}",
                f"col={d.column}",
            ]
            if d.end_line is not None:
                props.append(f"endLine={d.end_line}")
            if d.end_column is not None:
                props.append(f"endColumn={d.end_column}")
            props.append(f"title={escape_property(f'{d.code} {d.name}')}")
            lines.append(f"::{_COMMAND[d.severity]} {','.join(props)}::{escape_data(d.message)}")
        return "".join(line + "\n" for line in lines)


REPORTER = GithubReporter
