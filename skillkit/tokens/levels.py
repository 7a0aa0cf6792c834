"""Token footprints per loading level (GUIDE: loading levels), batched, threaded and cached.

- **L1** (metadata): the skill's ``<skill>…</skill>`` entry in the ``<available_skills>`` block
  (see `skillkit.tokens.catalog`); the catalog's L1 total is the whole block (`catalog_tokens`).
- **L2** (activation): the whole SKILL.md, as the loader decoded it (a UTF-8 BOM is not counted).
- **L3** (on demand): every other file bundled in the skill folder (``references/``,
  ``scripts/``, ``assets/`` and loose files such as ``forms.md``): an agent may open any of them.
  Text files (UTF-8 without NUL bytes) are counted; binary or unreadable files get their size
  and ``tokens=None``.

Counts use ``encode_ordinary`` semantics: special-token strings count as plain text.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from skillkit.model import Skill, SkillFile
from skillkit.tokens.cache import (
    RACY_SECONDS,
    Count,
    DiskCache,
    default_cache_dir,
    memory,
    text_key,
)
from skillkit.tokens.catalog import (
    block_parts,
    catalog_line,
    entry_line,
    skill_entry,
    skill_name,
)
from skillkit.tokens.encoding import (
    DEFAULT_ENCODING,
    check_encoding_name,
    fast_encoder,
    get_encoding,
)

if TYPE_CHECKING:  # a run served from the cache never needs tiktoken itself
    import tiktoken


@dataclass(frozen=True)
class FileTokens:
    """One L3 file: its path inside the skill, byte size, and tokens (None: binary)."""

    relpath: str
    size: int
    tokens: int | None


@dataclass(frozen=True)
class Footprint:
    """What one skill costs an agent at each loading level, in tokens of `encoding`."""

    name: str
    encoding: str
    l1: int
    l2: int
    l3: tuple[FileTokens, ...]

    @property
    def l3_total(self) -> int:
        return sum(f.tokens for f in self.l3 if f.tokens is not None)

    @property
    def total(self) -> int:
        """Everything at once: L1 + L2 + all of L3 (the most a skill can cost)."""
        return self.l1 + self.l2 + self.l3_total


@dataclass(frozen=True)
class Known:
    """A skill measured on an earlier run whose folder has not changed since (see `folders`)."""

    footprint: Footprint
    #: its (name, description, location) in the ``<available_skills>`` block.
    line: tuple[str, str, str]


def _counter(enc: tiktoken.Encoding) -> Callable[[str], int]:
    """A token counter that holds the GIL as little as possible, so threads scale."""
    encode = fast_encoder(enc)
    return lambda text: len(encode(text))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _decode_text(data: bytes) -> str | None:
    """The text of a bundled file, or None when it is binary (NUL bytes or not UTF-8)."""
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


class _Batch:
    """Resolve counts for many texts: cache first, then threads for the misses."""

    def __init__(
        self,
        encoding: str,
        pool: ThreadPoolExecutor | None,
        disk: DiskCache | None,
        use_memory: bool,
    ) -> None:
        self.encoding = encoding
        self._count: Callable[[str], int] | None = None
        self.pool = pool
        self.disk = disk
        self.memory: dict[str, Count] = memory(encoding) if use_memory else {}
        self.pending: dict[str, Future[int]] = {}
        #: files changed after this (ns since the epoch) are not remembered by stat.
        self.racy_ns = time.time_ns() - int(RACY_SECONDS * 1e9)

    def count(self, text: str) -> int:
        """Count now, building the encoder on first use (in the calling thread)."""
        return self.counter()(text)

    def counter(self) -> Callable[[str], int]:
        if self._count is None:
            self._count = _counter(get_encoding(self.encoding))
        return self._count

    def lookup(self, key: str) -> tuple[bool, Count]:
        if key in self.memory:
            if self.disk is not None and not self.disk.get(key)[0]:
                self.disk.put(key, self.memory[key])
            return True, self.memory[key]
        if self.disk is not None:
            hit, value = self.disk.get(key)
            if hit:
                self.memory[key] = value
                return True, value
        return False, None

    def store(self, key: str, value: Count) -> None:
        self.memory[key] = value
        if self.disk is not None:
            self.disk.put(key, value)

    def text(self, text: str) -> str:
        """Queue `text` (a decoded SKILL.md or entry); returns its key."""
        key = text_key(text)
        self._queue(key, lambda: text)
        return key

    def blob(self, data: bytes) -> str:
        """Queue a bundled file's bytes; binary files resolve to None at once."""
        key = "b:" + _sha(data)
        self._queue(key, lambda: _decode_text(data))
        return key

    def _queue(self, key: str, text_of: Callable[[], str | None]) -> None:
        if key in self.pending or self.lookup(key)[0]:
            return
        text = text_of()
        if text is None:
            self.store(key, None)
        elif self.pool is None:
            self.store(key, self.count(text))
        else:
            self.pending[key] = self.pool.submit(self.counter(), text)

    def result(self, key: str) -> Count:
        future = self.pending.pop(key, None)
        if future is not None:
            self.store(key, future.result())
        return self.memory[key]


@dataclass
class _Plan:
    skill: Skill
    l1: str
    l2: str
    files: list[tuple[str, int, str | None]]


