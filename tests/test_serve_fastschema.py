"""The compiled index-schema check (`skillkit.index.schema_fast`) agrees with `jsonschema`.

It exists so `skillkit serve` loads a 10,000-skill index fast; `jsonschema` stays the
reference: for every index below, "fast says valid" must equal "jsonschema finds no error".
"""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import jsonschema
import pytest

from skillkit.index.schema import index_schema, schema_errors
from skillkit.index.schema_fast import Unsupported, compile_schema
from tests.serve_support import make_catalog


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    _, dist = make_catalog(tmp_path_factory.mktemp("fastschema"))
    data: dict[str, Any] = json.loads((dist / "index.json").read_text(encoding="utf-8"))
    return data


def _reference(data: Any) -> bool:
    return not any(jsonschema.Draft202012Validator(index_schema()).iter_errors(data))


_ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    2.0,
    "",
    "x",
    "1.0.0",
    "a" * 70,
    "../up",
    "/abs",
    "a\\b",
    "UPPER",
    "ok-name",
    [],
    [1],
    {},
    {"a": 1},
    "0" * 64,
    "2024-01-01T00:00:00Z",
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*prefix, i))
    return found


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


def _delete(data: Any, path: tuple[Any, ...]) -> Any:
    node = data
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]
    return data


def test_valid_index_passes_both(built: dict[str, Any]) -> None:
    check = compile_schema(index_schema())
    assert check(built) is True
    assert _reference(built) is True
    assert schema_errors(built) == []


def test_every_single_mutation_agrees(built: dict[str, Any]) -> None:
    check = compile_schema(index_schema())
    rng = random.Random(6)
    paths = _paths(built)
    tried = invalid = 0
    for path in paths:
        candidates = rng.sample(_ODD_VALUES, 6)
        for value in candidates:
            mutated = _set(copy.deepcopy(built), path, copy.deepcopy(value))
            expected = _reference(mutated)
            assert check(mutated) is expected, (path, value)
            tried += 1
            invalid += not expected
        if path:
            removed = _delete(copy.deepcopy(built), path)
            assert check(removed) is _reference(removed), ("delete", path)
        extra = copy.deepcopy(built)
        node = extra
        for part in path:
            node = node[part]
        if isinstance(node, dict):
            node["unexpected_key"] = 1
            assert check(extra) is _reference(extra), ("extra key", path)
    assert tried > 500 and invalid > tried // 2  # the mutations really exercise rejection


def test_invalid_index_still_gets_jsonschema_messages(built: dict[str, Any]) -> None:
    bad = copy.deepcopy(built)
    bad["generation"] = -3
    errors = schema_errors(bad)
    assert errors and errors[0].startswith("$.generation:")


def test_unknown_keywords_are_refused() -> None:
    with pytest.raises(Unsupported):
        compile_schema({"type": "object", "dependentRequired": {"a": ["b"]}})
    with pytest.raises(Unsupported):
        compile_schema({"type": "decimal"})


def test_json_semantics_of_types_and_const() -> None:
    check = compile_schema(
        {"type": "object", "properties": {"n": {"type": "integer"}, "c": {"const": 1}}}
    )
    cases: list[Any] = [{"n": 2.0}, {"n": True}, {"n": 2.5}, {"c": 1.0}, {"c": True}, []]
    for case in cases:
        expected = not any(
            jsonschema.Draft202012Validator(
                {"type": "object", "properties": {"n": {"type": "integer"}, "c": {"const": 1}}}
            ).iter_errors(case)
        )
        assert check(case) is expected, case
