"""The agents a skill is written for, and the frontmatter fields each one defines.

`agentskills` is the open specification (https://agentskills.io/specification): the strict
default, the fields every agent understands. Other targets add the fields their agent reads;
a field is accepted when any selected target defines it (the others ignore it). Each entry is
a JSON Schema fragment, merged into ``skill.schema.json`` by `skillkit.schema`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULT_TARGETS = ("agentskills",)

_STRING: Mapping[str, Any] = {"type": "string"}
_BOOLEAN: Mapping[str, Any] = {"type": "boolean"}
#: a space- or comma-separated string, or a YAML list of strings.
_WORDS: Mapping[str, Any] = {"type": ["string", "array"], "items": {"type": "string"}}

#: target -> top-level field -> schema (replacing the spec's schema for a field it redefines).
TARGETS: Mapping[str, Mapping[str, Mapping[str, Any]]] = {
    "agentskills": {},
    # https://code.claude.com/docs/en/skills (frontmatter reference)
    "claude-code": {
        "allowed-tools": _WORDS,
        "argument-hint": _STRING,
        "arguments": _WORDS,
        "when_to_use": _STRING,
        "disable-model-invocation": _BOOLEAN,
        "user-invocable": _BOOLEAN,
        "model": _STRING,
        "effort": _STRING,
        "context": _STRING,
        "agent": _STRING,
        "hooks": {"type": "object"},
        "paths": _WORDS,
        "shell": _STRING,
    },
    # https://developers.openai.com/codex/skills: Codex reads `name`, `description` and
    # `metadata.short-description`; its other settings live in `agents/openai.yaml`.
    "codex": {},
}


def unknown_targets(names: tuple[str, ...]) -> list[str]:
    return [n for n in names if n not in TARGETS]


def extra_fields(names: tuple[str, ...]) -> dict[str, Mapping[str, Any]]:
    """The fields the selected targets add to the spec's, with their schemas."""
    fields: dict[str, Mapping[str, Any]] = {}
    for name in names:
        fields.update(TARGETS[name])
    return fields


def defining_targets(field: str) -> list[str]:
    """The known targets that define `field` (for a hint when it is reported as unknown)."""
    return [name for name, fields in TARGETS.items() if field in fields]
