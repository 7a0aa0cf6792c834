"""botocore's service models, read offline: which operations a service has, how the AWS CLI
and the Python SDK spell them, and which IAM actions each one needs."""

from __future__ import annotations

import gzip
import json
import os
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
    metadata = data.get("metadata", {})
    signing = str(metadata.get("signingName") or metadata.get("endpointPrefix") or name)
    return ServiceOps(
        name=name,
        iam_prefix=iam_prefix(name, signing),
        operations=ops,
        by_cli={xform_name(op, "-"): op for op in ops},
        by_method={xform_name(op): op for op in ops},
    )


def _service_json(name: str) -> dict[str, Any]:
    """botocore's model of service `name`, read from its data files without botocore's loader
    cache: only the operation names and metadata are kept, and a whole model held per service
    read would add about 100 MiB to a lint of AWS-heavy skills."""
    loader = _session().get_component("data_loader")
    version = loader.determine_latest_version(name, "service-2")
    for base in loader.search_paths:
        path = os.path.join(base, name, version, "service-2.json")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as handle:
                data: dict[str, Any] = json.load(handle)
                return data
        if os.path.isfile(path + ".gz"):
            with gzip.open(path + ".gz", "rt", encoding="utf-8") as handle:
                data = json.load(handle)
                return data
    model: dict[str, Any] = loader.load_service_model(name, "service-2")
    return model


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
