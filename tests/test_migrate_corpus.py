"""Every SOP in the shared corpus migrates losslessly into valid skills; empty files (the
corpus ships a 0-byte file literally named ``*.sop.md``) are reported, never migrated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.migrate_support import assert_valid_tree, run


@pytest.fixture(scope="module")
def corpus_sops(corpus: Path) -> list[Path]:
    return sorted(p for p in (corpus / "sops").rglob("*.sop.md") if p.is_file())


@pytest.mark.corpus
@pytest.mark.parametrize("mode", ["progressive", "split"])
def test_corpus_sops(corpus_sops: list[Path], tmp_path: Path, mode: str) -> None:
    real = [p for p in corpus_sops if p.read_bytes().strip()]
    empty = [p for p in corpus_sops if p not in real]
    assert real
    for sop in real:
        out = tmp_path / sop.name.removesuffix(".sop.md")
        result = run(sop, "-o", out, "--format", "json", "--mode", mode)
        assert result.exit_code == 0, (sop, result.stderr)
        report = json.loads(result.stdout)
        for entry in report["sops"]:
            assert entry["check"]["ok"], (sop, entry["check"])
            # whatever the SOP, no emitted SKILL.md is over the budgets lint enforces
            assert entry["largest_skill_md_lines"] <= 500
            assert entry["entry_l2"] <= 5000
            if mode == "progressive":
                assert len(entry["skill_names"]) == 1  # one catalog entry per SOP
        assert_valid_tree(out)
    for sop in empty:
        out = tmp_path / "empty"
        result = run(sop, "-o", out)
        assert result.exit_code == 1
        assert f"{sop.name}:1:1: SOP115 [error] empty SOP" in result.stderr
        assert not out.exists()
