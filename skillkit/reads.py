"""Bundled files read once while a skill is linted.

Several rules read the same files of a skill one after another (hidden characters and secrets
every text, the link graph its Markdown, the AWS scan its text files, the token budget its
large references): inside `remembered`, the bytes of a file read once are handed to the next
reader instead of being read again. Outside it nothing is kept, so a long-lived process (a
server, an editor integration) never sees stale bytes. What is kept is bounded: a skill of
many large files has its later files read again rather than held.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: at most this many bytes are kept for one skill (its files are at most `max-file-size` each
#: for the text rules, but a skill may hold many).
MAX_KEPT_BYTES = 64 << 20

#: a named pipe opened for reading without O_NONBLOCK waits for a writer; O_BINARY: Windows
#: would otherwise translate line ends.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
)


class _Kept:
    def __init__(self) -> None:
        self.files: dict[Path, bytes] = {}
        self.size = 0


_kept: _Kept | None = None


@contextmanager
def remembered() -> Iterator[None]:
    """Within this block, a file's bytes are read once (see the module's docstring)."""
    global _kept
    outer, _kept = _kept, _Kept()
    try:
        yield
    finally:
        _kept = outer


def recall(path: Path) -> bytes | None:
    """The bytes of `path` read earlier in this `remembered` block, else None."""
    return _kept.files.get(path) if _kept is not None else None


def remember(path: Path, data: bytes) -> None:
    kept = _kept
    if kept is not None and kept.size + len(data) <= MAX_KEPT_BYTES:
        kept.files[path] = data
        kept.size += len(data)


def read_bytes(path: Path) -> bytes:
    """``path.read_bytes()``, remembered (OSError as it raises)."""
    data = recall(path)
    if data is None:
        data = path.read_bytes()
        remember(path, data)
    return data


def read_regular(path: Path) -> bytes | None:
    """The bytes of `path` while it is a regular file, else None (unreadable, or replaced by a
    named pipe or device since the skill was loaded: reading one would block or never end).
    One open, fstat and read: `Path.is_file` and `Path.read_bytes` took three times as long."""
    data = recall(path)
    if data is not None:
        return data
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        # A byte more than the size: a short read is the end of the file, a full one means
        # the file grew since, and the rest is read too.
        first = os.read(fd, info.st_size + 1)
        if len(first) <= info.st_size:
            data = first
        else:
            chunks = [first]
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
            data = b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)
    remember(path, data)
    return data
