"""`skillkit.index.load()` and archive reads: schema checks, digests, tampering, locations."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import json
import tarfile
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from skillkit.errors import SkillkitError
from skillkit.index import DigestMismatch, Index, IndexError_, load, serialize
from tests.index_support import (
    _isolated_cwd,  # noqa: F401 (autouse fixture)
    assert_valid_index,
    run,
    write_skill,
)


@pytest.fixture
def dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    skills = tmp_path / "skills"
    write_skill(skills, "alpha", "1.0.0", files={"references/api.md": "# API\n"})
    write_skill(skills, "beta", "2.1.0", tags="aws, s3", requires="alpha@^1")
    out = tmp_path / "dist"
    result = run("build", str(skills), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_load_from_folder_file_and_file_url(dist: Path) -> None:
    for location in (
        dist,
        dist / "index.json",
        str(dist),
        dist.as_uri(),
        (dist / "index.json").as_uri(),
    ):
        index = load(location)
        assert isinstance(index, Index)
        assert set(index.skills) == {"alpha", "beta"}
        assert index.generation == 1
        assert index.etag == hashlib.sha256((dist / "index.json").read_bytes()).hexdigest()


def test_entries_and_read_archive(dist: Path, tmp_path: Path) -> None:
    index = load(dist)
    beta = index.skills["beta"].latest()
    assert beta is not None and beta.version == "2.1.0"
    assert beta.tags == ("aws", "s3")
    assert [(r.name, r.range) for r in beta.requires] == [("alpha", "^1")]
    files = index.read_archive("alpha", "1.0.0")
    source = tmp_path / "skills" / "alpha"
    assert files == {
        "SKILL.md": (source / "SKILL.md").read_bytes(),
        "references/api.md": (source / "references" / "api.md").read_bytes(),
    }
    assert index.read_file("alpha", "1.0.0", "references/api.md") == b"# API\n"
    with pytest.raises(IndexError_, match=r"no file 'nope\.md'"):
        index.read_file("alpha", "1.0.0", "nope.md")
    with pytest.raises(
        IndexError_, match=r"alpha@9\.9\.9 is not in the index \(published: 1\.0\.0\)"
    ):
        index.read_archive("alpha", "9.9.9")


def test_tampered_archive_is_detected_with_both_digests(dist: Path) -> None:
    index = load(dist)
    entry = index.skills["alpha"].get("1.0.0")
    assert entry is not None
    archive = dist / entry.archive
    data = bytearray(archive.read_bytes())
    data[-10] ^= 0xFF
    archive.write_bytes(bytes(data))
    actual = hashlib.sha256(bytes(data)).hexdigest()
    with pytest.raises(DigestMismatch) as caught:
        load(dist).read_archive("alpha", "1.0.0")
    message = str(caught.value)
    assert "alpha@1.0.0" in message and entry.sha256 in message and actual in message
    assert isinstance(caught.value, SkillkitError)


def _repack(files: dict[str, bytes], name: str) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for rel, content in files.items():
            info = tarfile.TarInfo(f"{name}/{rel}")
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return gzip.compress(raw.getvalue())


def test_tampered_file_inside_a_reissued_archive_is_detected(dist: Path) -> None:
    """Even if someone replaces an archive AND its digest in the index, the per-file
    digests (and the index's own skills digest) catch it."""
    index_path = dist / "index.json"
    data = json.loads(index_path.read_text())
    entry = data["skills"]["alpha"]["versions"][0]
    evil = _repack({"SKILL.md": b"evil\n", "references/api.md": b"# API\n"}, "alpha")
    (dist / entry["archive"]).write_bytes(evil)
    entry["sha256"] = hashlib.sha256(evil).hexdigest()
    entry["size"] = len(evil)
    index_path.write_text(json.dumps(data))
    with pytest.raises(DigestMismatch, match="skills table"):
        load(dist)
    from skillkit.index.load import skills_digest

    data["skills_sha256"] = skills_digest(data["skills"])
    index_path.write_text(json.dumps(data))
    with pytest.raises(DigestMismatch, match=r"SKILL\.md in alpha@1\.0\.0"):
        load(dist).read_archive("alpha", "1.0.0")


def test_tampered_index_is_detected(dist: Path) -> None:
    index_path = dist / "index.json"
    text = index_path.read_text()
    index_path.write_text(text.replace("Does alpha things", "Does evil things"))
    with pytest.raises(DigestMismatch, match="skills table"):
        load(dist)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d.pop("generation"), "'generation' is a required property"),
        (lambda d: d.update(format_version=2), "format_version 2 is newer"),
        (
            lambda d: d["skills"]["alpha"]["versions"][0].update(sha256="xyz"),
            r"\$\.skills\.alpha\.versions\[0\]\.sha256",
        ),
        (
            lambda d: d["skills"]["alpha"]["versions"][0].update(archive="../../etc/passwd"),
            "archive",
        ),
    ],
)
def test_schema_invalid_index_is_refused_clearly(dist: Path, edit: object, expected: str) -> None:
    index_path = dist / "index.json"
    data = json.loads(index_path.read_text())
    data.pop("skills_sha256")
    edit(data)  # type: ignore[operator]
    index_path.write_text(json.dumps(data))
    with pytest.raises(IndexError_, match=expected):
        load(dist)


