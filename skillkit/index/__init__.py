"""The skill index: build it, load it, publish it, verify it.

from skillkit.index import load
index = load("dist/")            # or file://, s3://bucket/prefix, https://...
entry = index.skills["s3-object-metadata"].latest()
files = index.read_archive(entry.name, entry.version)   # digests verified first
"""

from __future__ import annotations

from skillkit.index.build import BuildResult, LintFailed, build
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
from skillkit.index.publish import PublishResult, publish
from skillkit.index.store import S3Options, Store, open_location
from skillkit.index.verify import VerifyReport, verify
from skillkit.index.yank import yank

#: the name the design notes use for the library entry point.
build_index = build

__all__ = [
    "BuildError",
    "BuildResult",
    "DigestMismatch",
    "FileEntry",
    "ImmutableVersionError",
    "Index",
    "IndexError_",
    "LintFailed",
    "PublishResult",
    "Requirement",
    "ResolveError",
    "S3Options",
    "SkillEntry",
    "Store",
    "StoreError",
    "Tokens",
    "VerifyReport",
    "VersionEntry",
    "build",
    "build_index",
    "load",
    "open_location",
    "parse",
    "publish",
    "serialize",
    "verify",
    "yank",
]
