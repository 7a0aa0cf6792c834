"""A compiled yes/no check for the JSON Schema subset ``index.schema.json`` uses.

`jsonschema` walks the schema for every value (about 1 ms per version entry), which made
loading a 10,000-skill index take ~8 s; the server must be ready in 2 s. This compiles the
schema once into nested closures that only answer "valid?"; when the answer is no,
`schema.schema_errors` falls back to `jsonschema` for its precise messages, so messages are
unchanged and `jsonschema` stays the reference. A keyword this compiler does not know makes
`compile_schema` raise `Unsupported`, and the caller then always uses `jsonschema`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

#: keywords that do not constrain values (annotations), ignored like jsonschema does.
_ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "title",
        "description",
        "default",
        "examples",
        "$defs",
        "definitions",
        "format",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)


class Unsupported(Exception):
    """The schema uses a keyword (or form) this compiler does not implement."""


def _is_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int) or (
            isinstance(value, float) and math.isfinite(value) and value.is_integer()
        )
    if name == "number":
        return isinstance(value, int | float)
    raise Unsupported(f"type {name!r}")


def _equal(a: Any, b: Any) -> bool:
    # JSON equality: 1 == 1.0, but True is not 1.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(type(a) is type(b) or (_is_num(a) and _is_num(b))) and a == b


def _is_num(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def compile_schema(root: Mapping[str, Any]) -> Check:
    """A function answering whether a value is valid against `root` (draft 2020-12 subset)."""
    compiled: dict[str, Check] = {}

    def ref(pointer: str) -> Check:
        if not pointer.startswith("#/"):
            raise Unsupported(f"$ref {pointer!r}")
        if pointer not in compiled:
            node: Any = root
            for part in pointer[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            # Placeholder first, so recursive schemas terminate.
            holder: list[Check] = []
            compiled[pointer] = lambda v: holder[0](v)
            holder.append(build(node))
            compiled[pointer] = holder[0]
        return compiled[pointer]

    def build(schema: Any) -> Check:
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, Mapping):
            raise Unsupported(f"schema {schema!r}")
        checks: list[Check] = []
        for key, arg in schema.items():
            if key in _ANNOTATIONS:
                continue
            checks.append(keyword(key, arg, schema))
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(c(v) for c in checks)

    def keyword(key: str, arg: Any, schema: Mapping[str, Any]) -> Check:
        if key == "$ref":
            return ref(arg)
        if key == "type":
            names = [arg] if isinstance(arg, str) else list(arg)
            for name in names:
                _is_type(None, name)  # unknown type names raise Unsupported now
            if len(names) == 1:
                only = names[0]
                return lambda v: _is_type(v, only)
            return lambda v: any(_is_type(v, n) for n in names)
        if key == "const":
            return lambda v: _equal(v, arg)
        if key == "enum":
            return lambda v: any(_equal(v, option) for option in arg)
        if key == "required":
            needed = list(arg)
            return lambda v: not isinstance(v, dict) or all(k in v for k in needed)
        if key == "properties":
            props = {name: build(sub) for name, sub in arg.items()}

            def properties(v: Any) -> bool:
                if not isinstance(v, dict):
                    return True
                return all(check(v[k]) for k, check in props.items() if k in v)

            return properties
        if key == "additionalProperties":
            other = build(arg)
            known = set(schema.get("properties", {}))
            if "patternProperties" in schema:
                raise Unsupported("patternProperties")

            def additional(v: Any) -> bool:
                if not isinstance(v, dict):
                    return True
                return all(other(item) for k, item in v.items() if k not in known)

            return additional
        if key == "propertyNames":
            names_check = build(arg)
            return lambda v: not isinstance(v, dict) or all(names_check(k) for k in v)
        if key == "items":
            item = build(arg)
            if "prefixItems" in schema:
                raise Unsupported("prefixItems")
            return lambda v: not isinstance(v, list) or all(item(x) for x in v)
        if key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            bound = arg
            compare: Callable[[Any], bool] = {
                "minimum": lambda x: x >= bound,
                "maximum": lambda x: x <= bound,
                "exclusiveMinimum": lambda x: x > bound,
                "exclusiveMaximum": lambda x: x < bound,
            }[key]
            return lambda v: not _is_num(v) or compare(v)
        if key in ("minLength", "maxLength"):
            size = int(arg)
            if key == "minLength":
                return lambda v: not isinstance(v, str) or len(v) >= size
            return lambda v: not isinstance(v, str) or len(v) <= size
        if key in ("minItems", "maxItems"):
            count = int(arg)
            if key == "minItems":
                return lambda v: not isinstance(v, list) or len(v) >= count
            return lambda v: not isinstance(v, list) or len(v) <= count
        if key == "pattern":
            regex = re.compile(arg)
            return lambda v: not isinstance(v, str) or regex.search(v) is not None
        if key == "not":
            inner = build(arg)
            return lambda v: not inner(v)
        if key == "allOf":
            parts = [build(s) for s in arg]
            return lambda v: all(p(v) for p in parts)
        if key == "anyOf":
            parts = [build(s) for s in arg]
            return lambda v: any(p(v) for p in parts)
        if key == "oneOf":
            parts = [build(s) for s in arg]
            return lambda v: sum(1 for p in parts if p(v)) == 1
        raise Unsupported(f"keyword {key!r}")

    return build(root)