def test_truncated_and_missing_index(dist: Path, tmp_path: Path) -> None:
    index_path = dist / "index.json"
    index_path.write_bytes(index_path.read_bytes()[:100])
    with pytest.raises(IndexError_, match=r"index\.json:\d+:\d+: not valid JSON"):
        load(dist)
    with pytest.raises(IndexError_, match=r"no index at .*build one with `skillkit build`"):
        load(tmp_path / "nowhere")
    with pytest.raises(IndexError_, match="unsupported location scheme 'ftp'"):
        load("ftp://example.com/index.json")


def test_truncated_index_message_reads_whole(dist: Path) -> None:
    index_path = dist / "index.json"
    data = index_path.read_bytes()
    cut = data.index(b'"alpha') + 3  # inside a string
    # Cut inside a string: json's own message then ends mid-phrase ("starting at").
    index_path.write_bytes(data[:cut])
    line = data[:cut].count(b"\n") + 1
    column = cut - data[:cut].rfind(b"\n")
    expected = (
        f"{index_path}:{line}:{column - 3}: not valid JSON (Unterminated string starting at "
        f"line {line} column {column - 3}); was it truncated or edited by hand?"
    )
    with pytest.raises(IndexError_) as err:
        load(dist)
    assert str(err.value) == expected
    for command in (
        ["verify", str(dist)],
        [
            "yank",
            "alpha@1.0.0",
            "--reason",
            "r",
            "--index",
            str(dist),
        ],
    ):
        result = run(*command)
        assert expected in result.output, result.output
    result = run("publish", str(dist), "--to", str(dist.parent / "site"))
    assert result.exit_code == 2 and expected in result.output


def test_latest_skips_yanked_and_prereleases(tmp_path: Path) -> None:
    from skillkit.index.model import SkillEntry, Tokens, VersionEntry

    def v(version: str, yanked: bool = False) -> VersionEntry:
        return VersionEntry(
            "x",
            version,
            f"archives/x/x-{version}.tar.gz",
            "0" * 64,
            1,
            "",
            (),
            (),
            Tokens(0, 0, 0),
            (),
            "2023-01-01T00:00:00Z",
            yanked=yanked,
        )

    entry = SkillEntry(
        "x", (v("1.0.0"), v("1.10.0"), v("1.9.0"), v("2.0.0", yanked=True), v("3.0.0-rc.1"))
    )
    assert entry.latest() is not None and entry.latest().version == "1.10.0"  # type: ignore[union-attr]
    assert entry.latest(include_yanked=True).version == "2.0.0"  # type: ignore[union-attr]
    assert entry.get("1.9.0") is not None and entry.get("4.0.0") is None
    only_pre = SkillEntry("x", (v("3.0.0-rc.1"),))
    assert only_pre.latest().version == "3.0.0-rc.1"  # type: ignore[union-attr]
    assert SkillEntry("x", (v("1.0.0", yanked=True),)).latest() is None
    # Round trip: serialize -> load gives the same index, valid against the schema.
    index = Index(1, "2023-01-01T00:00:00Z", "cl100k_base", {"x": entry})
    (tmp_path / "index.json").write_bytes(serialize(index))
    assert_valid_index(tmp_path / "index.json")
    assert load(tmp_path).content_equal(index)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def http_root(dist: Path) -> Iterator[str]:
    handler = partial(_Quiet, directory=str(dist.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_load_over_http(http_root: str, dist: Path) -> None:
    index = load(f"{http_root}/dist/")
    assert set(index.skills) == {"alpha", "beta"}
    assert index.etag
    assert index.read_file("alpha", "1.0.0", "references/api.md") == b"# API\n"
    assert load(f"{http_root}/dist/index.json").generation == 1
    with pytest.raises(IndexError_, match="no index at"):
        load(f"{http_root}/missing/")
    result = run("verify", f"{http_root}/dist")
    assert result.exit_code == 0, result.output
    result = run("yank", "alpha@1.0.0", "--reason", "x", "--index", f"{http_root}/dist")
    assert result.exit_code == 2
    assert "read-only" in result.output
