"""Token counts cached by content hash and encoding: in memory and in one file per encoding.

A key is ``<kind>:<sha256 of the bytes>``; the kind says how the bytes become text (``t``: the
text of a SKILL.md, already decoded by the loader; ``b``: a bundled file, which counts only when
it is UTF-8 without NUL bytes, else it is binary and its value is None). The file
``<dir>/v<FORMAT>-<encoding>.json`` is read once, written atomically, and ignored when it is
unreadable or malformed: a cache can only ever save time, never change a count.

The file also remembers, per bundled file, its stat signature (size, mtime, ctime, inode) and
content key, so that a warm run need not read and hash unchanged files, the way git's index
does. Only files last modified more than `RACY_SECONDS` before the run are remembered: a
file changed within the same clock tick as it was read could otherwise keep a stale key.

One level up, it remembers per skill folder its whole measurement (`skills`, written and read
by `skillkit.tokens.folders`), so that a warm run need not even load unchanged skills.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

from skillkit.config import Config
from skillkit.fsutil import atomic_write_text

FORMAT_VERSION = 1
CACHE_SUBDIR = Path(".skillkit_cache") / "tokens"
#: beyond this many entries a save keeps only what the current run used.
MAX_ENTRIES = 200_000
RACY_SECONDS = 2.0

Count = int | None

_MISSING = object()
_MEMORY: dict[str, dict[str, Count]] = {}
_MEMORY_LOCK = threading.Lock()


def memory(encoding: str) -> dict[str, Count]:
    """The process-wide in-memory cache for `encoding` (shared by every caller)."""
    with _MEMORY_LOCK:
        return _MEMORY.setdefault(encoding, {})


def text_key(text: str) -> str:
    """The key of a decoded text's count, in memory and on disk (lone surrogates allowed)."""
    return "t:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def clear_memory() -> None:
    with _MEMORY_LOCK:
        _MEMORY.clear()


def default_cache_dir(start: Path | None = None) -> Path:
    """``.skillkit_cache/tokens`` beside the skillkit configuration, else in the working folder."""
    from skillkit.config import find_config

    base = (start or Path.cwd()).resolve()
    try:
        found = find_config(base)
    except Exception:  # an invalid config file is reported by whoever loads it, not here
        found = None
    return (found[0].parent if found else base) / CACHE_SUBDIR


def cache_dir_for(config: Config) -> Path:
    """Where ``skillkit tokens`` keeps counts for `config`: beside its file, else in cwd."""
    return (config.path.parent if config.path else Path.cwd()) / CACHE_SUBDIR


class DiskCache:
    """One encoding's counts on disk: `load` once, `save` once (atomically, merged)."""

    def __init__(self, directory: Path, encoding: str) -> None:
        self.path = directory / f"v{FORMAT_VERSION}-{_safe(encoding)}.json"
        self.encoding = encoding
        self.entries: dict[str, Count] = {}
        self.used: set[str] = set()
        #: absolute path -> [size, mtime_ns, ctime_ns, inode, content key]
        self.stats: dict[str, Any] = {}
        self.stats_used: set[str] = set()
        #: skill folder -> its record, as stored (checked by its reader on use).
        self.skills: dict[str, Any] = {}
        self.skills_used: set[str] = set()
        self.dirty = False

    def load(self) -> dict[str, Count]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return self.entries
        # Entries are checked when used, not here: a warm run uses only a few of them.
        if (
            isinstance(data, dict)
            and data.get("version") == FORMAT_VERSION
            and data.get("encoding") == self.encoding
            and isinstance(data.get("counts"), dict)
        ):
            self.entries = data["counts"]
            for name, section in (("stats", self.stats), ("skills", self.skills)):
                found = data.get(name)
                if isinstance(found, dict):
                    section.update(found)
        return self.entries

    def key_for_stat(self, path: str, sig: tuple[int, int, int, int]) -> str | None:
        """The content key remembered for `path` when its stat signature is unchanged."""
        found = self.stats.get(path)
        if not (isinstance(found, list) and len(found) == 5 and tuple(found[:4]) == sig):
            return None
        key = found[4]
        if not (isinstance(key, str) and self.get(key)[0]):
            return None
        self.stats_used.add(path)
        return key

    def remember_stat(self, path: str, sig: tuple[int, int, int, int], key: str) -> None:
        self.stats[path] = [*sig, key]
        self.stats_used.add(path)
        self.dirty = True

    def get(self, key: str) -> tuple[bool, Count]:
        value = self.entries.get(key, _MISSING)
        if value is None or (type(value) is int and value >= 0):
            self.used.add(key)
            return True, value
        return False, None

    def skill_record(self, folder: str) -> Any:
        """What `remember_skill` stored for `folder` (unchecked: its reader checks it)."""
        self.skills_used.add(folder)
        return self.skills.get(folder)

    def remember_skill(self, folder: str, record: list[Any]) -> None:
        self.skills[folder] = record
        self.skills_used.add(folder)
        self.dirty = True

    def put(self, key: str, value: Count) -> None:
        self.entries[key] = value
        self.used.add(key)
        self.dirty = True

    def save(self) -> None:
        """Write the counts (best effort: a read-only folder just means no cache)."""
        if not self.dirty:
            return
        entries, stats, skills = self.entries, self.stats, self.skills
        if max(len(entries), len(stats), len(skills)) > MAX_ENTRIES:
            entries = {k: v for k, v in entries.items() if k in self.used}
            stats = {k: v for k, v in stats.items() if k in self.stats_used}
            skills = {k: v for k, v in skills.items() if k in self.skills_used}
        payload = {
            "version": FORMAT_VERSION,
            "encoding": self.encoding,
            "counts": entries,
            "stats": stats,
            "skills": skills,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            gitignore = self.path.parent.parent / ".gitignore"
            if not gitignore.exists():
                atomic_write_text(gitignore, "*\n")
            atomic_write_text(self.path, json.dumps(payload, separators=(",", ":")))
        except OSError:
            return
        self.dirty = False


def _safe(encoding: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in encoding) or "_"
