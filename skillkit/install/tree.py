"""What a skill folder on disk holds: relpath -> sha256 of every regular file."""

from __future__ import annotations

import hashlib
from pathlib import Path


def folder_digests(root: Path) -> dict[str, str] | None:
    """relpath (``/``-separated) -> sha256 of each file under `root`; None when `root` is not
    a folder. Symlinks are listed by what they point to, as an agent would read them."""
    if not root.is_dir():
        return None
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
