"""The installed ``skillkit`` console script, run as a user runs it: a real subprocess."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from skillkit import __version__
from skillkit.cli import COMMANDS

SKILLKIT = shutil.which("skillkit", path=str(Path(sys.executable).parent)) or "skillkit"
pytestmark = pytest.mark.timeout(120)

BAD = """---
name: Bad_Name_{i}
version: 1.0
description: Formats reports. Use when a report needs formatting.
---
# Bad {i}

# Second title {i}

See [missing](references/missing-{i}.md).
"""


def skillkit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLKIT_")}
    return subprocess.run(
        [SKILLKIT, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=100
    )


def test_version() -> None:
    result = skillkit("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"skillkit, version {__version__}"


def test_top_level_help_lists_commands() -> None:
    result = skillkit("--help")
    assert result.returncode == 0
    for name in COMMANDS:
        assert re.search(rf"^\s+{name}\s", result.stdout, re.MULTILINE), name


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_existing_command_has_help(name: str) -> None:
    if importlib.util.find_spec(COMMANDS[name][0]) is None:
        pytest.skip(f"{COMMANDS[name][0]} is not written yet")
    result = skillkit(name, "--help")
    assert result.returncode == 0, result.stderr
    assert f"Usage: skillkit {name}" in result.stdout
    assert "Traceback" not in result.stderr


def test_lint_end_to_end(tmp_path: Path) -> None:
    folder = tmp_path / "skills" / "bad-one"
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(BAD.format(i=1), encoding="utf-8")
    result = skillkit("lint", "--output-format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    doc = json.loads(result.stdout)
    assert {f["path"] for f in doc["findings"]} == {"skills/bad-one/SKILL.md"}
    assert (tmp_path / ".skillkit_cache" / "lint.json").is_file()
    again = skillkit("lint", "--output-format", "json", cwd=tmp_path)
    assert json.loads(again.stdout)["findings"] == doc["findings"]
    assert skillkit("lint", "--exit-zero", cwd=tmp_path).returncode == 0
    missing = skillkit("lint", "nope", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr == "skillkit: error: nope: no such file or folder\n"


def test_broken_pipe_exits_quietly(tmp_path: Path) -> None:
    # Enough findings that the report is far larger than a pipe's buffer.
    for i in range(150):
        folder = tmp_path / "skills" / f"bad-{i:03d}"
        folder.mkdir(parents=True)
        (folder / "SKILL.md").write_text(BAD.format(i=i), encoding="utf-8")
    script = f"set -o pipefail; '{SKILLKIT}' lint --no-cache skills | head -1"
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=100
    )
    assert result.stdout.count("\n") == 1
    assert result.stdout.startswith("skills/bad-000/SKILL.md:")
    assert "Traceback" not in result.stderr
    assert "BrokenPipe" not in result.stderr and "Exception ignored" not in result.stderr
    assert result.stderr == ""
    assert result.returncode in (1, 141)  # findings, or killed by SIGPIPE: both quiet


def test_pre_commit_hook_definition_runs(tmp_path: Path) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "skillkit-lint")
    assert hook["entry"].startswith("skillkit lint")
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    for name in ("skills/a/SKILL.md", "skills/a/references/x.md", "skills/a/scripts/run.py"):
        assert files.search(name), name
    assert not files.search("README.md")
    # Run the hook's entry as pre-commit would: with the changed file names appended.
    folder = tmp_path / "skills" / "bad-one"
    (folder / "references").mkdir(parents=True)
    (folder / "SKILL.md").write_text(BAD.format(i=1), encoding="utf-8")
    (folder / "references" / "missing-1.md").write_text("here\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# readme\n", encoding="utf-8")
    entry = hook["entry"].split()[1:]
    changed = ["README.md", "skills/bad-one/references/missing-1.md", "skills/bad-one/SKILL.md"]
    result = skillkit(*entry, *changed, cwd=tmp_path)
    assert result.returncode == 1
    assert "skills/bad-one/SKILL.md:2:7: SK102" in result.stdout
    assert "in 1 skill." in result.stdout  # both files map to the one skill
    clean = skillkit(*entry, "README.md", cwd=tmp_path)
    assert clean.returncode == 0


def test_progress_only_when_stderr_is_a_terminal(tmp_path: Path) -> None:
    import pty

    for i in range(5):
        folder = tmp_path / "skills" / f"bad-{i}"
        folder.mkdir(parents=True)
        (folder / "SKILL.md").write_text(BAD.format(i=i), encoding="utf-8")
    quiet = skillkit("lint", "--no-cache", cwd=tmp_path)
    assert quiet.stderr == ""
    main, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [SKILLKIT, "lint", "--no-cache"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=secondary,
            timeout=100,
            check=False,
        )
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(main)
    assert proc.returncode == 1
    assert b"linting skills: 5/5" in seen
    assert b"linting skills" not in proc.stdout
