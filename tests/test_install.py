"""`skillkit install`, skills.lock.json, `verify --lock` and `serve --lock`, end to end: the
real CLI against indexes built by `skillkit build`, in a folder and in S3 (moto's server on
127.0.0.1, reached with boto3 like a user's bucket)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from skillkit.cli import cli
from skillkit.install import tree_digest
from tests.index_support import write_skill
from tests.s3_fixture import S3Server, s3_env, s3_server  # noqa: F401 (fixtures)
from tests.serve_support import EPOCH, build, cli_ok, run_async, stdio_session

pytestmark = pytest.mark.timeout(120)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(
        cli, list(args), env={"SOURCE_DATE_EPOCH": EPOCH, **(env or {})}, catch_exceptions=False
    )


def make_index(root: Path) -> tuple[Path, Path]:
    """(skills, dist): report-writer 1.0.0 and 1.1.0 requiring chart-basics@^2 (2.0.0, 2.1.0
    yanked), table-basics 1.0.0, and a deprecated old-skill."""
    skills = root / "skills"
    write_skill(
        skills,
        "chart-basics",
        "2.0.0",
        body="Charts.",
        files={"scripts/plot.sh": "#!/bin/sh\necho plot\n"},
    )
    (skills / "chart-basics" / "scripts" / "plot.sh").chmod(0o755)
    write_skill(skills, "table-basics", "1.0.0", body="Tables.")
    write_skill(
        skills,
        "report-writer",
        "1.0.0",
        body="Write reports.",
        requires="chart-basics@^2, table-basics",
        files={"references/style.md": "# Style\n", "assets/logo.bin": bytes(range(256))},
    )
    dist = build(skills, root / "dist")
    write_skill(
        skills,
        "report-writer",
        "1.1.0",
        body="Write better reports.",
        requires="chart-basics@^2, table-basics",
        files={"references/style.md": "# Style 2\n", "assets/logo.bin": bytes(range(256))},
    )
    write_skill(skills, "chart-basics", "2.1.0", body="Charts, broken.")
    build(skills, dist)
    cli_ok("yank", "chart-basics@2.1.0", "--reason", "renders blank charts", "--index", str(dist))
    return skills, dist


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_index(tmp_path_factory.mktemp("install"))


def install(dist: Path, project: Path, *requests: str) -> None:
    result = run("install", *requests, "--index", str(dist), "--dir", str(project))
    assert result.exit_code == 0, result.output


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lockfile(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((project / "skills.lock.json").read_text(encoding="utf-8"))
    return data


def test_install_resolves_verifies_unpacks_and_locks(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    _, dist = built
    project = tmp_path / "project"
    project.mkdir()
    result = run("install", "report-writer@^1", "--index", str(dist), "--dir", str(project))
    assert result.exit_code == 0, result.output
    folder = project / ".claude" / "skills"
    assert sorted(p.name for p in folder.iterdir()) == [
        "chart-basics",
        "report-writer",
        "table-basics",
    ]
    # The newest non-yanked versions in range: chart-basics 2.1.0 is yanked.
    lock = lockfile(project)
    assert {n: s["version"] for n, s in lock["skills"].items()} == {
        "chart-basics": "2.0.0",
        "report-writer": "1.1.0",
        "table-basics": "1.0.0",
    }
    assert lock["requested"] == ["report-writer@^1"] and lock["agent"] == "claude-code"
    # A local index is recorded relative to the project, so the lockfile can be committed.
    assert not Path(lock["index"]).is_absolute()
    assert (project / lock["index"]).resolve() == dist.resolve()
    index = json.loads((dist / "index.json").read_text(encoding="utf-8"))
    for name, locked in lock["skills"].items():
        entry = next(
            v for v in index["skills"][name]["versions"] if v["version"] == locked["version"]
        )
        assert locked["archive_sha256"] == entry["sha256"]
        # The tree digest any tool can recompute from the installed folder alone.
        lines = sorted(
            f"{p.relative_to(folder / name).as_posix()}\0{_sha256(p)}\n"
            for p in (folder / name).rglob("*")
            if p.is_file()
        )
        assert locked["tree_sha256"] == hashlib.sha256("".join(lines).encode()).hexdigest()
        assert locked["tree_sha256"] == tree_digest(
            {f["path"]: f["sha256"] for f in entry["files"]}
        )
    assert (folder / "report-writer" / "assets" / "logo.bin").read_bytes() == bytes(range(256))
    assert (folder / "chart-basics" / "scripts" / "plot.sh").stat().st_mode & 0o111
    assert "installed report-writer@1.1.0" in result.output
    # Clean check, then a second run changes nothing.
    assert run("verify", "--lock", str(project / "skills.lock.json")).exit_code == 0
    again = run("install", "--index", str(dist), "--dir", str(project), "table-basics")
    assert again.exit_code == 0, again.output
    assert "installed" not in again.output and "up to date report-writer@1.1.0" in again.output
    assert lockfile(project)["requested"] == ["report-writer@^1", "table-basics"]


def test_agents_and_unsatisfiable_requests(built: tuple[Path, Path], tmp_path: Path) -> None:
    _, dist = built
    for agent, folder in (("codex", ".codex/skills"), ("agents", ".agents/skills")):
        project = tmp_path / agent
        project.mkdir()
        result = run(
            "install", "table-basics", "--index", str(dist), "--dir", str(project), "--agent", agent
        )
        assert result.exit_code == 0, result.output
        assert (project / folder / "table-basics" / "SKILL.md").is_file()
    project = tmp_path / "bad"
    project.mkdir()
    for request, words in (
        ("chart-basics@^3", "no version of chart-basics satisfies ^3"),
        ("no-such-skill", "no skill named 'no-such-skill'"),
    ):
        result = run("install", request, "--index", str(dist), "--dir", str(project))
        assert result.exit_code == 2 and words in result.output, result.output
    assert list(project.iterdir()) == []


def test_frozen_installs_exactly_the_lock_even_yanked(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    _, fixture = built
    dist = shutil.copytree(fixture, tmp_path / "dist")
    project = tmp_path / "project"
    project.mkdir()
    install(dist, project, "report-writer@1.0.0")
    # The locked chart-basics 2.0.0 is yanked later: --frozen still installs it, warning.
    cli_ok("yank", "chart-basics@2.0.0", "--reason", "superseded", "--index", str(dist))
    shutil.rmtree(project / ".claude")
    frozen = run("install", "--frozen", "--dir", str(project))
    assert frozen.exit_code == 0, frozen.output
    assert "warning: chart-basics@2.0.0 is yanked: superseded" in frozen.output
    assert {p.name for p in (project / ".claude/skills").iterdir()} == {
        "chart-basics",
        "report-writer",
        "table-basics",
    }
    assert run("verify", "--lock", str(project / "skills.lock.json")).exit_code == 0
    # An index that no longer has a locked version cannot satisfy the lock.
    other = tmp_path / "other"
    write_skill(other / "skills", "table-basics", "1.0.0", body="Tables.")
    build(other / "skills", other / "dist")
    missing = run("install", "--frozen", "--dir", str(project), "--index", str(other / "dist"))
    assert missing.exit_code == 2
    assert "report-writer@1.0.0 is not in the index" in missing.output
    # Same version number, other content (a rebuilt index): the archive digest differs.
    write_skill(other / "skills", "table-basics", "1.0.0", body="Tables, edited.")
    shutil.rmtree(other / "dist")
    build(other / "skills", other / "dist")
    lock = lockfile(project)
    only_table = {**lock, "skills": {"table-basics": lock["skills"]["table-basics"]}}
    (project / "skills.lock.json").write_text(json.dumps(only_table), encoding="utf-8")
    changed = run("install", "--frozen", "--dir", str(project), "--index", str(other / "dist"))
    assert changed.exit_code == 2 and "is not the locked" in changed.output
    assert run("install", "--frozen", "x", "--dir", str(project)).exit_code == 2


def test_verify_lock_names_each_changed_missing_and_extra_file(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    _, dist = built
    project = tmp_path / "project"
    project.mkdir()
    install(dist, project, "report-writer")
    root = project / ".claude" / "skills" / "report-writer"
    (root / "references" / "style.md").write_text("# Edited locally\n", encoding="utf-8")
    (root / "assets" / "logo.bin").unlink()
    (root / "notes.txt").write_text("mine\n", encoding="utf-8")
    shutil.rmtree(project / ".claude" / "skills" / "table-basics")
    result = run("verify", "--lock", str(project / "skills.lock.json"))
    assert result.exit_code == 1
    table = project / ".claude" / "skills" / "table-basics"
    lines = [line for line in result.output.splitlines() if line.startswith("FAIL")]
    assert lines == [
        f"FAIL missing: {root}/assets/logo.bin",
        f"FAIL extra: {root}/notes.txt",
        f"FAIL changed: {root}/references/style.md",
        f"FAIL missing: {table}/ (table-basics@1.0.0 is not installed)",
    ]
    bad = run("verify", "--lock", str(tmp_path / "nope.json"))
    assert bad.exit_code == 2 and "no such lockfile" in bad.output


def test_failed_install_leaves_the_old_folders_intact(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    """An install that stops half-way (here: one archive fails its digest while the others
    verify) changes no installed folder and no lockfile, and leaves no temp folder behind."""
    _, fixture = built
    dist = shutil.copytree(fixture, tmp_path / "dist")
    project = tmp_path / "project"
    project.mkdir()
    install(dist, project, "report-writer@1.0.0")
    folder = project / ".claude" / "skills"
    before = {
        p.relative_to(project).as_posix(): p.read_bytes() for p in project.rglob("*") if p.is_file()
    }
    # report-writer 1.1.0 verifies fine and is staged first; table-basics' archive is corrupt.
    # (upgrading table-basics needs a new version: publish 1.0.1 and corrupt its archive.)
    write_skill(tmp_path / "more", "table-basics", "1.0.1", body="Tables, newer.")
    build(tmp_path / "more", dist)
    archive = dist / "archives" / "table-basics" / "table-basics-1.0.1.tar.gz"
    archive.write_bytes(archive.read_bytes()[:-20] + b"\0" * 20)
    result = run(
        "install",
        "report-writer@^1.1",
        "table-basics@^1.0.1",
        "--index",
        str(dist),
        "--dir",
        str(project),
    )
    assert result.exit_code == 2 and "sha256 mismatch" in result.output, result.output
    after = {
        p.relative_to(project).as_posix(): p.read_bytes() for p in project.rglob("*") if p.is_file()
    }
    assert after == before
    assert sorted(p.name for p in folder.iterdir()) == [
        "chart-basics",
        "report-writer",
        "table-basics",
    ]


def test_serve_lock_serves_exactly_the_locked_versions(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    _, dist = built
    project = tmp_path / "project"
    project.mkdir()
    install(dist, project, "report-writer@1.0.0")
    lock = project / "skills.lock.json"

    async def main() -> None:
        async with stdio_session(dist, tmp_path / "log", "--lock", str(lock)) as session:
            listing = await session.call_tool("list_skills", {})
            assert listing.structured_content is not None
            served = {s["name"]: s["version"] for s in listing.structured_content["skills"]}
            assert served == {
                "chart-basics": "2.0.0",
                "report-writer": "1.0.0",
                "table-basics": "1.0.0",
            }
            pinned = await session.call_tool(
                "retrieve_skill", {"name": "report-writer", "version": "1.1.0"}
            )
            assert pinned.is_error  # not in the lock: not served

    run_async(main)


def test_install_from_s3(
    built: tuple[Path, Path],
    tmp_path: Path,
    s3_server: S3Server,  # noqa: F811
    s3_env: dict[str, str],  # noqa: F811
) -> None:
    _, dist = built
    bucket = s3_server.bucket("install-test")
    url = f"s3://{bucket}/skills"
    endpoint = ["--endpoint-url", s3_server.endpoint]
    assert run("publish", str(dist), "--to", url, *endpoint, env=s3_env).exit_code == 0
    project = tmp_path / "project"
    project.mkdir()
    result = run(
        "install", "report-writer", "--index", url, "--dir", str(project), *endpoint, env=s3_env
    )
    assert result.exit_code == 0, result.output
    assert lockfile(project)["index"] == url
    shutil.rmtree(project / ".claude")
    frozen = run("install", "--frozen", "--dir", str(project), *endpoint, env=s3_env)
    assert frozen.exit_code == 0, frozen.output
    assert run("verify", "--lock", str(project / "skills.lock.json")).exit_code == 0
