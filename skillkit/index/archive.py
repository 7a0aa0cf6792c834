"""Deterministic ``.tar.gz`` archives: the same files always give the same bytes.

Members are ``NAME/relpath`` (SKILL.md first, then the other files sorted), owned by uid/gid 0
with empty owner names, mode 0644 (0755 when executable), and one fixed mtime; the gzip header
carries mtime 0 and no file name.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from skillkit.index.errors import IndexError_

#: 1980-01-01T00:00:00Z: used when SOURCE_DATE_EPOCH is unset (the zip epoch, as wheels use).
FIXED_EPOCH = 315532800
#: archives larger than this (decompressed) are refused when read: a gzip bomb guard.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH from the environment (reproducible-builds.org), if set and valid."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        epoch = int(value)
    except ValueError:
        raise IndexError_(
            f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds since 1970"
        ) from None
    if epoch < 0:
        raise IndexError_("SOURCE_DATE_EPOCH must not be negative")
    return epoch


def archive_mtime() -> int:
    epoch = source_date_epoch()
    return FIXED_EPOCH if epoch is None else epoch


@dataclass(frozen=True)
class Member:
    relpath: str
    data: bytes
    executable: bool = False


def pack_archive(name: str, members: Iterable[Member], mtime: int | None = None) -> bytes:
    """The archive bytes for skill `name`; SKILL.md goes first whatever the input order."""
    stamp = archive_mtime() if mtime is None else mtime
    ordered = sorted(members, key=lambda m: (m.relpath != "SKILL.md", m.relpath))
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for member in ordered:
            info = tarfile.TarInfo(f"{name}/{member.relpath}")
            info.size = len(member.data)
            info.mtime = stamp
            info.mode = 0o755 if member.executable else 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.type = tarfile.REGTYPE
            tar.addfile(info, io.BytesIO(member.data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def unpack_archive(data: bytes, name: str) -> dict[str, bytes]:
    """relpath -> content. Refuses links, special files and paths leaving ``NAME/``."""
    files: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for info in tar:
                path = PurePosixPath(info.name)
                if (
                    not path.parts
                    or path.parts[0] != name
                    or len(path.parts) < 2
                    or any(p in ("..", ".", "") for p in path.parts)
                    or info.name.startswith("/")
                ):
                    raise IndexError_(
                        f"archive of {name} holds a path outside {name}/: {info.name}"
                    )
                if not info.isfile():
                    raise IndexError_(f"archive of {name} holds a non-regular file: {info.name}")
                total += info.size
                if total > MAX_UNPACKED_BYTES:
                    raise IndexError_(
                        f"archive of {name} unpacks to more than {MAX_UNPACKED_BYTES:,} bytes"
                    )
                handle = tar.extractfile(info)
                if handle is None:  # pragma: no cover - regular files always have content
                    raise IndexError_(f"archive of {name}: cannot read {info.name}")
                files["/".join(path.parts[1:])] = handle.read()
    except (tarfile.TarError, EOFError, OSError, gzip.BadGzipFile) as exc:
        raise IndexError_(f"archive of {name} is not a readable .tar.gz: {exc}") from None
    return files


def executable_paths(data: bytes, name: str) -> set[str]:
    """The relpaths of `data`'s members packed executable (0755), to restore on unpacking."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return {
            info.name.partition("/")[2]
            for info in tar
            if info.isfile() and info.mode & 0o111 and info.name.startswith(f"{name}/")
        }
