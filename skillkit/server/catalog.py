"""The served catalog: one loaded index, its search index, and a cache of verified content.

A `Catalog` is immutable from the outside: `--watch` builds a new one off to the side and
swaps the server's single reference, so a request that started on the old catalog finishes on
it. Archive content is verified lazily (on first use) or by the background `index_bodies`
pass, always through `Index.read_archive`, which checks the archive's and every file's sha256
before returning anything. Only verified bytes ever enter the cache.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import anyio
import anyio.to_thread

from skillkit.errors import SkillkitError
from skillkit.index import (
    DigestMismatch,
    Index,
    S3Options,
    SkillEntry,
    StoreError,
    VersionEntry,
    load,
)
from skillkit.index.store import LocalStore
from skillkit.server.search import Document, SearchBuilder, SearchIndex

SKILL_FILE = "SKILL.md"
#: verified archives kept in memory (each holds one skill's files).
CACHE_SIZE = 256
#: items per page of list_skills, resources and prompts unless --page-size says otherwise.
DEFAULT_PAGE_SIZE = 50
#: longest stretch the background pass runs before letting requests through.
SLICE_SECONDS = 0.001

Log = Callable[..., None]


class NotFound(SkillkitError):
    """The client asked for a skill, version or file the index does not have."""


class SkillUnavailable(SkillkitError):
    """A skill's archive is missing, unreadable or fails its digest: it is not served."""


def _quiet(event: str, level: str = "info", **fields: Any) -> None:
    return None


def split_body(text: str) -> str:
    """The Markdown body of a SKILL.md (the text after the closing frontmatter fence)."""
    if not text.startswith("---"):
        return text
    first = text.find("\n")
    if first < 0:
        return ""
    position = first + 1
    while True:
        end = text.find("\n", position)
        line = text[position:] if end < 0 else text[position:end]
        if line.rstrip() in ("---", "..."):
            return "" if end < 0 else text[end + 1 :]
        if end < 0:
            return text
        position = end + 1


@dataclass(frozen=True)
class FileInfo:
    path: str
    size: int
    tokens: int | None


