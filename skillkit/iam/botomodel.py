"""botocore's service models, read offline: which operations a service has, how the AWS CLI
and the Python SDK spell them, and which IAM actions each one needs."""

from __future__ import annotations

import gzip
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from skillkit.errors import SkillkitError
from skillkit.extras import install_hint


class ModelsMissing(SkillkitError):
    """botocore (installed with boto3) is not available."""


@cache
def _session() -> Any:
    try:
        import botocore.session
    except ImportError:
        raise ModelsMissing(
            "botocore's service models are not installed: " + install_hint("iam")
        ) from None
    return botocore.session.get_session()


def _data(name: str) -> dict[str, Any]:
    text = resources.files("skillkit.iam").joinpath("data", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def overrides() -> dict[str, Any]:
    return _data("overrides.json")


@cache
def services() -> frozenset[str]:
    return frozenset(_session().get_available_services())


@dataclass(frozen=True)
class ServiceOps:
    """One service's operations, by their PascalCase, kebab-case and snake_case names."""

    name: str
    iam_prefix: str
    operations: frozenset[str]
    by_cli: dict[str, str]
    by_method: dict[str, str]


@cache
def service(name: str) -> ServiceOps | None:
    """The operations of botocore service `name` (``s3``, ``elbv2``), or None if unknown."""
    if name not in services():
        return None
    from botocore import xform_name

    data = _service_json(name)
    ops = frozenset(data.get("operations", {}))
    return ServiceOps(
        name=name,
        iam_prefix=_prefix_of(name, data.get("metadata", {})),
        operations=ops,
        by_cli={xform_name(op, "-"): op for op in ops},
        by_method={xform_name(op): op for op in ops},
    )


@cache
def service_prefix(name: str) -> str | None:
    """`service(name).iam_prefix` (None for an unknown service), read from the model's head:
    its metadata comes first, and the whole model of a large service is megabytes of JSON."""
    if name not in services():
        return None
    path = _model_path(name)
    metadata = _head_value(path, "metadata") if path is not None else None
    if not isinstance(metadata, dict):
        found = service(name)
        return found.iam_prefix if found is not None else None
    return _prefix_of(name, metadata)


def _prefix_of(name: str, metadata: dict[str, Any]) -> str:
    signing = str(metadata.get("signingName") or metadata.get("endpointPrefix") or name)
    return iam_prefix(name, signing)


def _model_path(name: str) -> str | None:
    """The data file of botocore's latest model of service `name`, if it is a plain file."""
    loader = _session().get_component("data_loader")
    version = loader.determine_latest_version(name, "service-2")
    for base in loader.search_paths:
        path = os.path.join(base, name, version, "service-2.json")
        if os.path.isfile(path):
            return path
        if os.path.isfile(path + ".gz"):
            return path + ".gz"
    return None


def _open_model(path: str) -> Any:
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def _service_json(name: str) -> dict[str, Any]:
    """botocore's model of service `name`, read from its data files without botocore's loader
    cache: only the operation names and metadata are kept, and a whole model held per service
    read would add about 100 MiB to a lint of AWS-heavy skills."""
    path = _model_path(name)
    if path is not None:
        with _open_model(path) as handle:
            data: dict[str, Any] = json.load(handle)
            return data
    loader = _session().get_component("data_loader")
    model: dict[str, Any] = loader.load_service_model(name, "service-2")
    return model


_HEAD_CHARS = 1 << 16
_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _head_value(path: str, key: str) -> Any:
    """The value of top-level `key` of the JSON object in file `path`, parsed from the file's
    first characters only; None unless it and every member before it stand there in full."""
    with _open_model(path) as handle:
        head: str = handle.read(_HEAD_CHARS)
    decoder = json.JSONDecoder()
    try:
        pos = _skip_space(head, 0)
        if head[pos] != "{":
            return None
        pos += 1
        while True:
            name, pos = decoder.raw_decode(head, _skip_space(head, pos))
            pos = _skip_space(head, pos)
            if not isinstance(name, str) or head[pos] != ":":
                return None
            value, pos = decoder.raw_decode(head, _skip_space(head, pos + 1))
            if name == key:
                return value
            pos = _skip_space(head, pos)
            if head[pos] != ",":
                return None
            pos += 1
    except (ValueError, IndexError):  # cut off, or not the JSON expected
        return None


def _skip_space(text: str, pos: int) -> int:
    space = _JSON_SPACE.match(text, pos)
    return space.end() if space else pos


def iam_prefix(service_name: str, signing_name: str) -> str:
    aliases: dict[str, str] = _data("prefixes.json")["aliases"]
    if service_name in aliases:
        return aliases[service_name]
    for pattern, prefix in aliases.items():
        if pattern.endswith("*") and service_name.startswith(pattern[:-1]):
            return prefix
    return signing_name.lower()


def cli_service(name: str) -> str:
    """The botocore service an ``aws NAME ...`` command talks to (``s3api`` -> ``s3``)."""
    mapped: dict[str, str] = overrides()["cli_services"]
    return mapped.get(name, name)


def actions_for_operation(service_name: str, operation: str) -> tuple[str, ...] | None:
    """The IAM actions an API call needs; None when the service or operation is unknown."""
    ops = service(service_name)
    if ops is None or operation not in ops.operations:
        return None
    table: dict[str, list[str]] = overrides()["operations"]
    listed = table.get(f"{service_name}:{operation}")
    if listed is not None:
        return tuple(listed)
    return (f"{ops.iam_prefix}:{operation}",)


def actions_for_cli(service_name: str, command: str) -> tuple[str, ...] | None:
    """The IAM actions of ``aws SERVICE COMMAND``; None when it is no known command."""
    custom: dict[str, list[str]] = overrides()["cli"]
    listed = custom.get(f"{service_name} {command}")
    if listed is not None:
        return tuple(listed)
    target = cli_service(service_name)
    ops = service(target)
    if ops is None:
        return None
    operation = ops.by_cli.get(command)
    if operation is None:
        return None
    return actions_for_operation(target, operation)
