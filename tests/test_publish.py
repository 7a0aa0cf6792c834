"""`skillkit publish` to a folder and to a real S3-compatible server on 127.0.0.1."""

from __future__ import annotations

import concurrent.futures
import hashlib
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from skillkit.index import S3Options, load, publish
from skillkit.index.publish import FAIL_ENV
from tests.index_support import (
    EPOCH,
    SKILLKIT,
    _isolated_cwd,  # noqa: F401 (autouse fixture)
    assert_valid_index,
    run,
    run_process,
    write_skill,
)
from tests.s3_fixture import S3Server, s3_env, s3_server  # noqa: F401 (fixtures)


def _dist(root: Path, versions: dict[str, str], *, body: str = "") -> Path:
    """Build a dist/ holding `versions` (name -> version) in its own folder."""
    skills = root / "skills"
    for name, version in versions.items():
        write_skill(skills, name, version, body=body, files={"references/r.md": f"{name} ref\n"})
    result = run("build", str(skills), "-o", str(root / "dist"))
    assert result.exit_code == 0, result.output
    return root / "dist"


def _versions(location: str | Path, **kw: object) -> dict[str, list[str]]:
    index = load(location, **kw)  # type: ignore[arg-type]
    return {n: [v.version for v in e.versions] for n, e in index.skills.items()}


# -- folder target ----------------------------------------------------------------------------


def test_publish_to_folder_and_republish_is_idempotent(tmp_path: Path) -> None:
    dist = _dist(tmp_path / "a", {"alpha": "1.0.0", "beta": "2.0.0"})
    target = tmp_path / "site"
    result = run("publish", str(dist), "--to", str(target))
    assert result.exit_code == 0, result.output
    assert "uploaded archives/alpha/alpha-1.0.0.tar.gz" in result.output
    assert_valid_index(target / "index.json")
    assert (target / "index.json").stat().st_mode & 0o044 == 0o044  # readable by a web server
    assert run("verify", str(target)).exit_code == 0
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    again = run("publish", str(dist), "--to", target.as_uri())
    assert again.exit_code == 0
    assert "already up to date (generation 1)" in again.output
    assert "uploaded" not in again.output
    assert {p: p.read_bytes() for p in target.rglob("*") if p.is_file()} == before
    assert not list(target.rglob("*.lock"))


def test_publish_merges_with_what_is_there(tmp_path: Path) -> None:
    target = tmp_path / "site"
    publish(_dist(tmp_path / "a", {"alpha": "1.0.0"}), str(target))
    publish(_dist(tmp_path / "b", {"alpha": "1.1.0", "gamma": "0.1.0"}), str(target))
    assert _versions(target) == {"alpha": ["1.0.0", "1.1.0"], "gamma": ["0.1.0"]}
    index = load(target)
    assert index.generation == 2
    assert index.read_file("alpha", "1.0.0", "references/r.md") == b"alpha ref\n"


def test_publish_refuses_a_changed_version(tmp_path: Path) -> None:
    target = tmp_path / "site"
    publish(_dist(tmp_path / "a", {"alpha": "1.0.0"}), str(target))
    old = load(target).skills["alpha"].get("1.0.0")
    dist = _dist(tmp_path / "b", {"alpha": "1.0.0"}, body="Different content.")
    new = load(dist).skills["alpha"].get("1.0.0")
    assert old is not None and new is not None
    before = (target / "index.json").read_bytes()
    result = run("publish", str(dist), "--to", str(target))
    assert result.exit_code == 1
    assert old.sha256 in result.output and new.sha256 in result.output
    assert "bump metadata.version" in result.output
    assert (target / "index.json").read_bytes() == before
    assert run("verify", str(target)).exit_code == 0


