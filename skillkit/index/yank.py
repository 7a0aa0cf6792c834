"""`yank()`: mark a published version yanked (or deprecated) without deleting it."""

from __future__ import annotations

import os
from dataclasses import replace

from skillkit.index.cas import UpdateResult, update_index
from skillkit.index.clock import utc_now
from skillkit.index.errors import IndexError_
from skillkit.index.model import Index, SkillEntry
from skillkit.index.store import S3Options, open_location


def parse_ref(ref: str) -> tuple[str, str]:
    name, sep, version = ref.partition("@")
    if not sep or not name or not version:
        raise IndexError_(f"{ref!r}: name a version as NAME@VERSION, e.g. my-skill@1.2.0")
    return name.strip(), version.strip()


def yank(
    location: str | os.PathLike[str],
    ref: str,
    *,
    reason: str | None = None,
    undo: bool = False,
    deprecate: bool = False,
    s3: S3Options | None = None,
) -> UpdateResult:
    """Set (or with `undo` clear) the yanked/deprecated flag of NAME@VERSION at `location`."""
    name, version = parse_ref(ref)
    if not undo and not (reason and reason.strip()):
        raise IndexError_("give a --reason: users of the version will see it")
    store, key = open_location(location, s3)

    def change(current: Index | None) -> Index | None:
        if current is None:
            raise IndexError_(f"no index at {store.describe(key)}")
        entry = current.entry(name, version)
        if deprecate:
            flags = {"deprecated": not undo, "deprecated_reason": None if undo else reason}
        else:
            flags = {"yanked": not undo, "yanked_reason": None if undo else reason}
        updated = replace(entry, **flags)  # type: ignore[arg-type]
        versions = tuple(
            updated if v.version == version else v for v in current.skills[name].versions
        )
        skills = {**current.skills, name: SkillEntry(name, versions)}
        return replace(current, skills=skills)

    return update_index(store, key, change, now=utc_now)
