"""`skillkit build` on real skills (the shared corpus) and on this repository's own skills."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from skillkit.index import load
from tests.index_support import (
    REPO,
    _isolated_cwd,  # noqa: F401 (autouse fixture)
    assert_valid_index,
    run,
    run_process,
)


def _versioned_copy(src: Path, dest: Path) -> int:
    """Copy every corpus skill and give it ``metadata.version`` (real skills carry none)."""
    count = 0
    for skill_md in sorted(src.rglob("SKILL.md")):
        folder = dest / skill_md.parent.name
        if folder.exists():
            continue
        shutil.copytree(skill_md.parent, folder, ignore=shutil.ignore_patterns("skills"))
        text = (folder / "SKILL.md").read_text(encoding="utf-8", errors="replace")
        _, _, rest = text.partition("---\n")
        front, sep, body = rest.partition("\n---")
        try:
            data = yaml.safe_load(front) if sep else None
        except yaml.YAMLError:
            data = None
        if not isinstance(data, dict):
            shutil.rmtree(folder)
            continue
        meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
        meta = {str(k): str(v) for k, v in meta.items() if k != "requires"}
        meta["version"] = "1.0.0"
        data["metadata"] = meta
        data["name"] = folder.name
        data.pop("version", None)
        dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        (folder / "SKILL.md").write_text(f"---\n{dumped}---{body}", encoding="utf-8")
        count += 1
    return count


def test_build_the_corpus_and_read_every_archive_back(corpus_skills: Path, tmp_path: Path) -> None:
    skills = tmp_path / "skills"
    count = _versioned_copy(corpus_skills, skills)
    assert count > 40
    dist = tmp_path / "dist"
    result = run("build", str(skills), "-o", str(dist), "--allow-lint-errors", "-q")
    assert result.exit_code == 0, result.output[-2000:]
    assert_valid_index(dist / "index.json")
    index = load(dist)
    assert len(index.skills) == count
    for name, entry in index.skills.items():
        version = entry.latest()
        assert version is not None
        files = index.read_archive(name, version.version)
        for rel, content in files.items():
            assert (skills / name / rel).read_bytes() == content
        assert set(files) == {"SKILL.md"} | {
            p.relative_to(skills / name).as_posix()
            for p in (skills / name).rglob("*")
            if p.is_file() and p.name != ".DS_Store" and p != skills / name / "SKILL.md"
        }
    assert run("verify", str(dist)).exit_code == 0


def test_build_our_own_skills(tmp_path: Path, own_skills: Path) -> None:
    """The README's first command, `skillkit build`, run from the repository root."""
    site = tmp_path / "site"
    proc = run_process(
        "build", "skills", "-o", str(tmp_path / "dist"), "--site-dir", str(site), cwd=REPO
    )
    assert "Traceback" not in proc.stderr
    if not any(own_skills.glob("*/SKILL.md")):
        assert proc.returncode == 2 and "no skills found" in proc.stderr
        pytest.skip("skills/ holds no skills yet")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_valid_index(tmp_path / "dist" / "index.json")
    assert run_process("verify", str(tmp_path / "dist")).returncode == 0
    if (REPO / "mkdocs.yml").is_file():  # the docs site comes with it (skillkit/docs)
        assert (site / "index.html").is_file()


class _MemoryStore:
    def __init__(self) -> None:
        self.data: dict[str, list[dict[str, object]]] = {}
        self.hits = 0

    def lint_get(self, key: str) -> list[dict[str, object]] | None:
        found = self.data.get(key)
        self.hits += found is not None
        return found

    def lint_put(self, key: str, diagnostics: list[dict[str, object]]) -> None:
        self.data[key] = diagnostics


def test_build_lint_cache_gives_what_lint_gives(corpus_skills: Path, tmp_path: Path) -> None:
    """The build's cached lint equals `lint_skills` on real skills, cold and warm."""
    from skillkit.config import load_config
    from skillkit.index.build_findings import lint_cached
    from skillkit.lint.linter import lint_skills
    from skillkit.loader import load_skills

    skills_dir = tmp_path / "skills"
    _versioned_copy(corpus_skills, skills_dir)
    config = load_config(skills_dir)
    skills = load_skills([skills_dir]).skills
    expected = lint_skills(skills, config)
    assert expected  # real skills do have findings
    store = _MemoryStore()
    assert lint_cached(skills, config, store) == expected
    assert store.hits == 0
    assert lint_cached(load_skills([skills_dir]).skills, config, store) == expected
    assert store.hits == len(skills)
