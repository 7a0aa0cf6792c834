"""The ``metadata.aws-actions`` and ``metadata.aws-runtime`` declarations of a skill.

``aws-actions: "s3:ListBucket, s3:GetObject, kms:Decrypt?"``: comma-separated IAM actions;
a trailing ``?`` marks an action needed only on some paths. ``aws-runtime: local |
run_script | both`` says where the skill's scripts run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from skillkit.model import Skill

ACTIONS_FIELD = "aws-actions"
RUNTIME_FIELD = "aws-runtime"
RUNTIMES = ("local", "run_script", "both")
#: more entries than any real skill needs: the rest of the declaration is not read.
MAX_ACTIONS = 500

_ENTRY = re.compile(r"^(?P<service>[a-z0-9][a-z0-9-]*):(?P<name>[A-Za-z0-9*]+)(?P<optional>\?)?$")


@dataclass(frozen=True)
class Declared:
    """One declared action; `column` is 0-based within the declaration text."""

    action: str
    optional: bool
    column: int

    @property
    def service(self) -> str:
        return self.action.partition(":")[0]

    @property
    def wildcard(self) -> bool:
        return "*" in self.action


@dataclass(frozen=True)
class DeclFault:
    message: str
    column: int = 0


@dataclass(frozen=True)
class Declaration:
    actions: tuple[Declared, ...]
    faults: tuple[DeclFault, ...]


def parse_actions(text: str) -> Declaration:
    """Split a declaration into actions and faults (never raises)."""
    actions: list[Declared] = []
    faults: list[DeclFault] = []
    seen: set[str] = set()
    offset = 0
    for count, raw in enumerate(text.split(",")):
        column = offset + len(raw) - len(raw.lstrip())
        offset += len(raw) + 1
        entry = raw.strip()
        if count >= MAX_ACTIONS:
            faults.append(
                DeclFault(
                    f"more than {MAX_ACTIONS} actions: the rest is not read (declare what the "
                    "skill calls, not a catalog)",
                    column,
                )
            )
            break
        if not entry:
            if text.strip():
                faults.append(DeclFault("empty entry (a doubled or trailing comma)", column))
            continue
        match = _ENTRY.match(entry)
        if match is None:
            faults.append(DeclFault(_explain(entry), column))
            continue
        action = f"{match['service']}:{match['name']}"
        if action.lower() in seen:
            faults.append(DeclFault(f"{action!r} is declared twice", column))
            continue
        seen.add(action.lower())
        actions.append(Declared(action, bool(match["optional"]), column))
    return Declaration(tuple(actions), tuple(faults))


def _explain(entry: str) -> str:
    if ":" not in entry:
        return f"{entry!r} is not 'service:Action' (e.g. s3:GetObject)"
    service = entry.partition(":")[0]
    if service != service.lower():
        return f"{entry!r}: the service prefix is lowercase ({service.lower()!r})"
    if entry.startswith("arn:"):
        return f"{entry!r} is an ARN, not an action"
    return f"{entry!r} is not 'service:Action' (letters, digits, '*', optional trailing '?')"


def declaration_text(skill: Skill) -> str | None:
    value = skill.metadata.get(ACTIONS_FIELD)
    return value if isinstance(value, str) else None


def declared(skill: Skill) -> Declaration | None:
    text = declaration_text(skill)
    return None if text is None else parse_actions(text)


def runtime(skill: Skill) -> str | None:
    value = skill.metadata.get(RUNTIME_FIELD)
    return value.strip() if isinstance(value, str) else None


def runs_in_sandbox(skill: Skill) -> bool:
    return runtime(skill) in ("run_script", "both")
