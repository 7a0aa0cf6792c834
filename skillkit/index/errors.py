"""The index's failures: each is a `SkillkitError` whose message says what failed and why."""

from __future__ import annotations

from skillkit.errors import SkillkitError


class IndexError_(SkillkitError):
    """An index could not be read, is not valid against its schema, or is inconsistent."""


class DigestMismatch(IndexError_):
    """An archive, a file in it, or the index itself does not match its recorded sha256."""

    def __init__(self, what: str, expected: str, actual: str) -> None:
        super().__init__(
            f"{what}: sha256 mismatch: the index records {expected} but the content hashes to "
            f"{actual}; the file was modified or corrupted after it was built"
        )
        self.expected = expected
        self.actual = actual


class StoreError(IndexError_):
    """A storage location is unreachable, missing, or refused an operation."""


class BuildError(SkillkitError):
    """The build was refused for a reason the user must fix in the skills (the CLI exits 1)."""

    def __init__(self, message: str, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.details = details


class ImmutableVersionError(BuildError):
    """The same name@version was built again with different content."""


class ResolveError(BuildError):
    """A `metadata.requires` entry is missing, unsatisfiable, or part of a cycle."""
