"""Immutability: merging new versions into an index never changes a published version.

A version is identified by ``name@version``; its content by the (path, sha256) of every file
(not the archive bytes, whose timestamps depend on SOURCE_DATE_EPOCH). Re-adding a version with
the same content is a no-op; with different content it is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from skillkit.index.errors import ImmutableVersionError
from skillkit.index.model import Index, SkillEntry, VersionEntry, version_key


def content_key(entry: VersionEntry) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((f.path, f.sha256) for f in entry.files))


@dataclass
class MergeResult:
    index: Index
    added: list[VersionEntry] = field(default_factory=list)
    unchanged: list[VersionEntry] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added)


def conflict_message(old: VersionEntry, new: VersionEntry) -> str:
    return (
        f"{old.ref} is already published with different content "
        f"(published archive sha256 {old.sha256}, new build sha256 {new.sha256}); "
        f"versions are immutable: bump metadata.version in {old.name}/SKILL.md"
    )


def merge(base: Index, new: Iterable[VersionEntry]) -> MergeResult:
    """Add `new` versions to `base`; raise `ImmutableVersionError` listing every conflict."""
    skills = {name: list(entry.versions) for name, entry in base.skills.items()}
    result = MergeResult(base)
    conflicts = []
    for entry in new:
        versions = skills.setdefault(entry.name, [])
        existing = next((v for v in versions if v.version == entry.version), None)
        if existing is None:
            versions.append(entry)
            result.added.append(entry)
        elif content_key(existing) == content_key(entry):
            result.unchanged.append(existing)
        else:
            conflicts.append(conflict_message(existing, entry))
    if conflicts:
        raise ImmutableVersionError(
            conflicts[0] if len(conflicts) == 1 else "\n".join(conflicts), tuple(conflicts)
        )
    result.index = replace(base, skills=_entries(skills))
    return result


def merge_indexes(remote: Index, local: Index) -> MergeResult:
    """Merge a locally built index into the published one (`publish`).

    Versions only in `local` are added; versions in both must have the same content. Yank and
    deprecation flags set on either side are kept (clearing them is done with `yank --undo`
    against the published index itself).
    """
    added = merge(remote, [v for s in local.skills.values() for v in s.versions])
    skills = {name: list(entry.versions) for name, entry in added.index.skills.items()}
    flagged = False
    for name, entry in local.skills.items():
        for mine in entry.versions:
            versions = skills[name]
            for i, theirs in enumerate(versions):
                if theirs.version != mine.version or theirs is mine:
                    continue
                yanked = theirs.yanked or mine.yanked
                deprecated = theirs.deprecated or mine.deprecated
                if (yanked, deprecated) != (theirs.yanked, theirs.deprecated):
                    versions[i] = replace(
                        theirs,
                        yanked=yanked,
                        yanked_reason=theirs.yanked_reason or mine.yanked_reason,
                        deprecated=deprecated,
                        deprecated_reason=theirs.deprecated_reason or mine.deprecated_reason,
                    )
                    flagged = True
    if flagged:
        added.index = replace(added.index, skills=_entries(skills))
    return added


def _entries(skills: dict[str, list[VersionEntry]]) -> dict[str, SkillEntry]:
    return {
        name: SkillEntry(name, tuple(sorted(versions, key=lambda v: version_key(v.version))))
        for name, versions in sorted(skills.items())
    }
