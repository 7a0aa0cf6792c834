"""`build()`: lint a skills tree, package each skill at its ``metadata.version``, and write
``index.json`` + ``archives/`` into the output folder, merging into an existing index.

Determinism: archives take their mtime from SOURCE_DATE_EPOCH (else 1980-01-01), so they are
byte-identical across builds. Index timestamps (``published_at`` of new versions and
``generated_at``) come from SOURCE_DATE_EPOCH when set, else from the clock; an index whose
content does not change is not rewritten, so a rebuild leaves it byte-identical either way.

Incremental: a cache in ``OUTPUT/.skillkit-cache/build.json`` maps each skill's content hash to
its archive digest and footprint, so unchanged skills are neither re-packed nor re-measured.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import semver

from skillkit.config import Config, load_config
from skillkit.diagnostics import Diagnostic, Severity
from skillkit.errors import SkillkitError
from skillkit.frontmatter import as_json
from skillkit.fsutil import atomic_write_bytes, file_in_the_way, file_message, missing_message
from skillkit.index.archive import Member, archive_mtime, pack_archive
from skillkit.index.build_findings import lint_cached
from skillkit.index.clock import utc_now
from skillkit.index.errors import BuildError, IndexError_
from skillkit.index.footprint import measure
from skillkit.index.load import load, parse, serialize
from skillkit.index.merge import merge
from skillkit.index.model import AwsNeeds, FileEntry, Index, Tokens, VersionEntry
from skillkit.index.ranges import RangeError, parse_requires
from skillkit.index.resolve import check as check_requires
from skillkit.index.store import (
    INDEX_NAME,
    LocalStore,
    S3Options,
    local_path,
    open_location,
    write_public,
)
from skillkit.loader import load_skills
from skillkit.model import Skill

CACHE_DIR = ".skillkit-cache"
_CACHE_VERSION = 1
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

Progress = Callable[[int, int, str], None]
#: lint rules whose findings stop a build even as warnings: SK110 (version-not-semver).
BUILD_BLOCKING = frozenset({"SK110"})


class LintFailed(BuildError):
    """Lint found errors: the build stops and the findings are shown."""

    def __init__(
        self,
        diagnostics: Sequence[Diagnostic],
        skills_checked: int = 0,
        roots: Sequence[Path] = (),
    ) -> None:
        count = len(diagnostics)
        blocking = any(d.code in BUILD_BLOCKING for d in diagnostics)
        hint = (
            " (a version must be semver to be packaged: `skillkit lint --fix` completes a "
            "short one, 1 -> 1.0.0)"
            if blocking
            else ""
        )
        super().__init__(
            f"build stopped: lint found {count} error{'s' if count != 1 else ''}{hint}; "
            "fix them (see `skillkit lint`) and build again"
        )
        self.diagnostics = list(diagnostics)
        self.skills_checked = skills_checked
        self.roots = list(roots)


@dataclass
class BuildResult:
    index: Index
    index_path: Path
    #: versions new in this build, and versions already in the index with the same content.
    added: list[VersionEntry] = field(default_factory=list)
    unchanged: list[VersionEntry] = field(default_factory=list)
    #: skills packed and measured now vs taken from the build cache.
    packed: int = 0
    reused: int = 0
    #: lint findings (errors only with `allow_lint_errors`), for the caller to show.
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: the folders of the skills that were linted, for the findings' summary.
    roots: list[Path] = field(default_factory=list)
    #: whether index.json was (re)written.
    wrote_index: bool = False
    #: archives of already-published versions missing from the output that could not be
    #: recreated byte-for-byte (built at another SOURCE_DATE_EPOCH): restore them from the
    #: published copy.
    missing: list[str] = field(default_factory=list)


def _aws_needs(skill: Skill) -> AwsNeeds | None:
    from skillkit.iam import catalog_version, declared_needs

    found = declared_needs(skill)
    if found is None:
        return None
    return AwsNeeds(found[0], found[1], catalog_version())


def archive_relpath(name: str, version: str) -> str:
    return f"archives/{name}/{name}-{version}.tar.gz"


def build(
    skills_dir: Path = Path("skills"),
    output: Path = Path("dist"),
    *,
    index: str | None = None,
    config: Config | None = None,
    allow_lint_errors: bool = False,
    s3: S3Options | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build `skills_dir` into `output`; merge into `index` (default: OUTPUT/index.json).

    Raises `LintFailed`, `BuildError` (missing version, immutability, dependencies) or
    `SkillkitError` for unusable input; writes nothing in those cases.
    """
    skills_dir = Path(skills_dir)
    output = Path(output)
    if not skills_dir.exists():
        raise SkillkitError(
            f"{missing_message(skills_dir)}; pass the folder holding your skills "
            "(`skillkit build SKILLS_DIR`)"
        )
    if not skills_dir.is_dir():
        raise SkillkitError(
            f"{file_message(skills_dir)}; pass the folder holding your skills "
            "(`skillkit build SKILLS_DIR`)"
        )
    blocker = file_in_the_way(output)
    if blocker is not None:
        raise SkillkitError(f"{file_message(blocker)}: cannot build into {output}")
    if index is not None and (index_path := local_path(index)) is not None:
        blocker = file_in_the_way(index_path, itself=False)
        if blocker is not None:
            raise SkillkitError(f"{file_message(blocker)}: --index {index}")
    config = config or load_config(skills_dir)
    cache = _Cache(output / CACHE_DIR / "build.json", config.encoding, archive_mtime())
    loaded = load_skills([skills_dir], exclude=config.exclude, max_file_size=config.max_file_size)
    for problem in loaded.problems:
        raise SkillkitError(problem.message)
    diagnostics = lint_cached(loaded.skills, config, cache, progress)
    errors = [d for d in diagnostics if d.severity >= Severity.ERROR]
    # A warning for lint, but no archive can be made of it: the build stops on the same finding.
    errors += [
        replace(d, severity=Severity.ERROR)
        for d in diagnostics
        if d.code in BUILD_BLOCKING and d.severity < Severity.ERROR
    ]
    errors.sort(key=Diagnostic.sort_key)
    if errors and not allow_lint_errors:
        # Nothing is written, not even the cache.
        raise LintFailed(errors, len(loaded.skills), [s.root for s in loaded.skills])

    base, base_is_output = _base_index(index, output, config.encoding, s3, cache.index_sha256)
    now = utc_now()
    entries: list[VersionEntry] = []
    archives: dict[str, bytes] = {}
    problems: list[str] = []
    result = BuildResult(
        base, output / INDEX_NAME, diagnostics=diagnostics, roots=[s.root for s in loaded.skills]
    )
    skills = loaded.skills
    for done, skill in enumerate(skills, 1):
        if progress:
            progress(done, len(skills), f"package {skill.name or skill.dir_name}")
        checked = _identity(skill, problems)
        if checked is None:
            continue
        name, version = checked
        try:
            requires = parse_requires(skill.requires_text)
        except RangeError as exc:
            problems.append(f"{skill.skill_md}: metadata.requires: {exc}")
            continue
        cached = cache.get(skill.digest)
        relpath = archive_relpath(name, version)
        if cached is not None and cached["name"] == name and cached["version"] == version:
            sha256, size = cached["sha256"], cached["size"]
            files = tuple(FileEntry(**f) for f in cached["files"])
            t = cached["tokens"]
            tokens = Tokens(t["l1"], t["l2"], t["l3"], t["files"])
            result.reused += 1
        else:
            data, files = _pack(skill, name)
            sha256, size = hashlib.sha256(data).hexdigest(), len(data)
            tokens = measure(skill, config.encoding)
            archives[relpath] = data
            cache.put(skill.digest, name, version, sha256, size, files, tokens)
            result.packed += 1
        entries.append(
            VersionEntry(
                name=name,
                version=version,
                archive=relpath,
                sha256=sha256,
                size=size,
                description=skill.description or "",
                tags=skill.tags,
                requires=requires,
                tokens=tokens,
                files=files,
                published_at=now,
                aws=_aws_needs(skill),
                frontmatter=as_json(skill.frontmatter.data),
            )
        )
    if problems:
        raise BuildError(
            f"cannot build {len(problems)} skill{'s' if len(problems) != 1 else ''}:\n"
            + "\n".join(f"  - {p}" for p in problems),
            tuple(problems),
        )
    _check_duplicates(entries, skills)
    merged = merge(base, entries)
    check_requires(merged.index, entries)
    result.added, result.unchanged = merged.added, merged.unchanged

    # Archives first, the index last: a reader never sees an index naming a missing archive.
    added = {entry.ref for entry in merged.added}
    by_name = {skill.name: skill for skill in skills}
    for entry in merged.added + merged.unchanged:
        target = output / entry.archive
        is_new = entry.ref in added
        if is_new and entry.archive in archives:
            _write_if_different(target, archives[entry.archive])
        elif not _archive_present(target, entry) and (base_is_output or is_new):
            # Missing from the output (deleted, or cached from an earlier build): repack it;
            # an unchanged version keeps its published bytes, so only identical ones are written.
            data = archives.get(entry.archive) or _pack(by_name[entry.name], entry.name)[0]
            if hashlib.sha256(data).hexdigest() == entry.sha256:
                write_public(target, data)
            elif base_is_output:
                result.missing.append(entry.archive)
    if not base_is_output:
        # Merged into an index kept elsewhere: copy the archives of its other versions too
        # (digest-checked), so the output is self-contained: verify, docs and publish work.
        for skill_entry in merged.index.skills.values():
            for entry in skill_entry.versions:
                target = output / entry.archive
                if entry.ref not in added and not _archive_present(target, entry):
                    data = base.read_archive_bytes(entry.name, entry.version)
                    _write_if_different(target, data)
    final = merged.index
    index_path = output / INDEX_NAME
    previous = index_path.read_bytes() if index_path.is_file() else None
    if merged.changed or previous is None or not base_is_output:
        if merged.changed or base.generation == 0:
            final = replace(final, generation=base.generation + 1, generated_at=now)
        payload = serialize(final)
        if payload != previous:
            # Compare-and-swap against the index this build merged into: a concurrent build
            # into the same folder must not silently drop the other's versions.
            expected = base.etag if base_is_output else None
            if base_is_output:
                if LocalStore(output).write_if(INDEX_NAME, payload, expected) is None:
                    raise SkillkitError(
                        f"{index_path} changed while this build ran (another build or a "
                        "yank?); run the build again to merge with it"
                    )
            else:
                write_public(index_path, payload)
            result.wrote_index = True
        cache.set_index(payload)
    elif previous is not None:
        cache.set_index(previous)
    cache.save()
    result.index = replace(final, location=str(index_path), store=LocalStore(output))
    return result