def test_racing_publisher_processes_on_a_folder_keep_every_version(tmp_path: Path) -> None:
    target = tmp_path / "site"
    versions = [f"1.{i}.0" for i in range(4)]
    dists = [
        _dist(tmp_path / v, {"alpha": v, f"only-{i}": "1.0.0"}) for i, v in enumerate(versions)
    ]
    env = {"SOURCE_DATE_EPOCH": EPOCH}
    procs = [
        subprocess.Popen(
            [SKILLKIT, "publish", str(d), "--to", str(target)],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for d in dists
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    found = _versions(target)
    assert found["alpha"] == versions
    assert all(f"only-{i}" in found for i in range(4))
    assert load(target).generation == 4
    assert run("verify", str(target)).exit_code == 0


def test_interrupted_publish_leaves_the_old_index_valid(tmp_path: Path) -> None:
    target = tmp_path / "site"
    publish(_dist(tmp_path / "a", {"alpha": "1.0.0"}), str(target))
    before = (target / "index.json").read_bytes()
    dist = _dist(tmp_path / "b", {"alpha": "1.1.0"})
    proc = run_process("publish", str(dist), "--to", str(target), env={FAIL_ENV: "1"})
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    # the archive went up first, but the index still names only what existed before
    assert (target / "archives/alpha/alpha-1.1.0.tar.gz").exists()
    assert (target / "index.json").read_bytes() == before
    assert _versions(target) == {"alpha": ["1.0.0"]}
    assert run("verify", str(target)).exit_code == 0
    # publishing again completes the job
    assert run_process("publish", str(dist), "--to", str(target)).returncode == 0
    assert _versions(target) == {"alpha": ["1.0.0", "1.1.0"]}


def test_stale_lock_from_a_dead_publisher_is_broken(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    proc = subprocess.Popen(["true"])  # a pid that no longer runs
    proc.wait()
    (target / "index.json.lock").write_text(f"{socket.gethostname()} {proc.pid}\n")
    old = time.time() - 5
    os.utime(target / "index.json.lock", (old, old))
    result = run("publish", str(_dist(tmp_path / "a", {"alpha": "1.0.0"})), "--to", str(target))
    assert result.exit_code == 0, result.output
    assert not (target / "index.json.lock").exists()


def test_publish_errors_are_clean(tmp_path: Path) -> None:
    result = run("publish", str(tmp_path / "nothing"), "--to", str(tmp_path / "site"))
    assert result.exit_code == 2 and "no such file or folder" in result.output
    dist = _dist(tmp_path / "a", {"alpha": "1.0.0"})
    archive = dist / "archives/alpha/alpha-1.0.0.tar.gz"
    archive.write_bytes(archive.read_bytes()[:-1])
    result = run("publish", str(dist), "--to", str(tmp_path / "site"))
    assert result.exit_code == 2 and "sha256 mismatch" in result.output
    assert not (tmp_path / "site" / "index.json").exists()
    result = run("publish", str(dist), "--to", "https://example.invalid/skills")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def _tamper_one(dist: Path) -> None:
    """The tester's `printf X >> archive`: the last archive (by path) gets a byte appended."""
    archive = sorted((dist / "archives").rglob("*.tar.gz"))[-1]
    archive.write_bytes(archive.read_bytes() + b"X")


def test_a_tampered_archive_uploads_nothing(tmp_path: Path) -> None:
    names = {f"s{i}": "1.0.0" for i in range(7)}
    dist = _dist(tmp_path / "a", names)
    _tamper_one(dist)
    target = tmp_path / "pub2"
    result = run("publish", str(dist), "--to", str(target))
    assert result.exit_code == 2 and "sha256 mismatch" in result.output
    assert "s6-1.0.0.tar.gz" in result.output and "uploaded" not in result.output
    assert not target.exists() or not list(target.rglob("*.tar.gz"))
    # An archive missing locally that the target lacks is refused before any upload, too.
    dist = _dist(tmp_path / "b", names)
    sorted((dist / "archives").rglob("*.tar.gz"))[-1].unlink()
    result = run("publish", str(dist), "--to", str(target))
    assert result.exit_code == 2 and "is missing" in result.output
    assert not target.exists() or not list(target.rglob("*.tar.gz"))


@pytest.mark.parametrize(
    "to", ["https://example.com/x", "http://127.0.0.1:9/x", "ftp://example.com/x"]
)
def test_publish_refuses_an_unsupported_target_up_front(tmp_path: Path, to: str) -> None:
    dist = _dist(tmp_path / "a", {"alpha": "1.0.0"})
    result = run("publish", str(dist), "--to", to)
    assert result.exit_code == 2, result.output
    assert "locations are not supported" in result.output
    assert "a folder, a file:// URL or s3://bucket/prefix" in result.output
    assert "Name or service" not in result.output and "Connection refused" not in result.output
    # Refused before the dist is even read: a missing dist is not what is reported.
    result = run("publish", str(tmp_path / "nothing"), "--to", to)
    assert result.exit_code == 2 and "locations are not supported" in result.output


def test_publish_to_or_from_a_path_under_a_file_names_the_file(tmp_path: Path) -> None:
    dist = _dist(tmp_path / "a", {"alpha": "1.0.0"})
    afile = tmp_path / "afile"
    afile.write_bytes(b"")
    for to in (afile, afile / "pub", afile.as_uri()):
        result = run("publish", str(dist), "--to", str(to))
        assert result.exit_code == 2, result.output
        assert f"{afile} is a file, not a folder" in result.output
        assert "not valid JSON" not in result.output and "Not a directory" not in result.output
    assert afile.read_bytes() == b""
    result = run("publish", str(afile / "dist"), "--to", str(tmp_path / "site"))
    assert result.exit_code == 2 and f"{afile} is a file, not a folder" in result.output


# -- S3 target (moto's server on 127.0.0.1, reached over HTTP with boto3) ----------------------


@pytest.fixture
def bucket(s3_server: S3Server, s3_env: dict[str, str], request: pytest.FixtureRequest) -> str:  # noqa: F811
    name = "b-" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]
    return s3_server.bucket(name)


def test_publish_to_s3_load_and_verify(
    tmp_path: Path,
    s3_server: S3Server,  # noqa: F811
    bucket: str,
) -> None:
    dist = _dist(tmp_path / "a", {"alpha": "1.0.0", "beta": "2.0.0"})
    url = f"s3://{bucket}/team/skills"
    endpoint = ["--endpoint-url", s3_server.endpoint]
    result = run("publish", str(dist), "--to", url, *endpoint)
    assert result.exit_code == 0, result.output
    keys = sorted(o["Key"] for o in s3_server.client().list_objects_v2(Bucket=bucket)["Contents"])
    assert keys == [
        "team/skills/archives/alpha/alpha-1.0.0.tar.gz",
        "team/skills/archives/beta/beta-2.0.0.tar.gz",
        "team/skills/index.json",
    ]
    index = load(url, s3=S3Options(endpoint_url=s3_server.endpoint))
    assert index.etag and index.etag.strip('"')
    assert index.read_file("alpha", "1.0.0", "references/r.md") == b"alpha ref\n"
    assert run("verify", url, *endpoint).exit_code == 0
    # re-publishing is idempotent: nothing uploaded, the ETag (and generation) unchanged
    again = run("publish", str(dist), "--to", url, *endpoint)
    assert again.exit_code == 0 and "already up to date (generation 1)" in again.output
    assert load(url, s3=S3Options(endpoint_url=s3_server.endpoint)).etag == index.etag
    # yank straight on the bucket
    result = run("yank", "beta@2.0.0", "--reason", "bad", "--index", url, *endpoint)
    assert result.exit_code == 0, result.output
    yanked = load(url, s3=S3Options(endpoint_url=s3_server.endpoint)).skills["beta"].get("2.0.0")
    assert yanked is not None and yanked.yanked


def test_user_runs_publish_with_env_credentials(
    tmp_path: Path,
    s3_server: S3Server,  # noqa: F811
    bucket: str,
    s3_env: dict[str, str],  # noqa: F811
) -> None:
    dist = _dist(tmp_path / "a", {"alpha": "1.0.0"})
    url = f"s3://{bucket}/skills"
    proc = run_process(
        "publish", str(dist), "--to", url, "--endpoint-url", s3_server.endpoint, env=s3_env
    )
    assert proc.returncode == 0, proc.stderr
    proc = run_process("verify", url, env={**s3_env, "AWS_ENDPOINT_URL_S3": s3_server.endpoint})
    assert proc.returncode == 0, proc.stderr
    assert "1 archives verified" in proc.stdout


def test_racing_publishers_on_one_bucket_keep_both_versions(
    tmp_path: Path,
    s3_server: S3Server,  # noqa: F811
    bucket: str,
) -> None:
    url = f"s3://{bucket}/skills"
    opts = S3Options(endpoint_url=s3_server.endpoint)
    versions = [f"1.{i}.0" for i in range(4)]
    dists = [_dist(tmp_path / v, {"alpha": v}) for v in versions]
    with concurrent.futures.ThreadPoolExecutor(len(dists)) as pool:
        results = list(pool.map(lambda d: publish(d, url, s3=opts), dists))
    assert all(r.index_written for r in results)
    assert _versions(url, s3=opts) == {"alpha": versions}
    assert load(url, s3=opts).generation == len(versions)
    assert run("verify", url, "--endpoint-url", s3_server.endpoint).exit_code == 0


def test_racing_publisher_processes_on_one_bucket(
    tmp_path: Path,
    s3_server: S3Server,  # noqa: F811
    bucket: str,
    s3_env: dict[str, str],  # noqa: F811
) -> None:
    url = f"s3://{bucket}/skills"
    dists = [_dist(tmp_path / v, {"alpha": v}) for v in ("1.0.0", "2.0.0")]
    procs = [
        subprocess.Popen(
            [SKILLKIT, "publish", str(d), "--to", url, "--endpoint-url", s3_server.endpoint],
            env={**os.environ, **s3_env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for d in dists
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert _versions(url, s3=S3Options(endpoint_url=s3_server.endpoint)) == {
        "alpha": ["1.0.0", "2.0.0"]
    }


def test_interrupted_s3_publish_keeps_the_old_index(
    tmp_path: Path,
    s3_server: S3Server,  # noqa: F811
    bucket: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"s3://{bucket}/skills"
    opts = S3Options(endpoint_url=s3_server.endpoint)
    publish(_dist(tmp_path / "a", {"alpha": "1.0.0"}), url, s3=opts)
    etag = load(url, s3=opts).etag
    dist = _dist(tmp_path / "b", {"alpha": "1.1.0"})
    result = run(
        "publish", str(dist), "--to", url, "--endpoint-url", s3_server.endpoint, env={FAIL_ENV: "1"}
    )
    assert result.exit_code == 2 and "failing before the index upload" in result.output
    s3 = s3_server.client()
    s3.head_object(Bucket=bucket, Key="skills/archives/alpha/alpha-1.1.0.tar.gz")  # went first
    index = load(url, s3=opts)
    assert index.etag == etag and _versions(url, s3=opts) == {"alpha": ["1.0.0"]}
    assert run("verify", url, "--endpoint-url", s3_server.endpoint).exit_code == 0
    assert (
        run("publish", str(dist), "--to", url, "--endpoint-url", s3_server.endpoint).exit_code == 0
    )
    assert _versions(url, s3=opts) == {"alpha": ["1.0.0", "1.1.0"]}


def test_tampered_s3_objects_are_detected(
    tmp_path: Path,
    s3_server: S3Server,  # noqa: F811
    bucket: str,
) -> None:
    url = f"s3://{bucket}/skills"
    opts = S3Options(endpoint_url=s3_server.endpoint)
    publish(_dist(tmp_path / "a", {"alpha": "1.0.0", "beta": "1.0.0"}), url, s3=opts)
    s3 = s3_server.client()
    s3.put_object(Bucket=bucket, Key="skills/archives/beta/beta-1.0.0.tar.gz", Body=b"evil")
    result = run("verify", url, "--endpoint-url", s3_server.endpoint)
    assert result.exit_code == 1
    assert "FAIL beta@1.0.0" in result.output and "sha256 mismatch" in result.output
    assert hashlib.sha256(b"evil").hexdigest() in result.output
    assert "alpha" not in result.output.split("FAIL beta")[0].replace(url, "")
    text = s3.get_object(Bucket=bucket, Key="skills/index.json")["Body"].read()
    s3.put_object(
        Bucket=bucket, Key="skills/index.json", Body=text.replace(b"alpha things", b"evil")
    )
    result = run("verify", url, "--endpoint-url", s3_server.endpoint)
    assert result.exit_code == 1 and "skills table" in result.output


def test_a_tampered_archive_uploads_nothing_to_s3(
    tmp_path: Path,
    s3_server: S3Server,  # noqa: F811
    bucket: str,
) -> None:
    dist = _dist(tmp_path / "a", {f"s{i}": "1.0.0" for i in range(7)})
    _tamper_one(dist)
    url = f"s3://{bucket}/skills"
    result = run("publish", str(dist), "--to", url, "--endpoint-url", s3_server.endpoint)
    assert result.exit_code == 2 and "sha256 mismatch" in result.output
    assert s3_server.client().list_objects_v2(Bucket=bucket).get("Contents", []) == []


def test_s3_errors_are_clear(
    tmp_path: Path,
    s3_server: S3Server,  # noqa: F811
    s3_env: dict[str, str],  # noqa: F811
) -> None:
    dist = _dist(tmp_path / "a", {"alpha": "1.0.0"})
    result = run(
        "publish", str(dist), "--to", "s3://no-such-bucket/x", "--endpoint-url", s3_server.endpoint
    )
    assert result.exit_code == 2
    assert "NoSuchBucket" in result.output or "no-such-bucket" in result.output
    assert "Traceback" not in result.output
    result = run("verify", "s3://no-such-bucket/x", "--endpoint-url", s3_server.endpoint)
    assert result.exit_code == 1


def test_publish_with_an_aws_profile(
    tmp_path: Path,
    s3_server: S3Server,  # noqa: F811
    bucket: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = tmp_path / "aws-config"
    config.write_text("[profile team]\nregion = eu-west-1\n")
    credentials = tmp_path / "aws-credentials"
    credentials.write_text("[team]\naws_access_key_id = AKIATEAM\naws_secret_access_key = s\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    dist = _dist(tmp_path / "a", {"alpha": "1.0.0"})
    url = f"s3://{bucket}/skills"
    endpoint = ["--endpoint-url", s3_server.endpoint]
    result = run("publish", str(dist), "--to", url, "--profile", "team", *endpoint)
    assert result.exit_code == 0, result.output
    result = run("publish", str(dist), "--to", url, "--profile", "nobody", *endpoint)
    assert result.exit_code == 2
    assert "nobody" in result.output and "Traceback" not in result.output


def test_a_local_yank_reaches_the_published_index(tmp_path: Path) -> None:
    target = tmp_path / "site"
    dist = _dist(tmp_path / "a", {"alpha": "1.0.0"})
    publish(dist, str(target))
    assert run("yank", "alpha@1.0.0", "--reason", "broken", "--index", str(dist)).exit_code == 0
    result = run("publish", str(dist), "--to", str(target))
    assert result.exit_code == 0, result.output
    entry = load(target).skills["alpha"].get("1.0.0")
    assert entry is not None and entry.yanked and entry.yanked_reason == "broken"
    assert load(target).generation == 2


def test_republish_of_a_rebuild_with_another_timestamp_changes_nothing(tmp_path: Path) -> None:
    """CI rebuilds from a clean checkout at another SOURCE_DATE_EPOCH: same content, other
    archive bytes. The published versions stay as they are."""
    target = tmp_path / "site"
    skills = tmp_path / "skills"
    write_skill(skills, "alpha", "1.0.0")
    assert run("build", str(skills), "-o", str(tmp_path / "d1")).exit_code == 0
    assert run("publish", str(tmp_path / "d1"), "--to", str(target)).exit_code == 0
    before = (target / "index.json").read_bytes()
    later = {"SOURCE_DATE_EPOCH": "1800000000"}
    assert run("build", str(skills), "-o", str(tmp_path / "d2"), env=later).exit_code == 0
    a1 = (tmp_path / "d1/archives/alpha/alpha-1.0.0.tar.gz").read_bytes()
    assert (tmp_path / "d2/archives/alpha/alpha-1.0.0.tar.gz").read_bytes() != a1
    result = run("publish", str(tmp_path / "d2"), "--to", str(target), env=later)
    assert result.exit_code == 0 and "already up to date" in result.output
    assert (target / "index.json").read_bytes() == before
    assert (target / "archives/alpha/alpha-1.0.0.tar.gz").read_bytes() == a1
