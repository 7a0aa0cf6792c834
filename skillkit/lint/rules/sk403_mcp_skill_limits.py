"""A skill has more than 512 files or more than 16 MiB of content: too big to serve over MCP.

Why: the MCP Skills extension (`io.modelcontextprotocol/skills`) fixes what every conforming
host must accept per skill: at most 512 files (SKILL.md included) and 16 MiB (16,777,216
bytes) in total. Servers should not serve a skill over either limit, and a host may refuse
it; `skillkit serve` offers every built skill to such hosts.

Bad: a skill bundling a 30 MB dataset under `assets/`, or a thousand generated pages under
`references/`. Good: a skill with a few dozen focused files, fetching bulk data at run time.

Fix: move bulk data out of the skill (download it from a script), or split the skill in two.
Options: `max-files` (512) and `max-bytes` (16777216).
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.limits import MAX_BYTES, MAX_FILES
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK403"
NAME = "mcp-skill-limits"
SEVERITY = Severity.ERROR
OPTIONS = {"max-files": MAX_FILES, "max-bytes": MAX_BYTES}


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    max_files = int(ctx.options.get("max-files", MAX_FILES))
    max_bytes = int(ctx.options.get("max-bytes", MAX_BYTES))
    count = 1 + len(skill.files)
    total = len(skill.raw) + sum(f.size for f in skill.files)
    if count > max_files:
        yield ctx.diagnostic(
            f"the skill has {count:,} files (SKILL.md included), over the {max_files:,} an MCP "
            "host must accept",
            skill.skill_md,
        )
    if total > max_bytes:
        yield ctx.diagnostic(
            f"the skill's files total {total:,} bytes, over the {max_bytes:,} (16 MiB) an MCP "
            "host must accept",
            skill.skill_md,
        )
