"""`publish()`: copy a built ``dist/`` to a folder or ``s3://`` bucket, archives first and the
index last, merging into whatever is published there with compare-and-swap."""

from __future__ import annotations

import hashlib
import os
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from skillkit.errors import SkillkitError
from skillkit.fsutil import file_in_the_way
from skillkit.index.cas import update_index
from skillkit.index.clock import utc_now
from skillkit.index.errors import BuildError, DigestMismatch, StoreError
from skillkit.index.load import load
from skillkit.index.merge import content_key, merge_indexes
from skillkit.index.model import Index, VersionEntry
from skillkit.index.store import S3Options, local_path, open_location

#: test hook: makes the real code path fail between the archives and the index upload.
FAIL_ENV = "SKILLKIT_TEST_FAIL_BEFORE_INDEX"


@dataclass
class PublishResult:
    target: str
    uploaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    index_written: bool = False
    generation: int = 0
    attempts: int = 0


def publish(
    dist: Path | str,
    to: str,
    *,
    s3: S3Options | None = None,
    now: str | None = None,
) -> PublishResult:
    """Publish the index built in `dist` to `to` (a folder, ``file://`` or ``s3://``).

    Nothing is uploaded unless the whole of `dist` checks out: its index against the schema
    and every archive against its sha256, so a bad dist never leaves stray archives behind.
    """
    check_target(to)
    dist_path = local_path(dist)
    if dist_path is not None:
        blocker = file_in_the_way(dist_path, itself=False)
        if blocker is not None:
            raise SkillkitError(f"{blocker} is a file, not a folder: cannot read {dist_path}")
    local = load(dist, s3=s3)
    source_root = Path(local.location or dist).parent
    for entry in _versions(local):
        _read_archive(source_root, entry)  # a missing one may be on the target already
    store, key = open_location(to, s3)
    result = PublishResult(store.describe(key))
    uploaded: set[str] = set()

    def upload_missing(remote: Index | None) -> None:
        pending = []
        for entry in _versions(local):
            published = _remote_entry(remote, entry)
            if published is not None:
                if content_key(published) != content_key(entry):
                    from skillkit.index.merge import conflict_message

                    raise BuildError(conflict_message(published, entry))
                result.skipped.append(entry.archive)
                continue
            if entry.archive not in uploaded:
                pending.append(entry)
        # An archive missing locally is fine only when the target already has it: find out
        # for every one before the first upload.
        for entry in pending:
            if not (source_root / entry.archive).is_file():
                raise _missing(source_root, entry)
        for entry in pending:
            if entry.archive in uploaded:
                continue
            data = _local_archive(source_root, entry)
            store.write(entry.archive, data)
            uploaded.add(entry.archive)
            result.uploaded.append(entry.archive)

    def change(remote: Index | None) -> Index | None:
        # Archives for everything the remote index lacks go up before the index names them.
        upload_missing(remote)
        if os.environ.get(FAIL_ENV):
            raise StoreError(f"{FAIL_ENV} is set: failing before the index upload (test hook)")
        base = remote or Index.empty(local.encoding, now or utc_now())
        return merge_indexes(base, local).index

    result.skipped = []
    outcome = update_index(store, key, change, now=lambda: now or utc_now())
    result.skipped = sorted(set(result.skipped) - set(result.uploaded))
    result.index_written = outcome.written
    result.generation = outcome.index.generation
    result.attempts = outcome.attempts
    return result


def _versions(index: Index) -> list[VersionEntry]:
    return [v for s in index.skills.values() for v in s.versions]


def _remote_entry(remote: Index | None, entry: VersionEntry) -> VersionEntry | None:
    if remote is None or entry.name not in remote.skills:
        return None
    return remote.skills[entry.name].get(entry.version)


def check_target(to: str) -> None:
    """Refuse a target publish cannot write to, before any network or disk use."""
    parsed = urllib.parse.urlparse(to)
    scheme = parsed.scheme.lower()
    if scheme and len(scheme) > 1 and scheme not in ("file", "s3"):
        raise SkillkitError(
            f"cannot publish to {to!r}: {scheme}:// locations are not supported; publish to "
            "a folder, a file:// URL or s3://bucket/prefix (a web server can then serve the "
            "published folder)"
        )
    path = local_path(to)
    if path is None:
        return
    blocker = file_in_the_way(path, itself=path.suffix != ".json")
    if blocker is not None:
        raise SkillkitError(
            f"{blocker} is a file, not a folder; publish to a folder (or its index.json)"
        )


def _read_archive(root: Path, entry: VersionEntry) -> bytes | None:
    """`entry`'s archive under `root`, checked against its sha256; None when it is missing."""
    path = root / entry.archive
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != entry.sha256:
        raise DigestMismatch(f"{path} ({entry.ref})", entry.sha256, actual)
    return data


def _missing(root: Path, entry: VersionEntry) -> StoreError:
    return StoreError(
        f"{entry.ref}: its archive {root / entry.archive} is missing and the target does not "
        "have it; rebuild with `skillkit build`"
    )


def _local_archive(root: Path, entry: VersionEntry) -> bytes:
    data = _read_archive(root, entry)
    if data is None:
        raise _missing(root, entry)
    return data
