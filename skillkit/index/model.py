"""The index as typed, frozen data: what `skillkit build` writes and every reader trusts.

`Index.from_json` expects data already validated against ``index.schema.json`` (see `load`);
`to_json` writes the canonical form, so serialising the same index twice gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import semver

from skillkit.index.errors import DigestMismatch, IndexError_

if TYPE_CHECKING:
    from skillkit.index.store import Store

FORMAT_VERSION = 1


def version_key(version: str) -> tuple[int, semver.Version | None, str]:
    """Sort key ordering versions by semver precedence (invalid ones first, by text)."""
    try:
        return (1, semver.Version.parse(version), version)
    except ValueError:
        return (0, None, version)


@dataclass(frozen=True)
class Requirement:
    """A dependency as recorded in the index: another skill's name and a semver range."""

    name: str
    range: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "range": self.range}


@dataclass(frozen=True)
class FileEntry:
    """One file of an archive: its path inside the skill folder, size and sha256."""

    path: str
    size: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


@dataclass(frozen=True)
class Tokens:
    """Token footprint per loading level; ``files`` maps L3 files to tokens (None: binary)."""

    l1: int
    l2: int
    l3: int
    files: Mapping[str, int | None] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "l1": self.l1,
            "l2": self.l2,
            "l3": self.l3,
            "files": dict(sorted(self.files.items())),
        }


@dataclass(frozen=True)
class AwsNeeds:
    """What a version declares it needs on AWS: IAM actions (``?`` marks optional ones), where
    its scripts run, and the IAM catalog version the actions were checked against."""

    actions: tuple[str, ...]
    runtime: str | None = None
    catalog: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"actions": list(self.actions), "runtime": self.runtime, "catalog": self.catalog}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AwsNeeds:
        return cls(tuple(data["actions"]), data.get("runtime"), data.get("catalog"))


@dataclass(frozen=True)
class VersionEntry:
    """One published, immutable version of a skill."""

    name: str
    version: str
    #: path of the archive relative to the index's location.
    archive: str
    sha256: str
    size: int
    description: str
    tags: tuple[str, ...]
    requires: tuple[Requirement, ...]
    tokens: Tokens
    files: tuple[FileEntry, ...]
    published_at: str
    yanked: bool = False
    yanked_reason: str | None = None
    deprecated: bool = False
    deprecated_reason: str | None = None
    #: the declared AWS needs (``metadata.aws-actions`` / ``aws-runtime``) and the IAM catalog
    #: version they were checked against; None when the skill declares none.
    aws: AwsNeeds | None = None
    #: the SKILL.md frontmatter exactly as the author wrote it, as JSON (None: an index
    #: built before skillkit recorded it).
    frontmatter: Mapping[str, Any] | None = field(default=None, compare=False)

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    def same_content(self, other: VersionEntry) -> bool:
        return self.sha256 == other.sha256

    def with_flags(self, **flags: Any) -> VersionEntry:
        return replace(self, **flags)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": self.version,
            "archive": self.archive,
            "sha256": self.sha256,
            "size": self.size,
            "description": self.description,
            "tags": list(self.tags),
            "requires": [r.to_json() for r in self.requires],
            "tokens": self.tokens.to_json(),
            "files": [f.to_json() for f in self.files],
            "published_at": self.published_at,
            "yanked": self.yanked,
            "yanked_reason": self.yanked_reason,
            "deprecated": self.deprecated,
            "deprecated_reason": self.deprecated_reason,
            **({"aws": self.aws.to_json()} if self.aws is not None else {}),
        }
        if self.frontmatter is not None:
            data["frontmatter"] = self.frontmatter
        return data

    @classmethod
    def from_json(cls, name: str, data: Mapping[str, Any]) -> VersionEntry:
        tokens = data["tokens"]
        return cls(
            name=name,
            version=data["version"],
            archive=data["archive"],
            sha256=data["sha256"],
            size=data["size"],
            description=data["description"],
            tags=tuple(data["tags"]),
            requires=tuple(Requirement(r["name"], r["range"]) for r in data["requires"]),
            tokens=Tokens(tokens["l1"], tokens["l2"], tokens["l3"], dict(tokens["files"])),
            files=tuple(FileEntry(f["path"], f["size"], f["sha256"]) for f in data["files"]),
            published_at=data["published_at"],
            yanked=data["yanked"],
            yanked_reason=data["yanked_reason"],
            deprecated=data["deprecated"],
            deprecated_reason=data["deprecated_reason"],
            aws=AwsNeeds.from_json(data["aws"]) if data.get("aws") is not None else None,
            frontmatter=data.get("frontmatter"),
        )


