"""One wording and exit status 2, in every command, for a path that does not exist and for a
file given where a folder (or an index) is needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from skillkit.cli import cli

MISSING = [
    ("lint", "{p}"),
    ("tokens", "{p}"),
    ("build", "{p}"),
    ("docs", "{p}"),
    ("docs", "--index", "{p}"),
    ("docs", "skills", "--templates", "{p}"),
    ("verify", "{p}"),
    ("publish", "{p}", "--to", "out"),
    ("serve", "--index", "{p}"),
    ("yank", "a@1.0.0", "--reason", "r", "--index", "{p}"),
    ("install", "a", "--index", "{p}"),
    ("install", "a", "--index", "skills", "--dir", "{p}"),
    ("migrate", "{p}", "-o", "out"),
    ("lint", "skills", "--config", "{p}"),
    ("build", "skills", "--config", "{p}"),
]
A_FILE = [
    ("lint", "{p}"),
    ("tokens", "{p}"),
    ("build", "{p}"),
    ("build", "skills", "-o", "{p}"),
    ("docs", "{p}"),
    ("docs", "skills", "-o", "{p}"),
    ("verify", "{p}"),
    ("publish", "{p}", "--to", "out"),
    ("serve", "--index", "{p}"),
    ("yank", "a@1.0.0", "--reason", "r", "--index", "{p}"),
    ("install", "a", "--index", "{p}"),
    ("install", "a", "--index", "skills", "--dir", "{p}"),
]


def _run(repo: Path, args: tuple[str, ...], path: str) -> tuple[int, str]:
    (repo / "skills").mkdir(exist_ok=True)
    result = CliRunner().invoke(cli, [a.format(p=path) for a in args])
    return result.exit_code, result.stderr


@pytest.mark.parametrize("args", MISSING, ids=lambda a: " ".join(a))
def test_missing_path(repo: Path, args: tuple[str, ...]) -> None:
    code, err = _run(repo, args, "nowhere")
    assert code == 2, err
    assert err.startswith("skillkit: error: nowhere: no such file or folder"), err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("args", A_FILE, ids=lambda a: " ".join(a))
def test_file_instead_of_folder(repo: Path, args: tuple[str, ...]) -> None:
    (repo / "README.md").write_text("# not a folder\n", encoding="utf-8")
    code, err = _run(repo, args, "README.md")
    assert code == 2, err
    assert err.startswith("skillkit: error: README.md is a file, not a folder"), err
    assert len(err.strip().splitlines()) == 1
