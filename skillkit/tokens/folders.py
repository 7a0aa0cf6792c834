"""Measure skill folders, reusing the whole measurement of folders unchanged since a past run.

Loading a skill (reading and parsing its SKILL.md, listing its files) costs more than looking
its counts up, so a warm run checks each folder's stat stamp (`skillkit.stamps.stamp`: path,
mtime, size, mode, ctime and inode of every entry) against the one the disk cache remembers,
and loads only the folders that differ. A folder is remembered only when it is *settled*:

- nothing in it changed within `RACY_SECONDS` before the run (mtime and ctime), so a later edit
  cannot share the clock tick, and so the stamp taken before loading describes what was read;
- it holds no symlinks: the stamp sees a link, not what it points to;
- the loader read all of it (no unreadable SKILL.md, folder or file: permissions can change
  without changing the stamp).

A record is valid only for the same skillkit code and ``max_file_size`` (`context`).
"""

from __future__ import annotations

import hashlib
import os
import stat as stat_mod
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from skillkit import __version__
from skillkit.loader import load_skill
from skillkit.model import Skill
from skillkit.stamps import code_fingerprint, stamp, walk_stats
from skillkit.tokens.cache import RACY_SECONDS, DiskCache, default_cache_dir
from skillkit.tokens.catalog import catalog_line
from skillkit.tokens.encoding import check_encoding_name
from skillkit.tokens.levels import FileTokens, Footprint, Known, measure_items


def context(max_file_size: int) -> str:
    """What a record depends on besides the folder: skillkit's code and the size limit."""
    parts = (__version__, code_fingerprint(), str(max_file_size))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _known(
    record: list[Any] | None, stamp_: str, ctx: str, root: Path, encoding: str
) -> Known | None:
    """The `Known` skill `record` describes, if it is for this stamp, context and location."""
    if record is None or len(record) != 8:
        return None
    saved_stamp, saved_ctx, name, description, location, l1, l2, files = record
    if saved_stamp != stamp_ or saved_ctx != ctx or location != f"{root.name}/SKILL.md":
        return None
    if not (isinstance(name, str) and isinstance(description, str)):
        return None
    if not (_count(l1) and _count(l2) and isinstance(files, list)):
        return None
    l3 = []
    for f in files:
        if not (
            isinstance(f, list)
            and len(f) == 3
            and isinstance(f[0], str)
            and _count(f[1])
            and (f[2] is None or _count(f[2]))
        ):
            return None
        l3.append(FileTokens(f[0], f[1], f[2]))
    return Known(Footprint(name, encoding, l1, l2, tuple(l3)), (name, description, location))


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _settled(skill: Skill, footprint: Footprint, racy_ns: int) -> bool:
    """Whether `skill` may be remembered by its stamp (see the module's documentation)."""
    if any(
        p.kind in ("unreadable", "too-large", "symlink-loop", "path-escape") for p in skill.problems
    ):
        return False
    root = str(skill.root)
    try:
        st = os.stat(root)
    except OSError:
        return False
    if max(st.st_mtime_ns, st.st_ctime_ns) >= racy_ns:
        return False
    for _, found in walk_stats(root):
        if found is None or stat_mod.S_ISLNK(found.st_mode):
            return False
        if max(found.st_mtime_ns, found.st_ctime_ns) >= racy_ns:
            return False
    # A binary file's None may really be a file the loader could not read.
    return all(
        f.tokens is not None or os.access(skill.root / f.relpath, os.R_OK) for f in footprint.l3
    )


def measure_folders(
    roots: Sequence[Path],
    encoding: str,
    *,
    max_file_size: int,
    cache: bool = True,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Footprint], int, list[Skill]]:
    """Footprints of the skills in `roots` (folders holding a SKILL.md, as discovered) and the
    catalog's L1 total; also returns the skills that had to be loaded (for their problems)."""
    check_encoding_name(encoding)
    if not cache:
        skills = [load_skill(r, max_file_size=max_file_size) for r in roots]
        fps, total = measure_items(
            skills, encoding, None, use_memory=False, workers=workers, progress=progress
        )
        return fps, total, skills
    racy_ns = time.time_ns() - int(RACY_SECONDS * 1e9)
    disk = DiskCache(cache_dir or default_cache_dir(), encoding)
    disk.load()
    ctx = context(max_file_size)
    items: list[Skill | Known] = []
    fresh: list[tuple[int, str, str]] = []  # (index in items, folder, its stamp before loading)
    for root in roots:
        folder = os.path.abspath(root)
        stamp_ = stamp(folder)
        known = _known(disk.skill_record(folder), stamp_, ctx, root, encoding)
        if known is None:
            fresh.append((len(items), folder, stamp_))
            items.append(load_skill(root, max_file_size=max_file_size))
        else:
            items.append(known)
    fps, total = measure_items(
        items, encoding, disk, use_memory=True, workers=workers, progress=progress
    )
    loaded: list[Skill] = []
    for index, folder, stamp_ in fresh:
        skill, fp = items[index], fps[index]
        assert isinstance(skill, Skill)
        loaded.append(skill)
        if stamp_ and _settled(skill, fp, racy_ns):
            name, description, location = catalog_line(skill)
            files = [[f.relpath, f.size, f.tokens] for f in fp.l3]
            record = [stamp_, ctx, name, description, location, fp.l1, fp.l2, files]
            disk.remember_skill(folder, record)
    disk.save()
    return fps, total, loaded
