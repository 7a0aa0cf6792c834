"""The Permissions section of a skill's page: its declared AWS actions and the policy
`skillkit iam policy` would write for them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Permissions:
    actions: tuple[str, ...]
    runtime: str | None
    #: the policy JSON, or None when the IAM catalog (the iam extra) is not installed
    policy: str | None
    notes: tuple[str, ...] = ()


def permissions(frontmatter: Mapping[str, Any]) -> Permissions | None:
    """None when the skill declares no ``metadata.aws-actions``."""
    from skillkit.iam import Need, build_policy, catalog, parse_actions

    metadata = frontmatter.get("metadata")
    if not isinstance(metadata, Mapping):
        return None
    text = metadata.get("aws-actions")
    if not isinstance(text, str):
        return None
    runtime = metadata.get("aws-runtime")
    declared = parse_actions(text).actions
    shown = tuple(d.action + ("?" if d.optional else "") for d in declared)
    runtime_text = runtime if isinstance(runtime, str) else None
    if not declared or not catalog.available():
        return Permissions(shown, runtime_text, None)
    result = build_policy([Need(d.action, d.optional) for d in declared])
    return Permissions(shown, runtime_text, json.dumps(result.document, indent=2), result.notes)
