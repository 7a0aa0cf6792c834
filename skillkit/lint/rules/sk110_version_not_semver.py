"""`metadata.version` is not a semantic version (MAJOR.MINOR.PATCH).

Why: `skillkit build` orders versions and resolves `requires` ranges with semver; a
version such as `"1"` or `"v2"` cannot be compared reliably. This is a skillkit
convention, not a spec rule, so lint reports a warning; `skillkit build`, which cannot
package a skill without a semver version, stops on this same finding.

Bad: `version: "1"`, `version: "1.2"`, `version: "2024-05"`.
Good: `version: "1.0.0"`, `version: "2.1.0-rc.1"`.

Fix: write the full three-part version. `skillkit lint --fix` completes a version of one or
two numbers with zeros (`1` → `1.0.0`, `1.2` → `1.2.0`), which names the same release; any
other version is left for you to choose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Fix, Severity
from skillkit.lint.rules._helpers import schema_findings
from skillkit.lint.rules._yaml_edits import replace_scalar
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill
from skillkit.schema import Violation

CODE = "SK110"
NAME = "version-not-semver"
SEVERITY = Severity.WARNING
FIXABLE = True

#: one or two numbers without leading zeros: completing them with zeros is the same release.
_SHORT = re.compile(r"(0|[1-9]\d*)(\.(0|[1-9]\d*))?")


def completed(version: str) -> str | None:
    """`1` → `1.0.0`, `1.2` → `1.2.0`; None for anything else."""
    if not _SHORT.fullmatch(version):
        return None
    parts = version.split(".")
    return ".".join(parts + ["0"] * (3 - len(parts)))


def _fix(skill: Skill, v: Violation) -> Fix | None:
    if not isinstance(v.instance, str) or v.span is None:
        return None
    full = completed(v.instance)
    if full is None:
        return None
    return replace_scalar(v.span, full, f"write metadata.version as {full}")


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from schema_findings(
        skill,
        ctx,
        lambda v: v.path == ("metadata", "version") and v.keyword == "pattern",
        lambda v: f"metadata.version {v.instance!r} is not semver (MAJOR.MINOR.PATCH, e.g. 1.0.0)",
        _fix,
    )
