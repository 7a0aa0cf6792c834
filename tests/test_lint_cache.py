"""The lint cache and the process pool: hits, invalidation, tree rules, corruption, parallel
results equal to in-process ones."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillkit.cli import cli
from skillkit.config import load_config, parse_config
from skillkit.lint.findings_cache import CACHE_FILE
from skillkit.lint.linter import lint_skills
from skillkit.lint.run import POOL_THRESHOLD, run_lint
from skillkit.loader import load_skills

SKILL = """---
name: {name}
description: Summarises {name} data. Use when a report about {name} is needed.
---
# {title}

See [the notes](references/notes.md).
"""


def make_tree(root: Path, count: int, broken: tuple[int, ...] = ()) -> list[Path]:
    folders = []
    for i in range(count):
        name = f"skill-{i:03d}"
        folder = root / name
        (folder / "references").mkdir(parents=True)
        title = "Bad\n\n### skipped level" if i in broken else name
        (folder / "SKILL.md").write_text(SKILL.format(name=name, title=title), encoding="utf-8")
        (folder / "references" / "notes.md").write_text("notes\n", encoding="utf-8")
        folders.append(folder)
    return folders


def bump_mtime(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


def keyed(result_diags: list) -> list[tuple[str, int, int, str, str]]:  # type: ignore[type-arg]
    return [(str(d.path), d.line, d.column, d.code, d.message) for d in result_diags]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    make_tree(tmp_path / "skills", 6, broken=(2,))
    return tmp_path / "skills"


def test_warm_run_reuses_everything(tree: Path, tmp_path: Path) -> None:
    config = load_config(tree)
    cache = tmp_path / "cache"
    cold = run_lint([tree], config, cache_dir=cache, jobs=1)
    assert (cold.linted, cold.cache_hits) == (6, 0)
    assert any(d.code == "SK202" for d in cold.diagnostics)
    warm = run_lint([tree], config, cache_dir=cache, jobs=1)
    assert (warm.linted, warm.cache_hits) == (0, 6)
    assert keyed(warm.diagnostics) == keyed(cold.diagnostics)
    # the same findings as linting without any of this machinery
    direct = lint_skills(load_skills([tree]).skills, config)
    assert sorted(keyed(warm.diagnostics)) == sorted(
        keyed([d.__class__(**{**d.__dict__, "path": d.path.resolve()}) for d in direct])
    )


def test_a_changed_file_relints_only_its_skill(tree: Path, tmp_path: Path) -> None:
    config = load_config(tree)
    cache = tmp_path / "cache"
    run_lint([tree], config, cache_dir=cache, jobs=1)
    skill_md = tree / "skill-002" / "SKILL.md"
    skill_md.write_text(SKILL.format(name="skill-002", title="Fixed"), encoding="utf-8")
    bump_mtime(skill_md)
    again = run_lint([tree], config, cache_dir=cache, jobs=1)
    assert (again.linted, again.cache_hits) == (1, 5)
    assert not any(d.code == "SK202" for d in again.diagnostics)


def test_a_bundled_file_change_or_removal_invalidates(tree: Path, tmp_path: Path) -> None:
    config = load_config(tree)
    cache = tmp_path / "cache"
    run_lint([tree], config, cache_dir=cache, jobs=1)
    (tree / "skill-004" / "references" / "notes.md").unlink()
    again = run_lint([tree], config, cache_dir=cache, jobs=1)
    assert again.linted == 1
    assert any(d.code == "SK301" and d.path.parent.name == "skill-004" for d in again.diagnostics)
    (tree / "skill-004" / "references" / "notes.md").write_text("back\n", encoding="utf-8")
    fixed = run_lint([tree], config, cache_dir=cache, jobs=1)
    assert fixed.linted == 1 and not any(d.code == "SK301" for d in fixed.diagnostics)


def test_touched_but_unchanged_files_are_hits_by_content(tree: Path, tmp_path: Path) -> None:
    config = load_config(tree)
    cache = tmp_path / "cache"
    run_lint([tree], config, cache_dir=cache, jobs=1)
    for skill_md in tree.glob("*/SKILL.md"):
        bump_mtime(skill_md)  # e.g. a fresh git checkout
    again = run_lint([tree], config, cache_dir=cache, jobs=1)
    assert (again.linted, again.cache_hits) == (0, 6)
    third = run_lint([tree], config, cache_dir=cache, jobs=1)
    assert third.cache_hits == 6  # the new stamps were remembered


def test_an_edit_that_keeps_size_and_mtime_is_seen(tree: Path, tmp_path: Path) -> None:
    """Tools that restore mtimes (``cp -p``, ``rsync -t``, some editors) must not hide an edit:
    the stamp has the ctime, which no user can set back."""
    config = load_config(tree)
    cache = tmp_path / "cache"
    cold = run_lint([tree], config, cache_dir=cache, jobs=1)
    assert any(d.code == "SK202" for d in cold.diagnostics)
    skill_md = tree / "skill-002" / "SKILL.md"
    before = skill_md.stat()
    text = skill_md.read_text(encoding="utf-8")
    skill_md.write_text(text.replace("### skipped level", "## skipped level!"), encoding="utf-8")
    os.utime(skill_md, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = skill_md.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    again = run_lint([tree], config, cache_dir=cache, jobs=1)
    assert (again.linted, again.cache_hits) == (1, 5)
    assert not any(d.code == "SK202" for d in again.diagnostics)


def test_config_change_invalidates(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run_lint([tree], load_config(tree), cache_dir=cache, jobs=1)
    stricter = parse_config({"ignore": ["SK202"]}, None)
    again = run_lint([tree], stricter, cache_dir=cache, jobs=1)
    assert again.linted == 6
    assert not any(d.code == "SK202" for d in again.diagnostics)


@pytest.mark.parametrize(
    "content", [b"", b"{not json", b"[1, 2]", b'{"format": 1, "key": 5}', b"\xff\xfe"]
)
def test_a_corrupt_cache_is_ignored(tree: Path, tmp_path: Path, content: bytes) -> None:
    config = load_config(tree)
    cache = tmp_path / "cache"
    expected = keyed(run_lint([tree], config, cache_dir=cache, jobs=1).diagnostics)
    (cache / CACHE_FILE).write_bytes(content)
    again = run_lint([tree], config, cache_dir=cache, jobs=1)
    assert again.linted == 6 and keyed(again.diagnostics) == expected
    json.loads((cache / CACHE_FILE).read_text(encoding="utf-8"))  # rewritten whole


def test_a_corrupt_entry_is_ignored(tree: Path, tmp_path: Path) -> None:
    config = load_config(tree)
    cache = tmp_path / "cache"
    run_lint([tree], config, cache_dir=cache, jobs=1)
    doc = json.loads((cache / CACHE_FILE).read_text(encoding="utf-8"))
    first = next(iter(doc["skills"]))
    doc["skills"][first] = ["only", "two"]
    (cache / CACHE_FILE).write_text(json.dumps(doc), encoding="utf-8")
    again = run_lint([tree], config, cache_dir=cache, jobs=1)
    assert again.linted == 6


def test_tree_rules_see_cached_skills(tree: Path, tmp_path: Path) -> None:
    config = load_config(tree)
    cache = tmp_path / "cache"
    first = run_lint([tree], config, cache_dir=cache, jobs=1)
    assert not any(d.code == "SK601" for d in first.diagnostics)
    # a new skill reusing a cached skill's name: only the new one is linted afresh
    clash = tree / "zz-copy"
    clash.mkdir()
    (clash / "SKILL.md").write_text(
        SKILL.format(name="skill-001", title="Copy").replace("See [the notes]", "No notes"),
        encoding="utf-8",
    )
    again = run_lint([tree], config, cache_dir=cache, jobs=1)
    assert again.linted == 1
    dupes = [d for d in again.diagnostics if d.code == "SK601"]
    assert dupes, "duplicate-name must see the cached skill-001"
    warm = run_lint([tree], config, cache_dir=cache, jobs=1)
    assert warm.linted == 0
    assert keyed([d for d in warm.diagnostics if d.code == "SK601"]) == keyed(dupes)


def test_pool_gives_the_same_findings_as_one_process(tmp_path: Path) -> None:
    tree = tmp_path / "skills"
    make_tree(tree, POOL_THRESHOLD + 12, broken=(3, 30, 50))
    config = load_config(tree)
    serial = run_lint([tree], config, jobs=1)
    pooled = run_lint([tree], config, jobs=2, cache_dir=tmp_path / "cache")
    assert pooled.linted == POOL_THRESHOLD + 12
    assert keyed(pooled.diagnostics) == keyed(serial.diagnostics)
    assert len([d for d in pooled.diagnostics if d.code == "SK202"]) == 3
    warm = run_lint([tree], config, jobs=2, cache_dir=tmp_path / "cache")
    assert warm.cache_hits == POOL_THRESHOLD + 12
    assert keyed(warm.diagnostics) == keyed(serial.diagnostics)


@pytest.mark.parametrize("helped", [0, 5, 10_000])
def test_pooled_cache_entries_match_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helped: int
) -> None:
    """Stamps and digests taken by the pool's helper (any number of them: it stops when the
    warm-up is done) land on the right skills: the same entries as a one-process run."""
    from skillkit.lint import run as lintrun

    tree = tmp_path / "skills"
    make_tree(tree, POOL_THRESHOLD + 12, broken=(3, 30, 50))
    config = load_config(tree)
    real = lintrun._stamps_beside

    def stamps_beside(context, roots, warm_up):  # type: ignore[no-untyped-def]
        return real(context, roots, warm_up)[:helped] if helped else (warm_up() or [])

    monkeypatch.setattr(lintrun, "_stamps_beside", stamps_beside)
    run_lint([tree], config, jobs=1, cache_dir=tmp_path / "serial")
    run_lint([tree], config, jobs=2, cache_dir=tmp_path / "pooled")

    def entries(folder: str) -> dict[str, object]:
        doc = json.loads((tmp_path / folder / CACHE_FILE).read_text(encoding="utf-8"))
        assert len(doc["skills"]) == POOL_THRESHOLD + 12
        return dict(doc["skills"])

    assert entries("pooled") == entries("serial")


def test_cli_cache_location_and_no_cache(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SKILLKIT_CACHE_DIR", raising=False)
    runner = CliRunner()
    assert runner.invoke(cli, ["lint", "--no-cache", "skills"]).exit_code == 0
    assert not (tmp_path / ".skillkit_cache").exists()
    assert runner.invoke(cli, ["lint", "skills"]).exit_code == 0
    assert (tmp_path / ".skillkit_cache" / CACHE_FILE).is_file()
    assert (tmp_path / ".skillkit_cache" / ".gitignore").read_text() == "*\n"
    # beside the configuration file when there is one
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "skillkit.toml").write_text("ignore = []\n", encoding="utf-8")
    result = runner.invoke(cli, ["lint", "--config", "conf/skillkit.toml", "skills"])
    assert result.exit_code == 0
    assert (tmp_path / "conf" / ".skillkit_cache" / CACHE_FILE).is_file()
    other = tmp_path / "elsewhere"
    assert runner.invoke(cli, ["lint", "--cache-dir", str(other), "skills"]).exit_code == 0
    assert (other / CACHE_FILE).is_file()
    assert not [p for p in other.iterdir() if p.name.endswith(".tmp")]


def test_unwritable_cache_is_not_fatal(tree: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    result = run_lint([tree], load_config(tree), cache_dir=blocker / "cache", jobs=1)
    assert result.linted == 6 and result.diagnostics


def test_a_file_edited_during_a_run_is_seen_next_time(tree: Path, tmp_path: Path) -> None:
    config = load_config(tree)
    cache = tmp_path / "cache"
    run_lint([tree], config, cache_dir=cache, jobs=1)
    skill_md = tree / "skill-000" / "SKILL.md"
    time.sleep(0.01)
    skill_md.write_text(SKILL.format(name="skill-000", title="Bad\n\n### x"), encoding="utf-8")
    again = run_lint([tree], config, cache_dir=cache, jobs=1)
    assert again.linted == 1
    assert any(d.code == "SK202" and d.path == skill_md.resolve() for d in again.diagnostics)


def test_deleted_skills_leave_the_cache_and_others_stay(tree: Path, tmp_path: Path) -> None:
    import shutil

    config = load_config(tree)
    cache = tmp_path / "cache"
    run_lint([tree], config, cache_dir=cache, jobs=1)
    shutil.rmtree(tree / "skill-005")
    run_lint([tree / "skill-000"], config, cache_dir=cache, jobs=1)  # a subset
    keys = json.loads((cache / CACHE_FILE).read_text(encoding="utf-8"))["skills"]
    assert len(keys) == 5 and not any(k.endswith("skill-005") for k in keys)
    assert run_lint([tree], config, cache_dir=cache, jobs=1).cache_hits == 5


_WARM_RUN = """
import sys
from skillkit.cli import main
try:
    main()
