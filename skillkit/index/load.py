"""`load(location)`: read an index from a path, ``file://``, ``s3://`` or ``https://``; check it."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from skillkit.index.errors import DigestMismatch, IndexError_
from skillkit.index.model import Index
from skillkit.index.schema import schema_errors
from skillkit.index.store import S3Options, Store, open_location

#: additive field: sha256 of the canonical JSON of ``skills``, so edits to the index show.
DIGEST_FIELD = "skills_sha256"


def skills_digest(skills_json: Any) -> str:
    canonical = json.dumps(skills_json, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def serialize(index: Index) -> bytes:
    """The bytes of `index` as written to storage, with its integrity digest."""
    data = index.to_json()
    data[DIGEST_FIELD] = skills_digest(data["skills"])
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def parse(
    data: bytes,
    where: str,
    *,
    store: Store | None = None,
    etag: str | None = None,
    validate: bool = True,
) -> Index:
    """Decode, schema-check and consistency-check index bytes; raise `IndexError_` if invalid.

    `validate=False` skips the schema and digest checks: only for bytes already known good
    (the build's own last output, identified by its sha256).
    """
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise IndexError_(
            f"{where}: not UTF-8 (byte {exc.start}); is this an index.json?"
        ) from None
    except json.JSONDecodeError as exc:
        # json's msg can end mid-phrase ("Unterminated string starting at"): complete it with
        # the position, so the message reads as a sentence.
        at = "" if exc.msg.endswith(" at") else " at"
        raise IndexError_(
            f"{where}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}{at} line "
            f"{exc.lineno} column {exc.colno}); was it truncated or edited by hand?"
        ) from None
    version = raw.get("format_version") if isinstance(raw, dict) else None
    if isinstance(version, int) and version > 1:
        raise IndexError_(
            f"{where}: index format_version {version} is newer than this "
            "skillkit understands (1); upgrade skillkit"
        )
    if not validate:
        return Index.from_json(raw, location=where, etag=etag, store=store)
    errors = schema_errors(raw)
    if errors:
        shown = "\n".join(f"  - {e}" for e in errors[:20])
        more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise IndexError_(f"{where}: not a valid skillkit index:\n{shown}{more}")
    recorded = raw.get(DIGEST_FIELD)
    if isinstance(recorded, str):
        actual = skills_digest(raw["skills"])
        if actual != recorded:
            raise DigestMismatch(f"{where} (skills table)", recorded, actual)
    problems = []
    for name, body in raw["skills"].items():
        seen: set[str] = set()
        for entry in body["versions"]:
            if entry["version"] in seen:
                problems.append(f"{name}@{entry['version']} is listed twice")
            seen.add(entry["version"])
            paths = [f["path"] for f in entry["files"]]
            if len(paths) != len(set(paths)):
                problems.append(f"{name}@{entry['version']} lists a file twice")
    if problems:
        raise IndexError_(
            f"{where}: inconsistent index:\n" + "\n".join(f"  - {p}" for p in problems)
        )
    return Index.from_json(raw, location=where, etag=etag, store=store)


def load(location: str | os.PathLike[str], *, s3: S3Options | None = None) -> Index:
    """Read and validate the index at `location` (a folder holding index.json, or the file).

    Raises `IndexError_` (a `SkillkitError`) with a clear message when the index is missing,
    unreachable, not valid against ``index.schema.json``, or its digest does not match.
    """
    store, key = open_location(location, s3)
    found = store.read_versioned(key)
    if found is None:
        raise IndexError_(
            f"no index at {store.describe(key)}; build one with `skillkit build` "
            "or check the location"
        )
    data, etag = found
    return parse(data, store.describe(key), store=store, etag=etag)