def _identity(skill: Skill, problems: list[str]) -> tuple[str, str] | None:
    name = skill.name
    where = skill.skill_md
    if not name or not _NAME.match(name):
        problems.append(f"{where}: needs a valid `name` (lowercase letters, digits, hyphens)")
        return None
    version = skill.version
    if version is None:
        hint = (
            " (found a top-level `version:`; move it under `metadata:`)"
            if ("version" in skill.frontmatter.data)
            else ""
        )
        problems.append(
            f"{where}: {name} has no metadata.version; add it to the frontmatter, e.g.\n"
            f'      metadata:\n        version: "1.0.0"{hint}'
        )
        return None
    try:
        semver.Version.parse(version)
    except ValueError:
        problems.append(f"{where}: metadata.version {version!r} is not semver (e.g. 1.0.0)")
        return None
    return name, version


def _check_duplicates(entries: list[VersionEntry], skills: list[Skill]) -> None:
    seen: dict[str, VersionEntry] = {}
    for entry in entries:
        if entry.name in seen:
            raise BuildError(
                f"two skills are named {entry.name!r} in this tree; skill names must be unique"
            )
        seen[entry.name] = entry


def _pack(skill: Skill, name: str) -> tuple[bytes, tuple[FileEntry, ...]]:
    members = [Member("SKILL.md", skill.raw, _executable(skill.skill_md))]
    for f in skill.files:
        members.append(Member(f.relpath, f.read_bytes(), _executable(f.path)))
    files = tuple(
        FileEntry(m.relpath, len(m.data), hashlib.sha256(m.data).hexdigest())
        for m in sorted(members, key=lambda m: (m.relpath != "SKILL.md", m.relpath))
    )
    return pack_archive(name, members), files


