"""Validate frontmatter against ``skill.schema.json`` and place each error on a YAML line:col.

The schema (JSON Schema 2020-12) is the single statement of the frontmatter rules; the SK1xx
rules classify its errors (`Violation`) by field and keyword and word them for people.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from skillkit.model import Frontmatter, JsonPath, Skill, Span
from skillkit.targets import DEFAULT_TARGETS, extra_fields

SCHEMA_NAME = "skill.schema.json"


def schema_path() -> Path:
    """The schema file: inside the installed wheel, else the source checkout's ``schemas/``."""
    packaged = resources.files("skillkit") / "schemas" / SCHEMA_NAME
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "schemas" / SCHEMA_NAME


@cache
def load_schema() -> dict[str, Any]:
    with schema_path().open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@cache
def validator(targets: tuple[str, ...] = DEFAULT_TARGETS) -> jsonschema.Draft202012Validator:
    """The validator for the spec's schema plus the fields the `targets` define."""
    schema = load_schema()
    extra = extra_fields(targets)
    if extra:
        schema = {**schema, "properties": {**schema["properties"], **extra}}
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@dataclass(frozen=True)
class Violation:
    """One schema error: the JSON path it concerns, the failing keyword and where it sits."""

    path: JsonPath
    keyword: str
    message: str
    span: Span | None
    instance: Any = None

    @property
    def field(self) -> str:
        """The top-level field concerned (``""`` for the frontmatter mapping itself)."""
        return str(self.path[0]) if self.path else ""


def _span(fm: Frontmatter, path: JsonPath, prefer_key: bool) -> Span | None:
    loc = fm.location(path)
    if loc is None:
        return None
    if prefer_key and loc.key is not None:
        return loc.key
    return loc.value


_YAML_TYPES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "boolean": "true or false",
}


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a mapping",
        str: "a string",
    }.get(type(value), f"a {type(value).__name__}")


def violations_of(
    fm: Frontmatter, targets: tuple[str, ...] = DEFAULT_TARGETS
) -> list[Violation]:
    """Every schema violation of a parsed frontmatter (none when the YAML itself is broken)."""
    if not fm.valid:
        return []
    found: list[Violation] = []
    missing_seen: set[tuple[JsonPath, str]] = set()
    for error in validator(targets).iter_errors(fm.data):
        path: JsonPath = tuple(error.absolute_path)
        keyword = str(error.validator)
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        if keyword == "additionalProperties" and isinstance(error.instance, dict):
            known = set(schema.get("properties", {}))
            for key in error.instance:
                if key in known:
                    continue
                where = (*path, str(key))
                if isinstance(schema.get("additionalProperties"), Mapping):
                    continue  # reported by the sub-schema's own error
                found.append(
                    Violation(where, keyword, f"unknown field '{key}'", _span(fm, where, True), key)
                )
            continue
        if keyword == "required":
            # jsonschema yields one error per missing key, each carrying the whole list.
            missing = [r for r in error.validator_value if r not in error.instance]
            for key in missing:
                if (path, key) in missing_seen:
                    continue
                missing_seen.add((path, key))
                found.append(
                    Violation(
                        (*path, key),
                        keyword,
                        f"missing required field '{key}'",
                        _span(fm, path, False),
                    )
                )
            continue
        if keyword == "type":
            types = error.validator_value
            types = types if isinstance(types, list) else [types]
            wanted = " or ".join(_YAML_TYPES.get(str(t), str(t)) for t in types)
            message = f"must be {wanted}, not {_describe(error.instance)}"
        elif keyword == "maxLength":
            message = (
                f"is {len(error.instance)} characters, over the limit of {error.validator_value}"
            )
        elif keyword == "minLength":
            message = "must not be empty"
        elif keyword == "pattern":
            message = f"{error.instance!r} does not match {error.validator_value}"
        else:
            message = error.message
        found.append(Violation(path, keyword, message, _span(fm, path, False), error.instance))
    found.sort(key=lambda v: (v.span.start if v.span else -1, v.path.__repr__()))
    return found


# Several rules read the violations of the same skill one after another; keep the last few.
_RECENT: list[tuple[Skill, tuple[str, ...], list[Violation]]] = []


def violations(skill: Skill, targets: tuple[str, ...] = DEFAULT_TARGETS) -> list[Violation]:
    """`violations_of` for a skill, computed once however many rules ask in a row."""
    for seen, seen_targets, result in _RECENT:
        if seen is skill and seen_targets == targets:
            return result
    result = violations_of(skill.frontmatter, targets)
    _RECENT.insert(0, (skill, targets, result))
    del _RECENT[4:]
    return result
