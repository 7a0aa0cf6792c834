"""Bad AWS declarations and policy blocks: findings with file:line:col, never a traceback."""

from __future__ import annotations

import json
import time
from pathlib import Path

from click.testing import CliRunner

from skillkit.cli import cli
from tests.rules_support import codes, lint, write_skill


def skill_text(name: str, actions: str, body: str = "# T\n\nText.\n") -> str:
    return (
        f"---\nname: {name}\ndescription: Does a thing. Use when needed.\nmetadata:\n"
        f"  aws-actions: {json.dumps(actions)}\n  aws-runtime: local\n---\n{body}"
    )


def test_malformed_declaration_is_a_finding(tmp_path: Path) -> None:
    write_skill(tmp_path, "bad", skill_text("bad", "s3:GetObject,,: ,arn:aws:s3:::b, s3:"))
    found = [d for d in lint(tmp_path) if d.code == "SK705"]
    assert len(found) == 4
    assert all(d.line == 5 for d in found)
    result = CliRunner().invoke(cli, ["lint", str(tmp_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_ten_thousand_actions_are_cut_short(tmp_path: Path) -> None:
    many = ", ".join(f"s3:Action{i}" for i in range(10_000))
    write_skill(tmp_path, "huge", skill_text("huge", many))
    started = time.perf_counter()
    found = lint(tmp_path)
    elapsed = time.perf_counter() - started
    assert "SK705" in codes(found)
    assert sum(d.code == "SK705" for d in found) == 1
    assert sum(d.code == "SK701" for d in found) <= 500
    assert elapsed < 60  # a guard against a quadratic blow-up, not a benchmark
    result = CliRunner().invoke(cli, ["iam", "actions", str(tmp_path)])
    assert result.exit_code == 0 and "more than 500 actions" in result.output


def test_policy_block_that_is_not_json(tmp_path: Path) -> None:
    body = (
        '# T\n\nGrant:\n\n```json\n{\n  "Statement": [{"Effect": "Allow",\n'
        '    "Action": ["s3:GetObjekt"], // comment\n  }]\n}\n```\n'
    )
    write_skill(tmp_path, "notjson", skill_text("notjson", "s3:GetObject", body))
    found = [d for d in lint(tmp_path) if d.code == "SK701"]
    assert [(d.line, d.severity.label) for d in found] == [(15, "warning")]
    result = CliRunner().invoke(
        cli, ["iam", "actions", str(tmp_path), "--infer", "--output-format", "json"]
    )
    assert result.exit_code == 0
    [skill] = json.loads(result.output)["skills"]
    assert skill["invalid_policy_blocks"][0]["location"].endswith("SKILL.md:13")


def test_non_string_and_deep_policy_values(tmp_path: Path) -> None:
    deep = "[" * 5000 + "]" * 5000
    body = f'# T\n\n```json\n{{"Statement": {deep}, "Action": 3}}\n```\n'
    write_skill(tmp_path, "deep", skill_text("deep", "s3:GetObject", body))
    result = CliRunner().invoke(cli, ["lint", str(tmp_path)])
    assert "Traceback" not in result.output and result.exit_code in (0, 1)
    result = CliRunner().invoke(cli, ["iam", "actions", str(tmp_path), "--infer"])
    assert result.exit_code == 0, result.output


def test_sandbox_rules_only_for_sandbox_skills(tmp_path: Path) -> None:
    text = skill_text("local", "").replace("aws-runtime: local", "aws-runtime: local")
    write_skill(
        tmp_path, "local", text, **{"scripts__run.py": "import random\nprint(random.random())\n"}
    )
    assert not {c for c in codes(lint(tmp_path)) if c.startswith("SK41")}


def test_iam_commands_survive_broken_skills(tmp_path: Path) -> None:
    import os

    header = "---\nname: {0}\ndescription: Broken on purpose. Use when testing.\n---\n"
    skills = tmp_path / "skills"
    (skills / "latin").mkdir(parents=True)
    (skills / "latin" / "SKILL.md").write_bytes(header.format("latin").encode() + b"Caf\xe9\n")
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        bomb.append(f"{cur}: &{cur} [{', '.join([f'*{prev}'] * 9)}]")
    write_skill(skills, "bomb", "---\n" + "\n".join(bomb) + "\n---\nBody\n")
    (skills / "noise").mkdir()
    (skills / "noise" / "SKILL.md").write_bytes(bytes(range(256)) * 64)
    sandbox = skill_text("sandboxed", "s3:ListBucket").replace("local", "run_script")
    folder = write_skill(
        skills,
        "sandboxed",
        sandbox,
        **{
            "scripts__bad.py": "def broken(:\n",
            "scripts__nul.py": "x = 1\0\n",
            "references__loop.md": "```json\n" + "[" * 3000 + "\n```\n",
        },
    )
    (folder / "scripts" / "latin1.py").write_bytes(b"# caf\xe9\nimport random\n")
    os.symlink("missing.py", folder / "scripts" / "gone.py")
    runner = CliRunner()
    for args in (
        ["iam", "actions", "--infer", str(skills)],
        ["iam", "actions", "--infer", "--output-format", "json", str(skills)],
        ["iam", "policy", str(skills)],
        ["lint", "--no-cache", str(skills)],
    ):
        result = runner.invoke(cli, args)
        assert "Traceback" not in result.output, args
        assert result.exception is None or isinstance(result.exception, SystemExit), args
        assert result.exit_code in (0, 1, 2), (args, result.output)
