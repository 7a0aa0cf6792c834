"""The skill tells the agent to use a deprecated AWS MCP Server tool (`call_aws`).

Why: `call_aws` is deprecated (2026-07-15); skills that still name it break when it is
removed. `run_script` with `call_boto3` (PascalCase operation names) does the same job and
batches many calls into one.

Bad: "Use the `call_aws` tool to run `aws s3 ls`." Good: "Use `run_script` with
`call_boto3(service_name='s3', operation_name='ListBuckets')`."

Fix: move the instructions to `run_script`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK707"
NAME = "deprecated-mcp-tool"
SEVERITY = Severity.WARNING
_TOOL = re.compile(r"(?<![\w.])(?:aws___)?call_aws\b")
_SUFFIXES = (".md", ".py", ".sh", ".txt", ".json", ".yaml", ".yml")


def _texts(skill: Skill) -> Iterator[tuple[object, str, int]]:
    yield skill.skill_md, skill.body, skill.body_line
    for f in skill.files:
        if f.relpath.endswith(_SUFFIXES) and f.size <= 1 << 20:
            try:
                yield f.path, f.read_bytes().decode("utf-8"), 1
            except (OSError, UnicodeDecodeError):
                continue


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    from pathlib import Path

    for path, text, first in _texts(skill):
        if "call_aws" not in text:
            continue
        assert isinstance(path, Path)
        for match in _TOOL.finditer(text):
            line = text.count("\n", 0, match.start())
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            yield ctx.diagnostic(
                f"{match.group(0)} is deprecated (2026-07-15): use run_script with call_boto3",
                path,
                first + line,
                column,
            )