def _executable(path: Path) -> bool:
    try:
        return bool(path.stat().st_mode & 0o111)
    except OSError:
        return False


def _archive_present(path: Path, entry: VersionEntry) -> bool:
    try:
        return path.stat().st_size == entry.size
    except OSError:
        return False


def _write_if_different(path: Path, data: bytes) -> None:
    with contextlib.suppress(OSError):
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    write_public(path, data)


def _base_index(
    location: str | None,
    output: Path,
    encoding: str,
    s3: S3Options | None,
    trusted_sha256: str | None,
) -> tuple[Index, bool]:
    """The index to merge into, and whether it is the output folder's own index."""
    own = output / INDEX_NAME
    own_is_base = location is None
    if location is not None:
        store, key = open_location(location, s3)
        own_is_base = isinstance(store, LocalStore) and (store.root / key).resolve() == (
            own.resolve()
        )
    if own_is_base:
        if not own.is_file():
            return Index.empty(encoding, utc_now()), True
        data = own.read_bytes()
        # The index this build wrote last time (same bytes): already validated then; schema
        # validation of a large index dominates an incremental build, so skip it.
        trusted = trusted_sha256 is not None and hashlib.sha256(data).hexdigest() == trusted_sha256
        store = LocalStore(output)
        etag = hashlib.sha256(data).hexdigest()
        return parse(data, str(own), store=store, etag=etag, validate=not trusted), True
    assert location is not None
    try:
        return load(location, s3=s3), False
    except IndexError_ as exc:
        if store.exists(key):
            raise
        raise BuildError(f"--index {location}: {exc}") from None


