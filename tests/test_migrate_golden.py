"""Golden output: the emitted skill trees and the reports. ``UPDATE_GOLDEN=1`` rewrites them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.migrate_support import assert_valid_tree, run_process

GOLDEN = DATA / "migrate"
SOPS = DATA / "sops"
CASES = ["release-notes", "incident-triage", "team-rituals", "platform-onboarding",
         "feature-delivery", "legacy-log-cleanup"]
#: (golden name, mode flag): the other layouts of one SOP.
MODES = [("platform-onboarding-inline", "--inline"), ("platform-onboarding-split", "--split")]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _compare(actual: dict[str, bytes], golden_dir: Path) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(golden_dir, ignore_errors=True)
        for rel, data in actual.items():
            (golden_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden_dir / rel).write_bytes(data)
    expected = _files(golden_dir)
    assert sorted(actual) == sorted(expected)
    for rel, data in actual.items():
        assert data.decode() == expected[rel].decode(), rel


@pytest.mark.parametrize("case", CASES)
def test_emitted_tree_matches_golden(tmp_path: Path, case: str) -> None:
    (tmp_path / "sops").mkdir()
    shutil.copy(SOPS / f"{case}.sop.md", tmp_path / "sops")
    result = run_process(f"sops/{case}.sop.md", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert_valid_tree(tmp_path / "out")
    _compare(_files(tmp_path / "out"), GOLDEN / case / "skills")


@pytest.mark.parametrize(("golden", "flag"), MODES)
def test_other_modes_match_golden(tmp_path: Path, golden: str, flag: str) -> None:
    (tmp_path / "sops").mkdir()
    shutil.copy(SOPS / "platform-onboarding.sop.md", tmp_path / "sops")
    result = run_process("sops/platform-onboarding.sop.md", "-o", "out", flag, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert_valid_tree(tmp_path / "out")
    _compare(_files(tmp_path / "out"), GOLDEN / golden / "skills")


def test_linked_sops_match_golden(tmp_path: Path) -> None:
    # a folder of SOPs that link files beside them and each other
    shutil.copytree(DATA / "sops-linked", tmp_path / "sops")
    result = run_process("sops", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert_valid_tree(tmp_path / "out")
    _compare(_files(tmp_path / "out"), GOLDEN / "linked" / "skills")
    _compare({"stderr.txt": result.stderr.encode()}, GOLDEN / "linked" / "diagnostics")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_report_matches_golden(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "sops").mkdir()
    for case in ("release-notes", "incident-triage"):
        shutil.copy(SOPS / f"{case}.sop.md", tmp_path / "sops")
    result = run_process("sops", "-o", "out", "--dry-run", "--format", fmt, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "out").exists()
    name = f"report.{'txt' if fmt == 'text' else 'json'}"
    _compare({name: result.stdout.encode(), "stderr.txt": result.stderr.encode()},
             GOLDEN / f"report-{fmt}")
