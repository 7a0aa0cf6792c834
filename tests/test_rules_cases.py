"""Every rule against its hand-written cases in tests/data/rules/CODE/{bad,good}/.

``bad/`` must report the rule (the full output is a golden file, ``bad/expected.txt``;
regenerate with ``UPDATE_GOLDEN=1``), ``good/`` must lint completely clean.
"""

from __future__ import annotations

import pytest

from skillkit.lint.registry import all_rules, get_rule
from tests.rules_support import RULES_DATA, UPDATE, codes, lint, render

CASES = sorted(p.name for p in RULES_DATA.iterdir() if p.is_dir())


def test_every_rule_with_a_check_has_cases_or_a_builder_test() -> None:
    built_in_tests = {"SK001", "SK002", "SK008", "SK009", "SK402", "SK403", "SK901"}
    for rule in all_rules():
        if rule.code.startswith("SK5"):
            continue  # token budgets: the tokens helper's tests
        assert rule.code in CASES or rule.code in built_in_tests, rule.code


@pytest.mark.parametrize("code", CASES)
def test_bad_cases_report_the_rule(code: str) -> None:
    bad = RULES_DATA / code / "bad"
    # token budgets (SK5xx) belong to the tokens tests; their thresholds must not move ours
    found = [d for d in lint(bad) if not d.code.startswith("SK5")]
    assert code in codes(found), render(found, bad)
    rule = get_rule(code)
    assert rule is not None
    assert all(d.name == get_rule(d.code).name for d in found)  # type: ignore[union-attr]
    golden = bad / "expected.txt"
    text = render(found, bad)
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("code", CASES)
def test_good_cases_are_clean(code: str) -> None:
    good = RULES_DATA / code / "good"
    found = [d for d in lint(good) if not d.code.startswith("SK5")]
    assert found == [], render(found, good)
