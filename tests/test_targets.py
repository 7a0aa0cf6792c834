"""The `targets` setting: strict Agent Skills by default, an agent's own fields when named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillkit.cli import cli
from skillkit.config import Config
from tests.rules_support import lint, write_skill

CLAUDE_CODE_SKILL = """---
name: deploy
description: Deploys the app. Use when the user asks to deploy.
disable-model-invocation: true
user-invocable: true
argument-hint: "[environment]"
model: sonnet
allowed-tools:
  - Read
  - Bash(git *)
---
# Deploy

Deploy to $ARGUMENTS.
"""


def _codes(tree: Path, **config: object) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in lint(tree, **config)]


def test_agentskills_is_strict_and_names_the_target_that_defines_a_field(tmp_path: Path) -> None:
    write_skill(tmp_path, "deploy", CLAUDE_CODE_SKILL)
    found = _codes(tmp_path)
    unknown = [m for c, m in found if c == "SK107"]
    assert len(unknown) == 4
    assert all('it is a field of "claude-code"' in m for m in unknown)
    assert [c for c, _ in found if c == "SK106"] == ["SK106"]  # allowed-tools as a list


def test_claude_code_accepts_its_fields(tmp_path: Path) -> None:
    write_skill(tmp_path, "deploy", CLAUDE_CODE_SKILL)
    assert _codes(tmp_path, targets=("agentskills", "claude-code")) == []
    assert _codes(tmp_path, targets=("claude-code",)) == []


def test_a_targets_field_is_type_checked(tmp_path: Path) -> None:
    text = CLAUDE_CODE_SKILL.replace(
        "disable-model-invocation: true", 'disable-model-invocation: "yes"'
    )
    write_skill(tmp_path, "deploy", text)
    assert _codes(tmp_path, targets=("claude-code",)) == [
        ("SK106", "'disable-model-invocation' must be true or false, not a string")
    ]


def test_codex_adds_no_top_level_field(tmp_path: Path) -> None:
    write_skill(tmp_path, "deploy", CLAUDE_CODE_SKILL)
    assert {c for c, _ in _codes(tmp_path, targets=("codex",))} == {"SK106", "SK107"}


def test_targets_from_the_configuration_file_and_the_command_line(tmp_path: Path) -> None:
    write_skill(tmp_path / "skills", "deploy", CLAUDE_CODE_SKILL)
    runner = CliRunner()
    args = ["lint", str(tmp_path / "skills"), "--no-cache", "--output-format", "json"]
    strict = runner.invoke(cli, args)
    assert strict.exit_code == 1
    (tmp_path / "skillkit.toml").write_text('targets = ["agentskills", "claude-code"]\n')
    configured = runner.invoke(cli, args)
    assert configured.exit_code == 0, configured.output
    assert json.loads(configured.stdout)["findings"] == []
    overridden = runner.invoke(cli, [*args, "--target", "agentskills"])
    assert overridden.exit_code == 1


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('targets = ["claude"]\n', "'targets': unknown target 'claude' (known: agentskills, "),
        ("targets = []\n", "'targets' must be a non-empty list of agent names"),
        ("targets = 3\n", "'targets' must be a non-empty list of agent names"),
    ],
)
def test_bad_targets_are_configuration_errors(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "skillkit.toml").write_text(toml)
    write_skill(tmp_path, "deploy")
    result = CliRunner().invoke(cli, ["lint", str(tmp_path), "--no-cache"])
    assert result.exit_code == 2
    assert message in result.stderr


def test_an_unknown_target_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    write_skill(tmp_path, "deploy")
    result = CliRunner().invoke(cli, ["lint", str(tmp_path), "--target", "cursor"])
    assert result.exit_code == 2
    assert "--target': unknown target 'cursor'" in result.stderr


def test_targets_change_the_cache_key() -> None:
    assert Config().fingerprint() != Config(targets=("claude-code",)).fingerprint()
