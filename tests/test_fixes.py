"""Safe fixes: each one removes its finding on re-lint and leaves the rest of the file alone."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
import yaml

from skillkit.config import Config
from skillkit.lint.fixes import apply_fixes, fix_paths, fixed_text, plan_fixes, unified_diff
from skillkit.lint.linter import lint_paths
from tests.rules_support import RULES_DATA, codes, write_skill

DESC = "Does a thing. Use when the thing is needed."


def _fix_and_relint(folder: Path) -> tuple[set[str], set[str], str]:
    before = lint_paths([folder], Config(root=folder))
    changed = apply_fixes(before.skills, before.diagnostics)
    assert changed
    after = lint_paths([folder], Config(root=folder))
    text = (folder / "SKILL.md").read_text(encoding="utf-8")
    return codes(before.diagnostics), codes(after.diagnostics), text


def _frontmatter(text: str) -> dict[str, object]:
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


def test_top_level_version_moves_under_new_metadata(tmp_path: Path) -> None:
    folder = write_skill(
        tmp_path,
        "versioned",
        f"---\nname: versioned\ndescription: {DESC}\nversion: 1.10.0\n---\n# T\n\nBody.\n",
    )
    before, after, text = _fix_and_relint(folder)
    assert "SK108" in before and "SK108" not in after and after == set()
    assert _frontmatter(text) == {
        "name": "versioned",
        "description": DESC,
        "metadata": {"version": "1.10.0"},
    }
    assert text.endswith("---\n# T\n\nBody.\n")


def test_fields_move_into_existing_metadata_keeping_its_indentation(tmp_path: Path) -> None:
    folder = write_skill(
        tmp_path,
        "many",
        f"---\nname: many\nversion: 2.0.0\nmetadata:\n    author: Jane\n"
        f"tags: [aws, s3]\nrequires: iam-basics@^1\ndescription: {DESC}\n---\n# T\n",
    )
    before, after, text = _fix_and_relint(folder)
    assert "SK108" in before and after == set()
    assert _frontmatter(text)["metadata"] == {
        "author": "Jane",
        "version": "2.0.0",
        "tags": "aws, s3",
        "requires": "iam-basics@^1",
    }
    assert '\n    version: "2.0.0"\n' in text


def test_no_fix_when_metadata_already_has_the_field(tmp_path: Path) -> None:
    text = (
        f"---\nname: clash\ndescription: {DESC}\nversion: 9.9.9\n"
        'metadata:\n  version: "1.0.0"\n---\n# T\n'
    )
    folder = write_skill(tmp_path, "clash", text)
    result = lint_paths([folder], Config(root=folder))
    sk108 = [d for d in result.diagnostics if d.code == "SK108"]
    assert len(sk108) == 1 and sk108[0].fix is None
    assert apply_fixes(result.skills, result.diagnostics) == []
    assert (folder / "SKILL.md").read_text() == text


def test_name_whitespace_and_numeric_metadata(tmp_path: Path) -> None:
    folder = write_skill(
        tmp_path,
        "spaced",
        f'---\nname: " spaced "\ndescription: {DESC}\nmetadata:\n  version: 1.2.0\n'
        "  build: 1.10\n  internal: true\n  released: 2024-05-01\n  hex: 0x1F\n---\n# T\n",
    )
    before, after, text = _fix_and_relint(folder)
    assert {"SK102", "SK109"} <= before and after == set()
    data = _frontmatter(text)
    assert data["name"] == "spaced"
    assert data["metadata"] == {
        "version": "1.2.0",
        "build": "1.10",
        "internal": "true",
        "released": "2024-05-01",
        "hex": "0x1F",
    }


def test_bom_is_removed_and_permissions_kept(tmp_path: Path) -> None:
    folder = tmp_path / "with-bom"
    shutil.copytree(RULES_DATA / "SK004" / "bad" / "with-bom", folder)
    (folder / "SKILL.md").chmod(0o640)
    before, after, _ = _fix_and_relint(folder)
    assert "SK004" in before and after == set()
    raw = (folder / "SKILL.md").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.startswith(b"---\n")
    assert stat.S_IMODE((folder / "SKILL.md").stat().st_mode) == 0o640


def test_crlf_file_keeps_its_line_endings(tmp_path: Path) -> None:
    folder = tmp_path / "crlf"
    folder.mkdir()
    (folder / "SKILL.md").write_bytes(
        f"---\r\nname: crlf\r\ndescription: {DESC}\r\nversion: 1.0.0\r\n---\r\n# T\r\n".encode()
    )
    _, after, _ = _fix_and_relint(folder)
    assert after == set()
    raw = (folder / "SKILL.md").read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_non_utf8_file_is_never_rewritten(tmp_path: Path) -> None:
    folder = tmp_path / "latin"
    folder.mkdir()
    raw = f"---\nname: latin\ndescription: {DESC}\nversion: 1.0.0\n---\n# Caf\xe9\n".encode(
        "latin-1"
    )
    (folder / "SKILL.md").write_bytes(raw)
    result = lint_paths([folder], Config(root=folder))
    assert "SK108" in codes(result.diagnostics)
    assert plan_fixes(result.skills, result.diagnostics) == []
    assert (folder / "SKILL.md").read_bytes() == raw


@pytest.mark.parametrize("code", ["SK004", "SK108", "SK109"])
def test_every_fixable_bad_case_is_fixed(tmp_path: Path, code: str) -> None:
    tree = tmp_path / code
    shutil.copytree(RULES_DATA / code / "bad", tree)
    fix_paths([tree], Config(root=tree))
    after = lint_paths([tree], Config(root=tree))
    remaining = [d for d in after.diagnostics if d.code == code]
    # what is left has no fix (a list metadata, a nested mapping): nothing fixable remains
    assert all(d.fix is None for d in after.diagnostics)
    if code != "SK109":
        assert remaining == []


def test_diff_and_fixed_text(tmp_path: Path) -> None:
    folder = write_skill(
        tmp_path, "diffy", f"---\nname: diffy\ndescription: {DESC}\nversion: 1.0.0\n---\n# T\n"
    )
    result = lint_paths([folder], Config(root=folder))
    (plan,) = plan_fixes(result.skills, result.diagnostics)
    patch = plan.diff()
    assert "-version: 1.0.0\n" in patch and '+  version: "1.0.0"\n' in patch
    assert fixed_text(plan.old, result.diagnostics) == plan.new
    assert fixed_text(plan.old, []) is None
    assert unified_diff(Path("x/SKILL.md"), "a\n", "b\n").startswith(
        "--- a/x/SKILL.md\n+++ b/x/SKILL.md\n"
    )
    assert unified_diff("same", "a\n", "a\n") == ""
    # planning writes nothing
    assert "version: 1.0.0" in (folder / "SKILL.md").read_text()


@pytest.mark.parametrize(
    "metadata",
    ["metadata:\n", "metadata: {}\n", "metadata:   # filled in later\n", "metadata: null\n"],
)
def test_empty_metadata_is_rewritten_as_a_block(tmp_path: Path, metadata: str) -> None:
    folder = write_skill(
        tmp_path,
        "empty-meta",
        f"---\nname: empty-meta\n{metadata}version: 3.0.0\ndescription: {DESC}\n---\n# T\n",
    )
    before, after, text = _fix_and_relint(folder)
    assert "SK108" in before and after == set()
    assert _frontmatter(text) == {
        "name": "empty-meta",
        "metadata": {"version": "3.0.0"},
        "description": DESC,
    }