def _file_key(f: SkillFile, batch: _Batch) -> tuple[int, str | None]:
    """Size and content key of a bundled file (None: unreadable); unchanged files known to
    the disk cache by their stat signature are not read at all."""
    disk = batch.disk
    if disk is None:
        try:
            data = f.read_bytes()
        except OSError:
            return f.size, None
        return len(data), batch.blob(data)
    try:
        st = os.stat(f.path)
        path = os.path.abspath(f.path)
        sig = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        key = disk.key_for_stat(path, sig)
        if key is not None and batch.lookup(key)[0]:
            return st.st_size, key
        data = f.read_bytes()
    except OSError:
        return f.size, None
    key = batch.blob(data)
    if len(data) == st.st_size and max(st.st_mtime_ns, st.st_ctime_ns) < batch.racy_ns:
        disk.remember_stat(path, sig, key)
    return len(data), key


def _plan(skill: Skill, batch: _Batch) -> _Plan:
    files: list[tuple[str, int, str | None]] = []
    for f in skill.files:
        size, key = _file_key(f, batch)
        files.append((f.relpath, size, key))
    return _Plan(skill, batch.text(skill_entry(skill)), batch.text(skill.text), files)


def _finish(plan: _Plan, batch: _Batch, encoding: str) -> Footprint:
    l1, l2 = batch.result(plan.l1), batch.result(plan.l2)
    l3 = tuple(
        FileTokens(relpath, size, None if key is None else batch.result(key))
        for relpath, size, key in plan.files
    )
    return Footprint(skill_name(plan.skill), encoding, l1 or 0, l2 or 0, l3)


def footprint(skill: Skill, encoding: str = DEFAULT_ENCODING) -> Footprint:
    """The footprint of one skill (counts are shared through the in-memory cache)."""
    batch = _Batch(encoding, None, None, use_memory=True)
    return _finish(_plan(skill, batch), batch, encoding)


def footprints(
    skills: Sequence[Skill],
    encoding: str = DEFAULT_ENCODING,
    *,
    cache: bool = True,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Footprint]:
    """Footprints of many skills, in order: uncached texts are encoded on `workers` threads.

    With `cache` (the default), counts come from and go to the in-memory cache and the disk
    cache in `cache_dir` (default: ``.skillkit_cache/tokens`` beside the skillkit
    configuration, else in the working folder). `progress` is called with 1 per finished skill.
    """
    return footprints_and_catalog(
        skills,
        encoding,
        cache=cache,
        cache_dir=cache_dir,
        workers=workers,
        progress=progress,
        catalog=False,
    )[0]


def footprints_and_catalog(
    skills: Sequence[Skill],
    encoding: str = DEFAULT_ENCODING,
    *,
    cache: bool = True,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    catalog: bool = True,
) -> tuple[list[Footprint], int]:
    """`footprints`, plus (with `catalog`) `catalog_tokens` counted in the same batch and cache.

    Returns the footprints and the catalog's L1 total (0 without `catalog`).
    """
    check_encoding_name(encoding)  # fail early on a name tiktoken does not know
    disk: DiskCache | None = None
    if cache:
        disk = DiskCache(cache_dir or default_cache_dir(), encoding)
        disk.load()
    results, total = measure_items(
        skills,
        encoding,
        disk,
        use_memory=cache,
        workers=workers,
        progress=progress,
        catalog=catalog,
    )
    if disk is not None:
        disk.save()
    return results, total


def measure_items(
    items: Sequence[Skill | Known],
    encoding: str,
    disk: DiskCache | None,
    *,
    use_memory: bool,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    catalog: bool = True,
) -> tuple[list[Footprint], int]:
    """`footprints_and_catalog` over loaded skills and `Known` ones, with `disk` open (the
    caller loads and saves it). A `Known` skill's footprint is taken as it is."""
    n_workers = workers or _workers()
    with ThreadPoolExecutor(max_workers=n_workers, thread_name_prefix="skillkit-tokens") as pool:
        batch = _Batch(encoding, pool, disk, use_memory=use_memory)
        block: list[str] = []  # the keys of the block's parts (see `block_parts`)
        if catalog:
            lines = [i.line if isinstance(i, Known) else catalog_line(i) for i in items]
            block = [batch.text(part) for part in block_parts(list(map(entry_line, lines)))]
        plans = [i if isinstance(i, Known) else _plan(i, batch) for i in items]
        results = []
        for plan in plans:
            if isinstance(plan, Known):
                results.append(plan.footprint)
            else:
                results.append(_finish(plan, batch, encoding))
            if progress is not None:
                progress(1)
        total = sum(batch.result(key) or 0 for key in block)
    return results, total


def catalog_tokens(skills: Sequence[Skill], encoding: str = DEFAULT_ENCODING) -> int:
    """Tokens of the whole ``<available_skills>`` block listing `skills`: what every
    conversation pays (more than the sum of the entries: the wrapper and newlines count too)."""
    return catalog_counts(skills, encoding)[0]


def catalog_counts(
    skills: Sequence[Skill], encoding: str = DEFAULT_ENCODING
) -> tuple[int, list[int]]:
    """The block's total and each skill's `entry_line` count, through the in-memory cache: the
    total is the sum of the block's parts (see `block_parts`), so a cached entry is not
    counted again."""
    parts = block_parts([entry_line(catalog_line(s)) for s in skills])
    counts = [cached_count(part, encoding) for part in parts]
    return sum(counts), counts[1:-1]


def cached_count(text: str, encoding: str = DEFAULT_ENCODING) -> int:
    """`count_tokens` through the in-memory cache (the key is the text's sha256)."""
    batch = _Batch(encoding, None, None, use_memory=True)
    return batch.result(batch.text(text)) or 0