class _Cache:
    """Content hash -> archive digest, size, files and footprint of a skill already built."""

    def __init__(self, path: Path, encoding: str, mtime: int) -> None:
        self.path = path
        self.salt = f"{_CACHE_VERSION}:{encoding}:{mtime}"
        self.entries: dict[str, Any] = {}
        self.used: set[str] = set()
        self.lint: dict[str, Any] = {}
        self.lint_used: set[str] = set()
        self.index_sha256: str | None = None
        self._saved_index_sha256: str | None = None
        self.dirty = False
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("salt") == self.salt:
                self.entries = data.get("entries", {})
                self.lint = data.get("lint", {})
                self.index_sha256 = data.get("index_sha256")
                self._saved_index_sha256 = self.index_sha256

    def lint_get(self, key: str) -> list[dict[str, Any]] | None:
        found = self.lint.get(key)
        if not isinstance(found, list):
            return None
        self.lint_used.add(key)
        return found

    def lint_put(self, key: str, diagnostics: list[dict[str, Any]]) -> None:
        self.lint[key] = diagnostics
        self.lint_used.add(key)
        self.dirty = True

    def set_index(self, payload: bytes) -> None:
        self.index_sha256 = hashlib.sha256(payload).hexdigest()

    def get(self, digest: str) -> dict[str, Any] | None:
        found = self.entries.get(digest)
        if not isinstance(found, dict):
            return None
        self.used.add(digest)
        return found

    def put(
        self,
        digest: str,
        name: str,
        version: str,
        sha256: str,
        size: int,
        files: tuple[FileEntry, ...],
        tokens: Tokens,
    ) -> None:
        self.entries[digest] = {
            "name": name,
            "version": version,
            "sha256": sha256,
            "size": size,
            "files": [f.to_json() for f in files],
            "tokens": tokens.to_json(),
        }
        self.used.add(digest)
        self.dirty = True

    def save(self) -> None:
        # Keep only what this build used, so the cache does not grow without bound.
        if (
            not self.dirty
            and len(self.used) == len(self.entries)
            and len(self.lint_used) == len(self.lint)
            and self.index_sha256 == self._saved_index_sha256
        ):
            return
        payload = json.dumps(
            {
                "salt": self.salt,
                "index_sha256": self.index_sha256,
                "entries": {k: v for k, v in self.entries.items() if k in self.used},
                "lint": {k: v for k, v in self.lint.items() if k in self.lint_used},
            },
            sort_keys=True,
        )
        with contextlib.suppress(OSError):
            atomic_write_bytes(self.path, payload.encode("utf-8"))
