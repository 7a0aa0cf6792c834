"""The MCP Skills extension's per-skill limits: what every conforming host must accept.

Shared by the lint rule that reports a skill over them (SK403) and the server, which does not
offer such a skill through the extension.
"""

from __future__ import annotations

#: files per skill, SKILL.md included.
MAX_FILES = 512
#: bytes per skill: the sum of its files' sizes (16 MiB).
MAX_BYTES = 16 * 1024 * 1024


def over_limits(files: int, total: int) -> str | None:
    """Why a skill of `files` files and `total` bytes is over the limits (None: it is not)."""
    problems = []
    if files > MAX_FILES:
        problems.append(f"{files:,} files (at most {MAX_FILES:,})")
    if total > MAX_BYTES:
        problems.append(f"{total:,} bytes (at most {MAX_BYTES:,}, 16 MiB)")
    return "; ".join(problems) or None
