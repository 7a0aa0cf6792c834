"""The rules that scan all of a skill's text (SK115 hidden Unicode, SK801 secrets, SK204 fences)
on the edges the hand-written cases do not show."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillkit.cli import cli
from tests.rules_support import RULES_DATA, lint, write_skill

LEAKY = RULES_DATA / "SK801" / "bad"


def _secrets() -> list[str]:
    """The fake secrets planted in the SK801 bad case, read back from its files."""
    found = []
    for path in LEAKY.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            text = path.read_text(encoding="utf-8")
            found += re.findall(
                r"AKIA[A-Z2-7]{16}|ghp_\w{36}|xoxb-[\w-]+|(?<==)[A-Za-z0-9]{40}$", text, re.M
            )
            found += re.findall(r"^[A-Za-z0-9+/=]{40,}$", text, re.M)
    return found


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_no_output_format_repeats_a_secret(tmp_path: Path, fmt: str) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(LEAKY, tree)
    secrets = _secrets()
    assert len(secrets) >= 5
    result = CliRunner().invoke(
        cli, ["lint", str(tree), "--no-cache", "--output-format", fmt], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "SK801" in result.output
    for secret in secrets:
        assert secret not in result.output
        assert secret[:12] not in result.output


def test_binary_oversized_and_undecodable_files_are_skipped(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "mixed")
    (folder / "assets").mkdir()
    (folder / "assets" / "blob.bin").write_bytes(b"\0\x01AKIAQYLPMN7ZR2K4TXWB" + "\u202e".encode())
    (folder / "assets" / "latin1.txt").write_bytes("caf\xe9 AKIAQYLPMN7ZR2K4TXWB".encode("latin-1"))
    (folder / "assets" / "big.txt").write_text("AKIAQYLPMN7ZR2K4TXWB\n" * 60, encoding="utf-8")
    found = lint(tmp_path, max_file_size=1000)
    assert [d.code for d in found if d.code in ("SK115", "SK801")] == []
    found = lint(tmp_path)
    assert [(d.code, d.path.name) for d in found if d.code == "SK801"] == [
        ("SK801", "big.txt")
    ] * 60


def test_hidden_unicode_findings_are_capped_per_file(tmp_path: Path) -> None:
    write_skill(tmp_path, "noisy", references__notes_md="a\u200bb\n" * 12)
    found = [d for d in lint(tmp_path) if d.code == "SK115"]
    assert len(found) == 5
    assert found[-1].message.endswith("(7 more in this file)")
    assert (found[0].line, found[0].column, found[0].end_column) == (1, 2, 3)


def test_a_fence_closed_at_the_last_line_without_newline_is_closed(tmp_path: Path) -> None:
    text = (
        "---\nname: tail\ndescription: Does a thing. Use when needed.\n---\n"
        "# Tail\n\n```sh\nls\n```"
    )
    write_skill(tmp_path, "tail", text)
    assert [d for d in lint(tmp_path) if d.code == "SK204"] == []
    write_skill(tmp_path, "tail", text.removesuffix("```") + "``")
    assert [(d.code, d.line) for d in lint(tmp_path) if d.code == "SK204"] == [("SK204", 7)]


def test_the_fence_pre_scan_misses_no_unclosed_fence_of_the_corpus(corpus: Path) -> None:
    """SK204 parses a bundled file only when a scan of its fence lines leaves a fence open:
    on every Markdown file of the corpus, that scan must flag whatever markdown-it finds."""
    from skillkit.lint.rules import sk204_unclosed_code_fence as sk204

    checked = 0
    for path in sorted(corpus.rglob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = sk204._LINES.split(text)
        exact = list(sk204._unclosed(sk204._block_parser().parse(text), lines))
        if exact:
            assert sk204._maybe_unclosed(text.encode()), path
        checked += 1
    assert checked > 100


@pytest.mark.timeout(30)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_in_a_skill_is_not_read(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "piped")
    os.mkfifo(folder / "pipe.md")
    found = lint(tmp_path)
    assert [(d.code, d.path.name) for d in found] == [("SK001", "pipe.md")]
    assert "not a regular file" in found[0].message