class Catalog:
    """An index ready to serve; build with `Catalog.open` or `Catalog(index)`."""

    def __init__(self, index: Index, log: Log = _quiet, *, pinned: bool = False) -> None:
        """`pinned`: `index` holds exactly the versions to serve (a lockfile's), one a skill,
        served even when yanked."""
        self.index = index
        self.log = log
        #: the version `retrieve_skill(name)` serves: the latest non-yanked one.
        self.latest: dict[str, VersionEntry] = {}
        for name, skill in index.skills.items():
            if len(skill.versions) == 1:
                # The common case, without semver parsing: the only version, unless yanked.
                only = skill.versions[0]
                if pinned or not only.yanked:
                    self.latest[name] = only
                continue
            entry = skill.latest()
            if entry is not None:
                self.latest[name] = entry
        self.names: list[str] = sorted(self.latest)
        #: built on first use or by the background pass, so start-up does not wait for it.
        self._search: SearchIndex | None = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, str], dict[str, bytes]] = OrderedDict()
        #: versions whose content failed verification: never retried against the same index.
        self._broken: dict[tuple[str, str], str] = {}
        #: versions whose content passed verification (their bytes may have left the cache).
        self._good: set[tuple[str, str]] = set()
        #: versions whose archive could not be read last time (retried: it may come back).
        self._unreadable: set[tuple[str, str]] = set()
        self.bodies_indexed = False
        #: the one body-indexing pass, shared by the background task and a search that
        #: cannot wait for it (see `ensure_bodies`).
        self._pass: Iterator[None] | None = None
        self._pass_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        location: str,
        s3: S3Options | None = None,
        log: Log = _quiet,
        lock: Mapping[str, str] | None = None,
    ) -> Catalog:
        """Load and validate the index at `location` (raises `SkillkitError` when invalid).

        `lock` (name -> version, e.g. from skills.lock.json) serves exactly those versions.
        """
        index = load(location, s3=s3)
        if lock is None:
            return cls(index, log)
        return cls(pin(index, lock), log, pinned=True)

    def _in_order(self) -> list[VersionEntry]:
        return [self.latest[name] for name in self.names]

    # -- lookups -------------------------------------------------------------------------------
    @property
    def version_count(self) -> int:
        return sum(len(s.versions) for s in self.index.skills.values())

    def resolve(self, name: str, version: str | None = None) -> VersionEntry:
        """The entry for `name` (latest non-yanked) or `name@version` (any, even yanked)."""
        skill = self.index.skills.get(name)
        if skill is None:
            raise NotFound(
                f"no skill named {name!r} in this catalog; use search_skills or list_skills "
                "to find one"
            )
        if version is None:
            entry = self.latest.get(name)
            if entry is None:
                published = ", ".join(v.version for v in skill.versions)
                raise NotFound(
                    f"every version of {name} is yanked ({published}); pin one explicitly "
                    "with version= if you really need it"
                )
            return entry
        found = skill.get(version)
        if found is None:
            published = ", ".join(v.version for v in skill.versions)
            raise NotFound(f"{name} has no version {version!r} (published: {published})")
        return found

    def files(self, entry: VersionEntry) -> dict[str, bytes]:
        """relpath -> bytes of `entry`'s archive, verified; raises `SkillUnavailable`."""
        key = (entry.name, entry.version)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        files = self._verified(entry)
        with self._lock:
            self._cache[key] = files
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return files

    def _verified(self, entry: VersionEntry) -> dict[str, bytes]:
        key = (entry.name, entry.version)
        with self._lock:
            broken = self._broken.get(key)
        if broken is not None:
            raise SkillUnavailable(broken)
        try:
            files = self.index.read_archive(entry.name, entry.version)
        except StoreError as exc:
            # Possibly transient (network, permissions): tried again next time.
            with self._lock:
                self._unreadable.add(key)
            self.log(
                "archive_unreadable",
                "error",
                skill=entry.name,
                version=entry.version,
                archive=entry.archive,
                error=str(exc),
            )
            raise SkillUnavailable(
                f"{entry.ref} is unavailable: its archive cannot be read ({exc})"
            ) from None
        except SkillkitError as exc:
            what = "failed verification" if isinstance(exc, DigestMismatch) else "is invalid"
            message = (
                f"{entry.ref} is unavailable: its archive {what} ({exc}); "
                "it is not served until a good copy is published"
            )
            with self._lock:
                self._broken[key] = message
            self.log(
                "archive_rejected",
                "error",
                skill=entry.name,
                version=entry.version,
                archive=entry.archive,
                error=str(exc),
            )
            raise SkillUnavailable(message) from None
        with self._lock:
            self._good.add(key)
            self._unreadable.discard(key)
        return files

    def available(self, entry: VersionEntry) -> bool:
        """Whether `entry`'s content verifies (checked now, once, if it was not yet)."""
        key = (entry.name, entry.version)
        with self._lock:
            if key in self._good:
                return True
            if key in self._broken:
                return False
        try:
            self.files(entry)
        except SkillUnavailable:
            return False
        return True

    @property
    def served_count(self) -> int:
        """How many skills are served, leaving out those known to be unavailable."""
        with self._lock:
            down = self._broken.keys() | self._unreadable
            broken = sum(1 for e in self.latest.values() if (e.name, e.version) in down)
        return len(self.names) - broken

    def served(self, names: list[str]) -> list[VersionEntry]:
        """The served versions of `names` that are available, in order."""
        return [entry for name in names if self.available(entry := self.latest[name])]

    def file(self, entry: VersionEntry, path: str) -> bytes:
        if path not in {f.path for f in entry.files}:
            listed = ", ".join(f.path for f in entry.files)
            raise NotFound(f"{entry.ref} has no file {path!r} (files: {listed})")
        return self.files(entry)[path]

    def on_demand_files(self, entry: VersionEntry) -> list[FileInfo]:
        """Every file except SKILL.md: what an agent loads only when it needs it (L3)."""
        return [
            FileInfo(f.path, f.size, entry.tokens.files.get(f.path))
            for f in entry.files
            if f.path != SKILL_FILE
        ]

    # -- search --------------------------------------------------------------------------------
    @property
    def search_index(self) -> SearchIndex:
        """The current search index: metadata only at first, with bodies once indexed."""
        index = self._search
        if index is None:
            index = self._search = SearchIndex.build(
                Document(e.ref, e.name, e.description, e.tags) for e in self._in_order()
            )
        return index

    @property
    def local(self) -> bool:
        return isinstance(self.index.store, LocalStore)

    def body_steps(self, should_stop: Callable[[], bool] = lambda: False) -> Iterator[None]:
        """Read (and so verify) every served archive and re-index search with the bodies.

        A generator: it yields often, so `index_in_background` can serve requests between
        steps on the event loop. Until it finishes, search covers name, description and tags.
        Skills whose archive fails are found out (and logged) here, early; `search` then
        leaves them out.
        """
        started = time.monotonic()
        builder = SearchBuilder()
        failed = 0
        for entry in self._in_order():
            if should_stop():
                return
            body = ""
            try:
                body = split_body(self._read_uncached(entry).decode("utf-8", errors="replace"))
            except SkillUnavailable:
                failed += 1
            builder.add(Document(entry.ref, entry.name, entry.description, entry.tags, body))
            yield None
        for index in builder.finish_steps():
            if index is None:
                yield None
            else:
                self._search = index
        self.bodies_indexed = True
        self.log(
            "search_indexed",
            skills=len(self.names),
            unavailable=failed,
            seconds=round(time.monotonic() - started, 3),
        )

    def index_bodies(self, should_stop: Callable[[], bool] = lambda: False) -> None:
        """The body-indexing pass run to the end (library use, remote stores, in a thread)."""
        while not should_stop() and self.step_bodies():
            pass

    def step_bodies(self) -> bool:
        """Run one step of the body-indexing pass; False once it has finished."""
        with self._pass_lock:
            if self.bodies_indexed:
                return False
            if self._pass is None:
                self._pass = self.body_steps()
            try:
                next(self._pass)
            except StopIteration:
                return False
            return True

    def ensure_bodies(self) -> None:
        """Finish the body-indexing pass now, so search results never depend on timing.

        On a local store it takes tens of milliseconds for a few hundred skills.
        """
        self.index_bodies()

    async def index_in_background(
        self,
        should_stop: Callable[[], bool],
        idle: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Run `body_steps` on the event loop in short slices, at idle priority.

        Between slices it waits for `idle` (no request being handled), so requests run as if
        the pass were not there; a worker thread instead would hold the GIL ~5 ms at a time
        against every step of every request. Remote stores (S3, HTTPS) spend their time
        waiting on the network, so they run in a thread instead.
        """
        if not self.local:
            await anyio.to_thread.run_sync(
                lambda: self.index_bodies(should_stop), abandon_on_cancel=True
            )
            return
        deadline = time.perf_counter() + SLICE_SECONDS
        while not should_stop() and self.step_bodies():
            if time.perf_counter() >= deadline:
                await anyio.sleep(0)
                if idle is not None:
                    await idle()
                deadline = time.perf_counter() + SLICE_SECONDS

    def _read_uncached(self, entry: VersionEntry) -> bytes:
        # The background pass must not evict what clients are using: verify without caching.
        with self._lock:
            cached = self._cache.get((entry.name, entry.version))
        files = cached if cached is not None else self._verified(entry)
        return files.get(SKILL_FILE, b"")

    def search(
        self, query: str, limit: int, tags: list[str] | None = None
    ) -> list[tuple[VersionEntry, float]]:
        """Ranked (entry, score) pairs; scores are BM25 (higher is better).

        Versions whose archive is unavailable are left out: offering a skill that
        retrieve_skill then refuses would send an agent down a dead end. Unverified hits are
        verified here, so this can read archives until the background pass has run.
        """
        if limit <= 0:
            return []
        wanted = limit
        while True:
            with self._lock:
                broken = len(self._broken)
            hits = self.search_index.search(query, wanted + broken, tags)
            results = []
            for hit in hits:
                entry = self.latest.get(hit.key.split("@", 1)[0])
                if entry is not None and self.available(entry):
                    results.append((entry, hit.score))
                    if len(results) == limit:
                        return results
            if len(hits) < wanted + broken:
                return results  # every match seen
            # Hits turned out unavailable (verified just now, or unreadable): look further.
            wanted *= 2


def pin(index: Index, lock: Mapping[str, str]) -> Index:
    """`index` reduced to the versions in `lock` (name -> version); raises `SkillkitError`
    naming every locked version the index does not have."""
    missing = [
        f"{name}@{version}"
        for name, version in sorted(lock.items())
        if name not in index.skills or index.skills[name].get(version) is None
    ]
    if missing:
        raise SkillkitError(
            f"the index at {index.location} does not have the locked version"
            f"{'s' if len(missing) != 1 else ''} {', '.join(missing)}"
        )
    skills = {
        name: SkillEntry(name, (found,))
        for name, version in lock.items()
        if (found := index.skills[name].get(version)) is not None
    }
    return replace(index, skills=skills)
