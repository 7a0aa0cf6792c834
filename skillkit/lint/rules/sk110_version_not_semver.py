"""`metadata.version` is not a semantic version (MAJOR.MINOR.PATCH).

Why: `skillkit build` orders versions and resolves `requires` ranges with semver; a
version such as `"1"` or `"v2"` cannot be compared reliably. This is a skillkit
convention, not a spec rule, so it is a warning.

Bad: `version: "1"`, `version: "2024-05"`.
Good: `version: "1.0.0"`, `version: "2.1.0-rc.1"`.

Fix: write the full three-part version.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import schema_findings
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK110"
NAME = "version-not-semver"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from schema_findings(
        skill,
        ctx,
        lambda v: v.path == ("metadata", "version") and v.keyword == "pattern",
        lambda v: f"metadata.version {v.instance!r} is not semver (MAJOR.MINOR.PATCH, e.g. 1.0.0)",
    )
