"""What users meet across commands: modes of written files, paths under a file, unreadable
configuration, option conflicts and spellings, summaries and migrate's report, all through the
real CLI."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from skillkit.cli import cli

SKILLKIT = Path(sys.executable).parent / "skillkit"

GOOD = """\
---
name: {name}
description: Does a small thing for tests. Use when a test needs a skill.
metadata:
  version: "1.0.0"
---
# {name}

Body text.
"""
#: SK108 with a safe fix: version belongs under metadata.
TOP_LEVEL_VERSION = """\
---
name: {name}
description: Does a small thing for tests. Use when a test needs a skill.
version: 1.0.0
---
# {name}

Body text.
"""
TINY_SOP = """\
# Tiny

## Overview

Does one tiny thing.

## Parameters

- **target** (required): what to act on

## Steps

### 1. Act

Act on the target.

**Constraints:**
- You MUST act on the target only
"""


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def skill(root: Path, name: str, text: str = GOOD) -> Path:
    folder = root / "skills" / name
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(text.format(name=name), encoding="utf-8")
    return folder


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# 1. atomic writes end with the modes a plain write would give


def test_migrated_folders_and_lint_reports_follow_the_umask(repo: Path, umask_022: None) -> None:
    (repo / "sops").mkdir()
    (repo / "sops" / "tiny.sop.md").write_text(TINY_SOP, encoding="utf-8")
    result = invoke("migrate", "sops", "-o", "skills")
    assert result.exit_code == 0, result.output
    folder = repo / "skills" / "tiny"
    assert mode(folder) == 0o755
    assert mode(folder / "SKILL.md") == 0o644
    result = invoke("lint", "skills", "--no-cache", "-o", "out.json", "--output-format", "json")
    assert result.exit_code == 0, result.output
    assert mode(repo / "out.json") == 0o644


def test_fix_keeps_the_mode_of_the_file_it_rewrites(repo: Path, umask_022: None) -> None:
    skill_md = skill(repo, "versioned", TOP_LEVEL_VERSION) / "SKILL.md"
    skill_md.chmod(0o664)
    assert invoke("lint", "--no-cache", "--fix").exit_code == 0
    assert "metadata:" in skill_md.read_text(encoding="utf-8")
    assert mode(skill_md) == 0o664


# 2. an output path below a regular file


@pytest.mark.parametrize(
    "args",
    [
        ("lint", "skills", "--no-cache", "-o", "afile/out.sarif"),
        ("docs", "skills", "-o", "afile/x"),
    ],
)
def test_output_below_a_file_names_the_file(repo: Path, args: tuple[str, ...]) -> None:
    skill(repo, "ok")
    (repo / "afile").touch()
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "afile is a file, not a folder" in result.stderr
    assert "File exists" not in result.stderr


# 3. and 4. configuration errors


@pytest.mark.parametrize("command", ["lint", "tokens", "build"])
def test_non_utf8_config_is_a_configuration_error(repo: Path, command: str) -> None:
    skill(repo, "ok")
    (repo / "skillkit.toml").write_bytes(b"\xff\xfe")
    result = invoke(command, "skills")
    assert result.exit_code == 2, result.output
    assert "skillkit.toml" in result.stderr and "UTF-8" in result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('select = ["SK9999"]\n', "'select': 'SK9999' matches no rule"),
        ('extend-ignore = ["SK99"]\n', "'extend-ignore': 'SK99' matches no rule"),
        ('[per-file-ignores]\n"x/*" = ["XX1"]\n', "'per-file-ignores.x/*': 'XX1' matches no rule"),
        ('[severity]\nSK1 = "warning"\n', "'severity.SK1': 'SK1' is not a rule code"),
    ],
)
def test_unknown_rule_codes_in_config_are_rejected(repo: Path, toml: str, expected: str) -> None:
    skill(repo, "ok")
    (repo / "skillkit.toml").write_text(toml, encoding="utf-8")
    result = invoke("lint", "skills", "--no-cache")
    assert result.exit_code == 2, result.output
    assert "skillkit.toml" in result.stderr
    assert expected in result.stderr


def test_fail_on_choices_agree_between_config_and_option(repo: Path) -> None:
    skill(repo, "ok")
    option = invoke("lint", "skills", "--no-cache", "--fail-on", "info")
    assert option.exit_code == 2
    assert "'warning', 'error'" in option.stderr
    (repo / "skillkit.toml").write_text('fail-on = "info"\n', encoding="utf-8")
    config = invoke("lint", "skills", "--no-cache")
    assert config.exit_code == 2
    assert "'fail-on'" in config.stderr and "expected one of: warning, error" in config.stderr


# 5. the text summary


def test_summary_counts_the_skills_with_findings(repo: Path) -> None:
    skill(repo, "ok")
    skill(repo, "Bad_Name")
    result = invoke("lint", "--no-cache")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1].endswith(" in 1 of 2 skills.")


def test_build_summary_counts_a_skill_with_an_escaping_symlink(repo: Path) -> None:
    folder = skill(repo, "ok")
    (folder / "references").mkdir()
    outside = repo / "outside.md"
    outside.write_text("outside\n", encoding="utf-8")
    (folder / "references" / "x.md").symlink_to(outside)
    result = invoke("build", "--allow-lint-errors")
    assert result.exit_code == 0, result.output
    assert "Found 1 problem (1 error) in 1 skill." in result.stdout
    assert "0 skills" not in result.stdout


def test_fix_reports_problems_and_files_fixed(repo: Path) -> None:
    skill(repo, "one", TOP_LEVEL_VERSION)
    skill(repo, "two", TOP_LEVEL_VERSION)
    result = invoke("lint", "--no-cache", "--fix")
    assert result.exit_code == 0, result.output
    assert "Fixed 2 problems in 2 files." in result.stdout


# 6. migrate's report


def test_migrate_of_only_unusable_sops_prints_no_table(repo: Path) -> None:
    (repo / "sops").mkdir()
    (repo / "sops" / "empty.sop.md").write_bytes(b"")
    (repo / "sops" / "latin1.sop.md").write_bytes("# Prüfung\n".encode("latin-1"))
    result = invoke("migrate", "sops", "-o", "skills")
    assert result.exit_code == 1
    assert "entry skill" not in result.stdout
    assert result.stdout.strip() == ""


def test_migrate_finding_no_sops_is_a_usage_error(repo: Path) -> None:
    (repo / "dir.sop.md").mkdir()
    result = invoke("migrate", "dir.sop.md")
    assert result.exit_code == 2
    assert result.stderr.startswith("skillkit: error: no *.sop.md files found")


def test_migrate_report_counts_in_words(repo: Path) -> None:
    (repo / "tiny.sop.md").write_text(TINY_SOP, encoding="utf-8")
    result = invoke("migrate", "tiny.sop.md", "-o", "skills")
    assert result.exit_code == 0, result.output
    assert "1 constraint, 1 parameter" in result.stdout
    assert "Wrote 1 skill under skills/" in result.stdout
    assert "(s)" not in result.stdout


def test_migrate_into_a_closed_pipe_exits_with_its_own_status(repo: Path) -> None:
    (repo / "sops").mkdir()
    for i in range(8):
        (repo / "sops" / f"tiny{i}.sop.md").write_text(
            TINY_SOP.replace("# Tiny", f"# Tiny {i}"), encoding="utf-8"
        )
    proc = subprocess.Popen(
        [str(SKILLKIT), "migrate", "sops", "--dry-run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=repo,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b"Would write")
    proc.stdout.close()  # what `| head -1` does
    stderr = proc.stderr.read()
    assert proc.wait(timeout=60) == 0, stderr
    assert b"Traceback" not in stderr and b"Broken pipe" not in stderr


# 7. conflicting options


@pytest.mark.parametrize(
    ("args", "first", "second"),
    [
        (("migrate", "x.sop.md", "--check", "--dry-run"), "--check", "--dry-run"),
        (("docs", "--no-config", "--config-file", "mkdocs.yml"), "--no-config", "--config"),
        (("build", "--no-site", "--site-dir", "x"), "--no-site", "--site-dir"),
        (("yank", "ok@1.0.0", "--undo", "--reason", "x"), "--undo", "--reason"),
    ],
)
def test_conflicting_options_are_usage_errors(
    repo: Path, args: tuple[str, ...], first: str, second: str
) -> None:
    (repo / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert f"{first} and {second} cannot be used together" in result.stderr


# 8. one spelling of each option everywhere, the other kept as an alias


@pytest.mark.parametrize("spelling", ["--output-format", "--format"])
def test_output_format_spellings(repo: Path, spelling: str) -> None:
    skill(repo, "ok")
    (repo / "tiny.sop.md").write_text(TINY_SOP, encoding="utf-8")
    for args in (
        ("lint", "--no-cache"),
        ("rule", "SK101"),
        ("tokens", "skills"),
        ("migrate", "tiny.sop.md", "--dry-run"),
    ):
        result = invoke(*args, spelling, "json")
        assert result.exit_code == 0, (args, result.output)
        json.loads(result.stdout)


@pytest.mark.parametrize("spelling", ["--config", "--config-file"])
def test_config_spellings(repo: Path, spelling: str) -> None:
    skill(repo, "ok")
    bad = repo / "bad.toml"
    bad.write_text('select = ["SK9999"]\n', encoding="utf-8")
    for command in ("lint", "tokens", "build"):
        result = invoke(command, "skills", spelling, bad)
        assert result.exit_code == 2, (command, result.output)
        assert "bad.toml" in result.stderr, command
    (repo / "bad.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    result = invoke("docs", "skills", spelling, "bad.yml")
    assert result.exit_code == 2, result.output
    assert "bad.yml" in result.stderr


def test_every_command_documents_its_exit_status() -> None:
    for name in cli.list_commands(click.Context(cli)):
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Exit status: 0 " in result.output, name
