"""Atomic writes: an interrupted run never leaves a half-written file or folder behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from skillkit.errors import SkillkitError


class NotAFolderError(SkillkitError, NotADirectoryError):
    """A parent of the path to write is a file. Still an OSError, so that callers for whom
    writing is optional (the lint cache) keep going; the CLI shows the message as it is."""


def _umask() -> int:
    # The only portable way to read the umask is to set it; put it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _file_mode(path: Path) -> int:
    """The mode ``open(path, "w")`` would leave: an existing file keeps its own."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def file_in_the_way(path: Path, *, itself: bool = True) -> Path | None:
    """What stands where a folder is needed: `path` itself (when `itself`) or the nearest of
    its ancestors that exists, if that is not a folder.

    Writing below a file fails deep inside with "Not a directory" and a path the user never
    typed, and reading an index from a stray file reports it as invalid JSON; naming the file
    up front says what is actually wrong.
    """
    for candidate in (path, *path.parents) if itself else path.parents:
        try:
            if candidate.is_dir():
                return None
            if candidate.exists() or candidate.is_symlink():
                return candidate
        except OSError:
            return None
    return None


def missing_message(path: Path | str) -> str:
    """How every command says a path it was given does not exist."""
    return f"{path}: no such file or folder"


def file_message(path: Path | str) -> str:
    """How every command says a file stands where a folder is needed."""
    return f"{path} is a file, not a folder"


def make_parent(path: Path) -> None:
    """Create `path`'s parent folders, saying plainly when one of them is a file."""
    blocker = file_in_the_way(path, itself=False)
    if blocker is not None:
        raise NotAFolderError(file_message(blocker))
    path.parent.mkdir(parents=True, exist_ok=True)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to a temp file beside `path`, then rename it over `path`."""
    make_parent(path)
    mode = _file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates 0600, which would leave a report or skill unreadable to others.
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def atomic_directory(path: Path, *, replace: bool = False) -> Iterator[Path]:
    """Yield a temp folder beside `path`; on success it is renamed to `path`.

    With `replace`, an existing `path` is swapped out only after the new one is complete.
    On any failure the temp folder is removed and `path` is left as it was.
    """
    make_parent(path)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        yield tmp
        # mkdtemp creates 0700; a folder made with mkdir would get 0777 & ~umask.
        os.chmod(tmp, 0o777 & ~_umask())
        if path.exists():
            if not replace:
                raise FileExistsError(f"{path} already exists")
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
            os.rmdir(old)
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
