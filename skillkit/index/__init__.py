"""The skill index: build it, load it, publish it, verify it.

from skillkit.index import load
index = load("dist/")            # or file://, s3://bucket/prefix, https://...
entry = index.skills["s3-object-metadata"].latest()
files = index.read_archive(entry.name, entry.version)   # digests verified first
"""

from __future__ import annotations

from skillkit.index.errors import (
    BuildError,
    DigestMismatch,
    ImmutableVersionError,
    IndexError_,
    ResolveError,
    StoreError,
)
from skillkit.index.load import load, parse, serialize
from skillkit.index.model import (
    FileEntry,
    Index,
    Requirement,
    SkillEntry,
    Tokens,
    VersionEntry,
)
from skillkit.index.store import S3Options, Store, open_location

__all__ = [
    "BuildError",
    "DigestMismatch",
    "FileEntry",
    "ImmutableVersionError",
    "Index",
    "IndexError_",
    "Requirement",
    "ResolveError",
    "S3Options",
    "SkillEntry",
    "Store",
    "StoreError",
    "Tokens",
    "VersionEntry",
    "load",
    "open_location",
    "parse",
    "serialize",
]
