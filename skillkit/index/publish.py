"""`publish()`: copy a built ``dist/`` to a folder or ``s3://`` bucket, archives first and the
index last, merging into whatever is published there with compare-and-swap."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from skillkit.index.cas import update_index
from skillkit.index.clock import utc_now
from skillkit.index.errors import BuildError, DigestMismatch, StoreError
from skillkit.index.load import load
from skillkit.index.merge import content_key, merge_indexes
from skillkit.index.model import Index, VersionEntry
from skillkit.index.store import S3Options, open_location

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
    """Publish the index built in `dist` to `to` (a folder, ``file://`` or ``s3://``)."""
    local = load(dist, s3=s3)
    source_root = Path(local.location or dist).parent
    store, key = open_location(to, s3)
    result = PublishResult(store.describe(key))
    uploaded: set[str] = set()

    def upload_missing(remote: Index | None) -> None:
        for entry in _versions(local):
            published = _remote_entry(remote, entry)
            if published is not None:
                if content_key(published) != content_key(entry):
                    from skillkit.index.merge import conflict_message

                    raise BuildError(conflict_message(published, entry))
                result.skipped.append(entry.archive)
                continue
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


def _local_archive(root: Path, entry: VersionEntry) -> bytes:
    path = root / entry.archive
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise StoreError(
            f"{entry.ref}: its archive {path} is missing and the target does not have it; "
            "rebuild with `skillkit build`"
        ) from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != entry.sha256:
        raise DigestMismatch(f"{path} ({entry.ref})", entry.sha256, actual)
    return data
