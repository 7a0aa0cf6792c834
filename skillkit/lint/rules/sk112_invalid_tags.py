"""`metadata.tags` is not a clean comma-separated list.

Why: tags drive search in the catalog and the generated docs; an empty entry (`"a,,b"`)
or a trailing comma usually means a typo.

Bad: `tags: "aws,, s3,"`. Good: `tags: "aws, s3"`.

Fix: remove the empty entries.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._helpers import schema_findings
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK112"
NAME = "invalid-tags"
SEVERITY = Severity.WARNING


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield from schema_findings(
        skill,
        ctx,
        lambda v: v.path == ("metadata", "tags") and v.keyword == "pattern",
        lambda v: f"metadata.tags {v.instance!r} has an empty entry (write 'a, b, c')",
    )