except SystemExit:
    pass
heavy = (
    "jsonschema",
    "markdown_it",
    "markdown_it_pyrs",
    "ahocorasick_rs",
    "yaml",
    "tiktoken",
    "skillkit.lint.rules.sk101_missing_required_field",
)
print(",".join(m for m in heavy if m in sys.modules))
"""


def test_a_fully_cached_run_imports_no_parser_nor_rule(tmp_path: Path) -> None:
    # Start-up is most of a warm run: config checks and reporting must not pull these in.
    import subprocess
    import sys

    root = tmp_path / "skills" / "one"
    root.mkdir(parents=True)
    (root / "SKILL.md").write_text(
        "---\nname: one\ndescription: Does one thing. Use when testing.\n---\n# One\n\nText.\n",
        encoding="utf-8",
    )
    args = ["lint", "skills", "--cache-dir", str(tmp_path / "cache"), "-q"]
    runs = [
        subprocess.run(
            [sys.executable, "-c", _WARM_RUN, *args],
            cwd=tmp_path, capture_output=True, text=True, check=True,
        ).stdout.strip()
        for _ in range(2)
    ]  # fmt: skip
    assert "skillkit.lint.rules.sk101_missing_required_field" in runs[0]  # cold: it did lint
    assert runs[1] == ""
