"""The lint cache: per-skill findings reused while the skill's files and the configuration stay
the same.

One JSON file (``<cache-dir>/lint.json``) holds an entry per skill folder. An entry is valid for
a run whose *key* (skillkit version, configuration fingerprint, skillkit's own code) equals the
file's key. Within a valid file, a skill is a hit when

1. its *stamp* (path, mtime_ns, size, mode, ctime_ns and inode of every file and folder in it)
   is unchanged: only ``stat`` calls, the warm path; or else
2. its *content digest* (sha256 of every file's path and bytes) is unchanged: a touched or
   re-checked-out file costs a read, not a re-lint.

JSON, not pickle: a cache file checked into a repository must not be able to run code. A file
that cannot be read or does not have the expected shape is ignored (everything is re-linted);
writes are atomic, so a crash never leaves a half-written cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillkit import __version__
from skillkit.config import Config
from skillkit.diagnostics import Diagnostic, Edit, Fix, Severity
from skillkit.stamps import code_fingerprint

CACHE_FILE = "lint.json"
FORMAT = 2

def default_cache_dir(config: Config) -> Path:
    """``.skillkit_cache/`` beside the configuration file, or in the current folder."""
    base = config.path.parent if config.path is not None else Path.cwd()
    return base / ".skillkit_cache"


def cache_key(config: Config) -> str:
    """Everything besides the skill's own files that decides its findings (the selected rules
    are part of the configuration fingerprint; the rules' code is in `code_fingerprint`)."""
    h = hashlib.sha256()
    for part in (
        f"format={FORMAT}",
        __version__,
        config.fingerprint(),
        str(config.root),
        code_fingerprint(),
    ):
        h.update(part.encode() + b"\0")
    return h.hexdigest()


def encode_diagnostic(d: Diagnostic, root: Path) -> list[Any]:
    try:
        path = d.path.relative_to(root).as_posix()
        relative = True
    except ValueError:
        path, relative = str(d.path), False
    fix = None
    if d.fix is not None:
        fix = [d.fix.description, [[e.start, e.end, e.text] for e in d.fix.edits]]
    return [
        d.code, d.name, int(d.severity), d.message, path, relative,
        d.line, d.column, d.end_line, d.end_column, fix,
    ]  # fmt: skip


def decode_diagnostic(row: list[Any], root: Path) -> Diagnostic:
    code, name, sev, message, path, relative, line, col, end_line, end_col, fix = row
    return Diagnostic(
        code=code,
        name=name,
        severity=Severity(sev),
        message=message,
        path=root / path if relative else Path(path),
        line=line,
        column=col,
        end_line=end_line,
        end_column=end_col,
        fix=None if fix is None else Fix(fix[0], tuple(Edit(*e) for e in fix[1])),
    )


@dataclass
class Entry:
    """What the cache keeps about one skill folder."""

    stamp: str
    digest: str
    #: the skill's own findings, encoded by `encode_diagnostic`.
    diagnostics: list[list[Any]]
    #: what tree-wide rules need to see the skill without re-reading it (see `skillkit.lint.run`).
    summary: dict[str, Any]

    def to_json(self) -> list[Any]:
        return [self.stamp, self.digest, self.diagnostics, self.summary]

    @classmethod
    def from_json(cls, value: Any) -> Entry:
        stamp_, digest, diagnostics, summary = value
        if not (isinstance(stamp_, str) and isinstance(digest, str)):
            raise TypeError("bad entry")
        if not (isinstance(diagnostics, list) and isinstance(summary, dict)):
            raise TypeError("bad entry")
        return cls(stamp_, digest, diagnostics, summary)


@dataclass
class LintCache:
    """The cache file's content for one key; `load` never fails, `save` is atomic."""

    path: Path
    key: str
    entries: dict[str, Entry] = field(default_factory=dict)
    #: findings of tree-wide rules, valid for `tree_key` (all skills' digests).
    tree_key: str = ""
    tree_diagnostics: list[list[Any]] = field(default_factory=list)
    dirty: bool = False

    @classmethod
    def load(cls, cache_dir: Path, key: str) -> LintCache:
        cache = cls(cache_dir / CACHE_FILE, key)
        try:
            with open(cache.path, encoding="utf-8") as fh:
                doc = json.load(fh)
            if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("key") != key:
                return cache
            cache.entries = {k: Entry.from_json(v) for k, v in doc["skills"].items()}
            cache.tree_key = str(doc.get("tree_key", ""))
            tree = doc.get("tree_diagnostics", [])
            cache.tree_diagnostics = tree if isinstance(tree, list) else []
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            cache.entries = {}  # unreadable or corrupt: start afresh, never fail
        return cache

    def save(self) -> None:
        if not self.dirty:
            return
        from skillkit.fsutil import atomic_write_text  # tempfile: only when there is news

        doc = {
            "format": FORMAT,
            "key": self.key,
            "tree_key": self.tree_key,
            "tree_diagnostics": self.tree_diagnostics,
            "skills": {k: e.to_json() for k, e in sorted(self.entries.items())},
        }
        folder = self.path.parent
        fresh = not folder.exists()
        # A cache that cannot be written only costs speed next time.
        with contextlib.suppress(OSError):
            atomic_write_text(self.path, json.dumps(doc, separators=(",", ":")))
            if fresh:
                # Keep the cache out of version control without touching the user's .gitignore.
                (folder / ".gitignore").write_text("*\n", encoding="utf-8")
                (folder / "CACHEDIR.TAG").write_text(
                    "Signature: 8a477f597d28d172789f06886806bc55\n"
                    "# skillkit lint cache: safe to delete.\n",
                    encoding="utf-8",
                )
        self.dirty = False
