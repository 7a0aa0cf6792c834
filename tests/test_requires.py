"""metadata.requires grammar: names, ranges and their meaning."""

from __future__ import annotations

import pytest

from skillkit.requires import RequiresError, parse_range, parse_requires


def test_entries_and_default_range() -> None:
    reqs = parse_requires("iam-basics@^1, s3-basics, foo@>=1.2 <2")
    assert [r.name for r in reqs] == ["iam-basics", "s3-basics", "foo"]
    assert [str(r) for r in reqs] == ["iam-basics@^1", "s3-basics", "foo@>=1.2 <2"]
    assert reqs[1].range.contains("0.0.1") and reqs[1].range.contains("99.1.0")


def test_comma_before_operator_continues_the_range() -> None:
    (req,) = parse_requires("foo@>=1.2,<2")
    assert req.range.contains("1.9.9") and not req.range.contains("2.0.0")
    assert not req.range.contains("1.1.9")


def test_empty_and_none() -> None:
    assert parse_requires(None) == ()
    assert parse_requires("  ") == ()


@pytest.mark.parametrize(
    ("rng", "inside", "outside"),
    [
        ("^1.2", ["1.2.0", "1.9.3"], ["1.1.9", "2.0.0"]),
        ("^0.3", ["0.3.0", "0.3.9"], ["0.4.0", "0.2.9"]),
        ("^0.0.3", ["0.0.3"], ["0.0.4"]),
        ("~1.2", ["1.2.0", "1.2.7"], ["1.3.0", "1.1.0"]),
        ("~1", ["1.0.0", "1.9.0"], ["2.0.0"]),
        ("1.2.3", ["1.2.3", "1.2.3+build"], ["1.2.4"]),
        ("=1.2.3", ["1.2.3"], ["1.2.2"]),
        ("1.2", ["1.2.0", "1.2.99"], ["1.3.0"]),
        ("1.x", ["1.0.0", "1.5.2"], ["2.0.0"]),
        (">=1.0 <2.0", ["1.0.0", "1.99.0"], ["2.0.0", "0.9.0"]),
        (">= 1.0", ["1.0.0"], ["0.1.0"]),
        (">1.2", ["1.3.0"], ["1.2.9"]),
        (">1.2.3", ["1.2.4"], ["1.2.3"]),
        ("<=1.2", ["1.2.9"], ["1.3.0"]),
        ("*", ["0.0.0", "5.0.0"], ["not-a-version"]),
        ("1.x || 3.x", ["1.1.0", "3.0.0"], ["2.0.0"]),
        ("^1", ["1.0.0"], ["2.0.0-rc.1", "1.5.0-beta"]),
        (">=2.0.0-rc.1", ["2.0.0-rc.2", "2.0.0"], ["2.0.0-alpha"]),
    ],
)
def test_range_meaning(rng: str, inside: list[str], outside: list[str]) -> None:
    parsed = parse_range(rng)
    for version in inside:
        assert parsed.contains(version), (rng, version)
    for version in outside:
        assert not parsed.contains(version), (rng, version)


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("Foo@1", 0),
        ("a, , b", 3),
        ("a,", 2),
        ("iam-basics@", 0),
        ("ok, bad@^one", 4),
        ("x@>=1.2.3.4", 0),
        ("x@1.2-beta", 0),
        ("dup, dup", 5),
        ("a--b", 0),
        ("x@1 ||", 0),
    ],
)
def test_malformed(text: str, column: int) -> None:
    with pytest.raises(RequiresError) as info:
        parse_requires(text)
    assert info.value.column == column
    assert str(info.value)
