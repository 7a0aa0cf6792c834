"""SARIF 2.1.0, as GitHub code scanning accepts it.

One run; ``tool.driver.rules`` describes every rule that ran; each result points at its rule
by ``ruleId`` and ``ruleIndex`` and at a repo-relative URI under ``%SRCROOT%``. Columns count
Unicode code points (``columnKind``), as our diagnostics do.
"""

from __future__ import annotations

import json
from typing import Any

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.reporters.base import Report, Reporter, sorted_rules
from skillkit.lint.rules.base import DOCS_URL, Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = DOCS_URL.rsplit("rules/", 1)[0]
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    doc = rule.doc.strip() or rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": doc},
        "helpUri": rule.help_uri,
        # Rule docs are Markdown: code scanning renders `markdown` and falls back to `text`.
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": ["skillkit"]},
    }


def _adhoc_descriptor(d: Diagnostic) -> dict[str, Any]:
    return {
        "id": d.code,
        "name": d.name,
        "shortDescription": {"text": d.name},
        "helpUri": f"{DOCS_URL}{d.code}/",
        "defaultConfiguration": {"level": _LEVEL[d.severity]},
    }


class SarifReporter(Reporter):
    name = "sarif"

    def __init__(self, **_: object) -> None:
        pass

    def render(self, report: Report) -> str:
        descriptors = [_rule_descriptor(r) for r in sorted_rules(report.rules)]
        index = {d["id"]: i for i, d in enumerate(descriptors)}
        for diag in report.diagnostics:  # findings of rules not in the list still need an entry
            if diag.code not in index:
                index[diag.code] = len(descriptors)
                descriptors.append(_adhoc_descriptor(diag))
        results = [self._result(d, report, index[d.code]) for d in report.diagnostics]
        root = report.cwd.resolve().as_uri().rstrip("/") + "/"
        doc = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "skillkit",
                            "version": report.tool_version,
                            "semanticVersion": report.tool_version,
                            "informationUri": INFORMATION_URI,
                            "rules": descriptors,
                        }
                    },
                    "originalUriBaseIds": {"%SRCROOT%": {"uri": root}},
                    "columnKind": "unicodeCodePoints",
                    "invocations": [{"executionSuccessful": True}],
                    "results": results,
                }
            ],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    def _result(self, d: Diagnostic, report: Report, rule_index: int) -> dict[str, Any]:
        rel = report.path(d)
        if rel.startswith("../"):  # outside the repo: an absolute URI, no base
            artifact: dict[str, Any] = {"uri": (report.cwd / d.path).resolve().as_uri()}
        else:
            artifact = {"uri": rel, "uriBaseId": "%SRCROOT%"}
        region: dict[str, Any] = {"startLine": d.line, "startColumn": d.column}
        if d.end_line is not None:
            region["endLine"] = d.end_line
        if d.end_column is not None:
            region["endColumn"] = d.end_column
        result: dict[str, Any] = {
            "ruleId": d.code,
            "ruleIndex": rule_index,
            "level": _LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
        }
        if d.fix is not None:
            result["properties"] = {"fixable": True, "fix": d.fix.description}
        return result


REPORTER = SarifReporter
