"""Fingerprints of file trees, for the caches: a cheap ``stat``-only stamp, a content digest,
and a fingerprint of skillkit's own code (the lint findings cache and the token cache key on them).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat as stat_mod
from collections.abc import Iterator

from skillkit.loader import NEVER_READ


def code_fingerprint() -> str:
    """Names, sizes and mtimes of skillkit's own modules and data files (rules, loader, schema,
    token counting...): editing any of them invalidates the cache, not only a version bump."""
    import skillkit

    h = hashlib.sha256()
    stack = list(skillkit.__path__)
    # A source checkout keeps the JSON schema beside the package (a wheel has it inside).
    stack += [os.path.join(os.path.dirname(p), "schemas") for p in skillkit.__path__]
    while stack:
        folder = stack.pop()
        with contextlib.suppress(OSError):
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                if entry.is_dir() and entry.name != "__pycache__":
                    stack.append(entry.path)
                elif entry.name.endswith((".py", ".json")):
                    st = entry.stat()
                    h.update(f"{entry.path}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def walk_stats(root: str, by_name: bool = False) -> Iterator[tuple[str, os.stat_result | None]]:
    """(path, lstat) of everything the loader may read under `root`, depth first, in directory
    order (or sorted by name in each folder); None for a folder that cannot be listed or an
    entry that cannot be stat'ed."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            it = os.scandir(folder)
        except OSError:
            yield folder, None
            continue
        with it:
            for entry in sorted(it, key=lambda e: e.name) if by_name else it:
                if entry.name in NEVER_READ:
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    yield entry.path, None
                    continue
                yield entry.path, st
                if stat_mod.S_ISDIR(st.st_mode):
                    stack.append(entry.path)


def stamp(root: str) -> str:
    """A cheap fingerprint of a skill folder from ``stat`` alone (a folder's mtime changes when
    an entry is added, removed or renamed, so new and deleted files are caught too). The ctime
    and inode catch what mtime and size miss: an edit whose mtime was set back (``cp -p``,
    ``rsync -t``) or a same-size file renamed over the old one.

    Entries are taken in directory order, unsorted: that order changes only when the folder
    does, and then its mtime differs anyway (and a changed stamp only costs a content check).
    """
    parts: list[str] = []
    try:
        st = os.stat(root)
        parts.append(f"{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}")
    except OSError:
        return ""
    for path, found in walk_stats(root):
        if found is not None:
            parts.append(
                f"{path}:{found.st_mtime_ns}:{found.st_size}:{found.st_mode}"
                f":{found.st_ctime_ns}:{found.st_ino}"
            )
    return hashlib.sha1("\n".join(parts).encode(), usedforsecurity=False).hexdigest()


def content_digest(root: str) -> str:
    """sha256 over the path and bytes of every regular file in the skill folder."""
    h = hashlib.sha256()
    prefix = len(os.path.join(root, ""))
    # By name: the digest must not depend on the order a file system lists a folder in.
    for path, st in walk_stats(root, by_name=True):
        if st is None:
            continue
        h.update(path[prefix:].encode() + b"\0")
        if stat_mod.S_ISLNK(st.st_mode):
            with contextlib.suppress(OSError):
                h.update(b"->" + os.readlink(path).encode())
            continue
        if not stat_mod.S_ISREG(st.st_mode):
            continue
        try:
            with open(path, "rb") as fh:
                h.update(hashlib.sha256(fh.read()).digest())
        except OSError:
            h.update(b"<unreadable>")
    return h.hexdigest()
