"""Bad input through the CLI: each case is a clear finding (exit 1) or one line and exit 2;
never a traceback, never a hang, never a half-written report."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from skillkit.cli import cli

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # paths in reports are relative to the current folder


HEADER = "---\nname: {name}\ndescription: Handles bad input. Use when testing robustness.\n---\n"


def lint(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(
        cli, ["lint", "--no-cache", "--output-format", "json", *args, str(root)]
    )
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def skill(tmp_path: Path, name: str, content: bytes | str) -> Path:
    folder = tmp_path / "skills" / name
    folder.mkdir(parents=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    (folder / "SKILL.md").write_bytes(data)
    return folder


def codes_at(result: Result) -> list[tuple[str, str, int, int]]:
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    return [(f["code"], f["path"], f["line"], f["column"]) for f in doc["findings"]]


def test_malformed_yaml(tmp_path: Path) -> None:
    skill(tmp_path, "broken", "---\nname: broken\ndescription: [unclosed\n---\nBody\n")
    found = codes_at(lint(tmp_path / "skills"))
    sk006 = [f for f in found if f[0] == "SK006"]
    assert sk006 and sk006[0][2] >= 2  # points into the frontmatter, not at line 1


def test_yaml_alias_bomb(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join([f'*{prev}'] * 9)}]")
    bomb = "---\nname: bomb\n" + "\n".join(lines) + "\n---\nBody\n"
    skill(tmp_path, "bomb", bomb)
    found = codes_at(lint(tmp_path / "skills"))
    assert any(code == "SK006" for code, *_ in found)


def test_fifty_megabyte_skill_md(tmp_path: Path) -> None:
    folder = skill(tmp_path, "huge", HEADER.format(name="huge"))
    with (folder / "SKILL.md").open("ab") as fh:
        line = b"A line of filler text that makes this SKILL.md absurdly large.\n"
        fh.write(line * (50 * 1024 * 1024 // len(line)))
    assert (folder / "SKILL.md").stat().st_size >= 50 * 1024 * 1024 - 100
    found = codes_at(lint(tmp_path / "skills"))
    assert ("SK002", "skills/huge/SKILL.md") in [(code, path) for code, path, *_ in found]


def test_non_utf8_bytes(tmp_path: Path) -> None:
    skill(tmp_path, "latin", HEADER.format(name="latin").encode() + b"# Caf\xe9\n")
    found = codes_at(lint(tmp_path / "skills"))
    sk003 = [f for f in found if f[0] == "SK003"]
    assert sk003 and sk003[0][2] == 5 and sk003[0][3] == 6  # the byte after '# Caf'


def test_symlink_loop(tmp_path: Path) -> None:
    folder = skill(tmp_path, "loopy", HEADER.format(name="loopy") + "# Loopy\n\nBody.\n")
    (folder / "references").mkdir()
    os.symlink("b", folder / "references" / "a")
    os.symlink("a", folder / "references" / "b")
    os.symlink("..", folder / "references" / "up")  # a folder loop back to the skill
    found = codes_at(lint(tmp_path / "skills"))
    assert any(code == "SK009" for code, *_ in found)


def test_skill_md_is_a_dangling_symlink(tmp_path: Path) -> None:
    folder = tmp_path / "skills" / "dangling"
    folder.mkdir(parents=True)
    os.symlink("nowhere.md", folder / "SKILL.md")
    found = codes_at(lint(tmp_path / "skills"))
    assert any(code == "SK001" for code, *_ in found)


def test_skill_md_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "skills" / "odd" / "SKILL.md").mkdir(parents=True)
    result = lint(tmp_path / "skills")
    # Reported on the skill that is broken, not as "no skills found".
    assert result.exit_code == 1, result.output
    assert codes_at(result) == [("SK001", "skills/odd/SKILL.md", 1, 1)]


def test_unreadable_bundled_folder(tmp_path: Path) -> None:
    # Tests run as root, so permissions cannot make a file unreadable: a symlink that points
    # at a missing file is the portable way to get a read error.
    folder = skill(tmp_path, "gaps", HEADER.format(name="gaps") + "# Gaps\n\nBody.\n")
    (folder / "scripts").mkdir()
    os.symlink("missing.py", folder / "scripts" / "run.py")
    found = codes_at(lint(tmp_path / "skills"))
    assert any(path.endswith("scripts/run.py") for _, path, *_ in found)


def test_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = lint(tmp_path / "empty")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "no skills found" in result.stderr


def test_empty_skill_md(tmp_path: Path) -> None:
    skill(tmp_path, "blank", b"")
    found = codes_at(lint(tmp_path / "skills"))
    assert any(code == "SK005" for code, *_ in found)


def test_binary_garbage(tmp_path: Path) -> None:
    skill(tmp_path, "noise", bytes(range(256)) * 64)
    found = codes_at(lint(tmp_path / "skills"))
    assert found


def test_output_file_in_a_missing_place_is_one_line(tmp_path: Path) -> None:
    skill(tmp_path, "fine", HEADER.format(name="fine") + "# Fine\n\nBody.\n")
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    result = lint(tmp_path / "skills", "-o", str(blocker / "report.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith("skillkit: error:") and result.stderr.count("\n") == 1


def test_all_at_once_in_one_tree(tmp_path: Path) -> None:
    skill(tmp_path, "yaml", "---\nname: [\n---\n")
    skill(tmp_path, "latin", HEADER.format(name="latin").encode() + b"\xff\n")
    skill(tmp_path, "blank", b"")
    skill(tmp_path, "fine", HEADER.format(name="fine") + "# Fine\n\nBody.\n")
    for fmt in ("text", "json", "github", "sarif"):
        result = CliRunner().invoke(
            cli, ["lint", "--no-cache", "--output-format", fmt, str(tmp_path / "skills")]
        )
        assert result.exit_code == 1 and "Traceback" not in result.output