@dataclass(frozen=True)
class SkillEntry:
    """Every published version of one skill, oldest (lowest semver) first."""

    name: str
    versions: tuple[VersionEntry, ...]

    def get(self, version: str) -> VersionEntry | None:
        for entry in self.versions:
            if entry.version == version:
                return entry
        return None

    def latest(self, include_yanked: bool = False) -> VersionEntry | None:
        """The highest version; yanked ones only with `include_yanked`.

        Stable releases win over pre-releases, as pip and npm pick them.
        """
        candidates = [v for v in self.versions if include_yanked or not v.yanked]
        if not candidates:
            return None
        stable = [v for v in candidates if not _is_prerelease(v.version)]
        return max(stable or candidates, key=lambda v: version_key(v.version))

    def to_json(self) -> dict[str, Any]:
        ordered = sorted(self.versions, key=lambda v: version_key(v.version))
        return {"versions": [v.to_json() for v in ordered]}


def _is_prerelease(version: str) -> bool:
    try:
        return semver.Version.parse(version).prerelease is not None
    except ValueError:
        return False


@dataclass(frozen=True)
class Index:
    """A loaded index. Archive reads go through the store it came from and verify digests."""

    generation: int
    generated_at: str
    encoding: str
    skills: Mapping[str, SkillEntry]
    format_version: int = FORMAT_VERSION
    #: where it was loaded from (None: built in memory).
    location: str | None = None
    #: the storage's version token for the index (ETag / content hash): changes on every write.
    etag: str | None = None
    store: Store | None = field(default=None, compare=False, repr=False)

    # -- reading -------------------------------------------------------------------------------
    def entry(self, name: str, version: str) -> VersionEntry:
        skill = self.skills.get(name)
        found = skill.get(version) if skill else None
        if found is None:
            known = ", ".join(v.version for v in skill.versions) if skill else ""
            hint = f" (published: {known})" if known else " (no such skill in the index)"
            raise IndexError_(f"{name}@{version} is not in the index{hint}")
        return found

    def read_archive_bytes(self, name: str, version: str) -> bytes:
        """The archive's bytes, after checking them against the recorded sha256."""
        entry = self.entry(name, version)
        if self.store is None:
            raise IndexError_("this index was not loaded from storage: it has no archives")
        data = self.store.read(entry.archive)
        actual = hashlib.sha256(data).hexdigest()
        if actual != entry.sha256:
            raise DigestMismatch(f"archive of {entry.ref} ({entry.archive})", entry.sha256, actual)
        return data

    def read_archive(self, name: str, version: str) -> dict[str, bytes]:
        """relpath -> content of every file of `name@version`, all digests verified first."""
        return self.unpack_verified(
            self.entry(name, version), self.read_archive_bytes(name, version)
        )

    def unpack_verified(self, entry: VersionEntry, data: bytes) -> dict[str, bytes]:
        """relpath -> content of archive `data` (already checked against `entry.sha256`), each
        file checked against the index's list: the same names, every sha256 matching."""
        from skillkit.index.archive import unpack_archive

        files = unpack_archive(data, entry.name)
        expected = {f.path: f for f in entry.files}
        if set(files) != set(expected):
            extra = sorted(set(files) - set(expected))
            missing = sorted(set(expected) - set(files))
            raise IndexError_(
                f"archive of {entry.ref} does not hold the files the index lists "
                f"(unexpected: {extra or 'none'}; missing: {missing or 'none'})"
            )
        for path, content in files.items():
            actual = hashlib.sha256(content).hexdigest()
            if actual != expected[path].sha256:
                raise DigestMismatch(f"{path} in {entry.ref}", expected[path].sha256, actual)
        return files

    def read_file(self, name: str, version: str, relpath: str) -> bytes:
        files = self.read_archive(name, version)
        if relpath not in files:
            raise IndexError_(
                f"{name}@{version} has no file {relpath!r} (files: {', '.join(sorted(files))})"
            )
        return files[relpath]

    # -- writing -------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "generation": self.generation,
            "generated_at": self.generated_at,
            "encoding": self.encoding,
            "skills": {name: self.skills[name].to_json() for name in sorted(self.skills)},
        }

    def dumps(self) -> bytes:
        """The canonical serialisation: stable key order, two-space indent, final newline."""
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False)
        return (text + "\n").encode("utf-8")

    def content_equal(self, other: Index) -> bool:
        """Same skills and versions (ignoring generation and timestamp)."""
        mine = self.to_json()["skills"]
        theirs = other.to_json()["skills"]
        return bool(mine == theirs) and self.encoding == other.encoding

    @classmethod
    def from_json(
        cls,
        data: Mapping[str, Any],
        *,
        location: str | None = None,
        etag: str | None = None,
        store: Store | None = None,
    ) -> Index:
        skills = {
            name: SkillEntry(
                name,
                tuple(
                    sorted(
                        (VersionEntry.from_json(name, v) for v in body["versions"]),
                        key=lambda v: version_key(v.version),
                    )
                ),
            )
            for name, body in data["skills"].items()
        }
        return cls(
            generation=data["generation"],
            generated_at=data["generated_at"],
            encoding=data["encoding"],
            skills=skills,
            format_version=data["format_version"],
            location=location,
            etag=etag,
            store=store,
        )

    @classmethod
    def empty(cls, encoding: str, generated_at: str) -> Index:
        return cls(generation=0, generated_at=generated_at, encoding=encoding, skills={})
