#!/usr/bin/env python3
"""Offline least-privilege checks for IAM identity policies, before Access Analyzer sees them.

    python policy_lint.py policy.json [more.json ...] [--format text|json]

It catches the over-grants that are obvious from the document alone: wildcard actions,
``NotAction``/``NotResource`` in an ``Allow``, ``iam:PassRole`` without a target role or
service, unconditioned writes on ``"*"``, malformed condition operators, missing or duplicate
``Sid``s, and documents over the managed-policy size limit. It does not know which actions
support resource-level permissions; ``aws accessanalyzer validate-policy`` does, so run both.

Exit status: 0 no findings, 1 findings, 2 a file could not be read or is not JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

MANAGED_POLICY_LIMIT = 6144  # characters, whitespace excluded
OPERATOR = re.compile(
    r"^(ForAllValues:|ForAnyValue:)?"
    r"(StringEquals|StringNotEquals|StringEqualsIgnoreCase|StringNotEqualsIgnoreCase|StringLike|"
    r"StringNotLike|NumericEquals|NumericNotEquals|NumericLessThan|NumericLessThanEquals|"
    r"NumericGreaterThan|NumericGreaterThanEquals|DateEquals|DateNotEquals|DateLessThan|"
    r"DateLessThanEquals|DateGreaterThan|DateGreaterThanEquals|Bool|BinaryEquals|IpAddress|"
    r"NotIpAddress|ArnEquals|ArnLike|ArnNotEquals|ArnNotLike|Null)(IfExists)?$"
)
# Verbs whose calls change things: on Resource "*" without a condition they are a red flag.
WRITE_VERB = re.compile(
    r"^(Put|Create|Delete|Update|Modify|Attach|Detach|Associate|Disassociate|Add|Remove|Set|"
    r"Start|Stop|Terminate|Reboot|Run|Invoke|Pass|Tag|Untag|Restore|Replace|Revoke|Authorize)"
)


@dataclass(frozen=True)
class Finding:
    path: str
    statement: int  # 0-based index; -1 for the whole document
    sid: str
    code: str
    severity: str  # "error" or "warning"
    message: str

    def text(self) -> str:
        where = "policy" if self.statement < 0 else f"statement {self.statement}"
        if self.sid:
            where += f" ({self.sid})"
        return f"{self.path}: {where}: {self.code} [{self.severity}] {self.message}"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _matches(pattern: str, action: str) -> bool:
    """IAM wildcard match of an action pattern (case-insensitive, * and ?)."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, action, re.IGNORECASE) is not None


def check_statement(path: str, index: int, st: Any) -> Iterator[Finding]:
    if not isinstance(st, dict):
        yield Finding(path, index, "", "P100", "error", "a statement must be a JSON object")
        return
    sid = str(st.get("Sid", ""))

    def finding(code: str, severity: str, message: str) -> Finding:
        return Finding(path, index, sid, code, severity, message)

    if st.get("Effect") not in ("Allow", "Deny"):
        yield finding("P101", "error", 'Effect must be "Allow" or "Deny"')
    if not sid:
        yield finding("P102", "warning", "no Sid: name every statement for reviewers")
    conditions = st.get("Condition") or {}
    if not isinstance(conditions, dict):
        yield finding("P103", "error", "Condition must be an object of operator -> {key: value}")
        conditions = {}
    for operator, block in conditions.items():
        if not OPERATOR.match(operator):
            yield finding("P104", "error", f"unknown condition operator {operator!r}")
        if not isinstance(block, dict) or not block:
            yield finding("P103", "error", f"{operator}: expected a non-empty {{key: value}}")
    if st.get("Effect") != "Allow":
        return
    if "NotAction" in st or "NotResource" in st:
        yield finding(
            "P201", "error", "NotAction/NotResource in an Allow grants everything not listed"
        )
    actions = [str(a) for a in _as_list(st.get("Action", []))]
    resources = [str(r) for r in _as_list(st.get("Resource", []))]
    for action in actions:
        if action == "*" or action.endswith(":*"):
            yield finding("P202", "error", f"wildcard action {action!r}: name the actions used")
    if any(_matches(a, "iam:PassRole") for a in actions):
        passed_to = any(
            key.lower() == "iam:passedtoservice" for block in conditions.values()
            if isinstance(block, dict) for key in block
        )  # fmt: skip
        if "*" in resources or any(r.endswith(":role/*") for r in resources):
            yield finding("P203", "error", "iam:PassRole on every role: list the role ARNs")
        if not passed_to:
            yield finding("P204", "error", "iam:PassRole without an iam:PassedToService condition")
    if "*" in resources and not conditions:
        writes = sorted(
            a for a in actions if ":" in a and WRITE_VERB.match(a.split(":", 1)[1])
        )  # fmt: skip
        if writes:
            yield finding(
                "P205", "warning",
                f"write actions on Resource \"*\" without a condition: {', '.join(writes)}",
            )  # fmt: skip


def check_document(path: str, doc: Any) -> list[Finding]:
    if not isinstance(doc, dict):
        return [Finding(path, -1, "", "P001", "error", "a policy must be a JSON object")]
    found: list[Finding] = []
    if doc.get("Version") != "2012-10-17":
        found.append(
            Finding(path, -1, "", "P002", "error",
                    'Version must be "2012-10-17" (policy variables need it)')
        )  # fmt: skip
    statements = _as_list(doc.get("Statement", []))
    if not statements:
        found.append(Finding(path, -1, "", "P003", "error", "no Statement"))
    sids = [str(st["Sid"]) for st in statements if isinstance(st, dict) and st.get("Sid")]
    for dup in sorted({s for s in sids if sids.count(s) > 1}):
        found.append(Finding(path, -1, dup, "P004", "error", f"duplicate Sid {dup!r}"))
    size = len(re.sub(r"\s", "", json.dumps(doc)))
    if size > MANAGED_POLICY_LIMIT:
        found.append(
            Finding(path, -1, "", "P005", "warning",
                    f"{size} characters: over the {MANAGED_POLICY_LIMIT} managed-policy limit")
        )  # fmt: skip
    for index, st in enumerate(statements):
        found.extend(check_statement(path, index, st))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="policy_lint.py",
        description="Offline least-privilege checks for IAM identity policy documents.",
        epilog="Example: policy_lint.py policy.json --format json",
    )
    parser.add_argument("files", nargs="+", help="policy JSON files")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    findings: list[Finding] = []
    for path in args.files:
        try:
            with open(path, encoding="utf-8") as handle:
                doc = json.load(handle)
        except OSError as exc:
            print(f"error: cannot read {path}: {exc.strerror}", file=sys.stderr)
            return 2
        except (ValueError, UnicodeDecodeError) as exc:
            print(f"error: {path} is not valid JSON: {exc}", file=sys.stderr)
            return 2
        findings.extend(check_document(path, doc))
    if args.format == "json":
        print(json.dumps({"findings": [asdict(f) for f in findings]}, indent=2))
    else:
        for f in findings:
            print(f.text())
        if not findings:
            print(f"ok: {len(args.files)} policy file(s), no findings")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
