"""The rule registry: stable codes, kebab-case names, a documentation page for each rule."""

from __future__ import annotations

import random
import re
from pathlib import Path

from skillkit.config import Config
from skillkit.diagnostics import Severity
from skillkit.lint.linter import lint_paths
from skillkit.lint.registry import all_rules, get_rule
from tests.rules_support import RULES_DATA

MINE = re.compile(r"^SK[0-4689]\d\d$")


def test_codes_names_and_docs() -> None:
    rules = [r for r in all_rules() if MINE.match(r.code)]
    assert len(rules) >= 25
    for rule in rules:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
        doc = rule.doc
        assert rule.summary and rule.summary.endswith("."), rule.code
        for section in ("Why:", "Bad", "Good", "Fix"):
            assert section in doc, (rule.code, section)
        assert isinstance(rule.severity, Severity)
        assert (rule.check is None) != (rule.check_tree is None) or rule.code == "SK901"
        assert get_rule(rule.code) is rule and get_rule(rule.name) is rule
        assert get_rule(rule.code.lower()) is rule


def test_spec_rules_are_errors_and_style_rules_warnings() -> None:
    errors = {
        "SK003",
        "SK004",
        "SK005",
        "SK006",
        "SK010",
        "SK011",
        "SK101",
        "SK102",
        "SK103",
        "SK104",
        "SK105",
        "SK107",
        "SK108",
        "SK109",
        "SK111",
        "SK301",
        "SK302",
        "SK401",
        "SK601",
    }
    warnings = {"SK110", "SK112", "SK113", "SK201", "SK202", "SK203", "SK303", "SK402", "SK901"}
    for code in errors:
        assert get_rule(code).severity is Severity.ERROR, code  # type: ignore[union-attr]
    for code in warnings:
        assert get_rule(code).severity is Severity.WARNING, code  # type: ignore[union-attr]


def test_mutated_skills_never_crash_the_linter(tmp_path: Path) -> None:
    """Truncations and byte flips of every case: findings, never an exception."""
    rng = random.Random(20240601)
    sources = sorted(RULES_DATA.rglob("SKILL.md"))
    junk = [
        b"\x00",
        b"\xff",
        b"---",
        b"\n",
        b": ",
        b"[",
        b"{",
        b"&a ",
        b"*a",
        b"!!",
        b"](../",
        b"`",
    ]
    count = 0
    for i, src in enumerate(sources):
        raw = src.read_bytes()
        for j in range(4):
            cut = rng.randrange(len(raw) + 1)
            mutated = raw[:cut] + rng.choice(junk) + raw[cut + rng.randrange(3) :]
            folder = tmp_path / f"m{i}-{j}"
            folder.mkdir()
            (folder / "SKILL.md").write_bytes(mutated if j else raw[:cut])
            count += 1
    result = lint_paths([tmp_path], Config(root=tmp_path))
    assert len(result.skills) == count
    for d in result.diagnostics:
        assert d.line >= 1 and d.column >= 1 and d.message


def test_rule_codes_from_module_names_match_the_rules() -> None:
    from skillkit.lint.registry import all_rules, rule_codes

    assert rule_codes() == tuple(r.code for r in all_rules())
