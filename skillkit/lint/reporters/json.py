"""Machine-readable JSON: one object with ``schema_version``, the tool, findings and counts.

``schema_version`` changes only when a field is removed or changes meaning; new fields may be
added within a version.
"""

from __future__ import annotations

import json
from typing import Any

from skillkit.diagnostics import Diagnostic
from skillkit.lint.reporters.base import Report, Reporter

SCHEMA_VERSION = 1


def finding(d: Diagnostic, report: Report) -> dict[str, Any]:
    fix = None
    if d.fix is not None:
        fix = {
            "description": d.fix.description,
            "edits": [{"start": e.start, "end": e.end, "text": e.text} for e in d.fix.edits],
        }
    return {
        "code": d.code,
        "name": d.name,
        "severity": d.severity.label,
        "message": d.message,
        "path": report.path(d),
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "fix": fix,
    }


class JsonReporter(Reporter):
    name = "json"

    def __init__(self, **_: object) -> None:
        pass

    def render(self, report: Report) -> str:
        doc: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "skillkit", "version": report.tool_version},
            "findings": [finding(d, report) for d in report.diagnostics],
            "summary": {
                "skills": report.skills_checked,
                "findings": len(report.diagnostics),
                **report.counts(),
                "fixable": report.fixable,
                "fixed": report.fixed,
                "fail_on": report.fail_on.label,
                "failing": report.failing,
            },
        }
        if report.statistics:
            doc["statistics"] = [
                {"code": code, "name": name, "count": n, "fixable": fixable}
                for code, name, n, fixable in report.rule_counts()
            ]
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


REPORTER = JsonReporter
