"""The skill index: build it, load it, publish it, verify it.

from skillkit.index import load
index = load("dist/")            # or file://, s3://bucket/prefix, https://...
entry = index.skills["s3-object-metadata"].latest()
files = index.read_archive(entry.name, entry.version)   # digests verified first
"""

from __future__ import annotations

from typing import Any

from skillkit.index.archive import executable_paths
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
    version_key,
)
from skillkit.index.publish import PublishResult, publish
from skillkit.index.ranges import RangeError, parse_range, parse_requires
from skillkit.index.store import S3Options, Store, local_path, open_location
from skillkit.index.verify import VerifyReport, verify
from skillkit.index.yank import yank

#: loaded on first use: building pulls in the linter and every rule, which readers of an
#: index (the server, verify, publish) never need.
_LAZY = {
    "build": "build",
    "build_index": "build",
    "BuildResult": "BuildResult",
    "LintFailed": "LintFailed",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from skillkit.index import builder

        return getattr(builder, _LAZY[name])
    raise AttributeError(f"module 'skillkit.index' has no attribute {name!r}")


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
    "RangeError",
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
    "executable_paths",
    "load",
    "local_path",
    "open_location",
    "parse",
    "parse_range",
    "parse_requires",
    "publish",
    "serialize",
    "verify",
    "version_key",
    "yank",
]
