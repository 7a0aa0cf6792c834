"""What the AWS MCP Server's ``run_script`` sandbox allows, from the versioned data file
``data/sandbox.json`` (every entry cites its source; AWS publishes no full list)."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

#: the names the sandbox predefines; nothing else is in scope, nothing is pre-imported
PREDEFINED = ("call_boto3", "make_request")
DEPRECATED_TOOLS = {"call_aws": "run_script with call_boto3 (call_aws is deprecated, 2026-07-15)"}


@dataclass(frozen=True)
class SandboxData:
    version: str
    blocked: dict[str, str]
    network: dict[str, str]
    sources: dict[str, str]


@cache
def data() -> SandboxData:
    text = resources.files("skillkit.iam").joinpath("data", "sandbox.json").read_text("utf-8")
    raw: dict[str, Any] = json.loads(text)
    return SandboxData(raw["version"], raw["blocked"], raw["network"], raw["sources"])


def top(module: str) -> str:
    return module.split(".", 1)[0]


def blocked_reason(module: str) -> str | None:
    """Why the sandbox refuses `module` (blocked or network), or None when it may be imported."""
    d = data()
    name = top(module)
    if name in d.blocked:
        source = d.blocked[name]
        return f"'{name}' is blocked in the run_script sandbox (source: {source}, data {d.version})"
    if name in d.network or module in d.network:
        use = d.network.get(module) or d.network[name]
        return f"'{name}' needs the network, which the run_script sandbox has not; use {use}"
    return None


def is_stdlib(module: str) -> bool:
    return top(module) in sys.stdlib_module_names
