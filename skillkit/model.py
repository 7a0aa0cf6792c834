"""The typed skill model that every stage shares: loaded once, never re-parsed."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from skillkit import reads
from skillkit.markdown import Outline, outline

FileCategory = Literal["references", "scripts", "assets", "other"]
JsonPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Span:
    """A region of a file: 1-based line/column plus character offsets into the decoded text."""

    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int


@dataclass(frozen=True)
class FieldLocation:
    """Where a frontmatter value (and the key that names it, for mapping entries) sits."""

    value: Span
    key: Span | None = None


@dataclass(frozen=True)
class Problem:
    """Something the loader could not read as a skill; rules turn kinds into coded findings.

    Kinds: ``unreadable``, ``too-large``, ``encoding``, ``bom``, ``frontmatter-missing``,
    ``frontmatter-unclosed``, ``yaml-syntax``, ``yaml-alias``, ``yaml-depth``,
    ``frontmatter-not-mapping``, ``duplicate-key``, ``path-escape``, ``symlink-loop``,
    ``misnamed-skill-file``.
    """

    kind: str
    message: str
    path: Path
    line: int = 1
    column: int = 1


@dataclass
class Frontmatter:
    """The YAML frontmatter of a SKILL.md, with the location of every key and value."""

    present: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    locations: dict[JsonPath, FieldLocation] = field(default_factory=dict)
    #: 1-based line of the opening ``---`` and of the closing ``---`` (0 when absent).
    start_line: int = 0
    end_line: int = 0
    #: character offsets of the YAML text (between the fences) within the file text.
    yaml_start: int = 0
    yaml_end: int = 0
    #: False when the YAML could not be read: `data` is then empty.
    valid: bool = False

    def location(self, path: JsonPath) -> FieldLocation | None:
        """The location of `path`, or of its nearest ancestor that exists."""
        for cut in range(len(path), -1, -1):
            found = self.locations.get(path[:cut])
            if found is not None:
                return found
        return None


@dataclass(frozen=True)
class SkillFile:
    """A file bundled with a skill (anything but the root SKILL.md)."""

    path: Path
    relpath: str
    size: int
    category: FileCategory

    def read_bytes(self) -> bytes:
        return reads.read_bytes(self.path)


@dataclass
class Skill:
    """One skill folder, loaded. Unreadable parts are empty, explained in `problems`."""

    root: Path
    skill_md: Path
    raw: bytes = b""
    #: the decoded SKILL.md (BOM removed; undecodable bytes replaced by U+FFFD).
    text: str = ""
    has_bom: bool = False
    frontmatter: Frontmatter = field(default_factory=Frontmatter)
    body: str = ""
    #: 1-based line of the file on which `body` starts, and its character offset.
    body_line: int = 1
    body_offset: int = 0
    files: tuple[SkillFile, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def dir_name(self) -> str:
        return self.root.name

    @property
    def name(self) -> str | None:
        value = self.frontmatter.data.get("name")
        return value if isinstance(value, str) else None

    @property
    def description(self) -> str | None:
        value = self.frontmatter.data.get("description")
        return value if isinstance(value, str) else None

    @property
    def metadata(self) -> Mapping[str, Any]:
        value = self.frontmatter.data.get("metadata")
        return value if isinstance(value, dict) else {}

    @property
    def version(self) -> str | None:
        value = self.metadata.get("version")
        return value if isinstance(value, str) else None

    @property
    def tags(self) -> tuple[str, ...]:
        value = self.metadata.get("tags")
        if not isinstance(value, str):
            return ()
        return tuple(t.strip() for t in value.split(",") if t.strip())

    @property
    def requires_text(self) -> str | None:
        value = self.metadata.get("requires")
        return value if isinstance(value, str) else None

    @cached_property
    def outline(self) -> Outline:
        """The body's links, headings, HTML and fences (see `skillkit.markdown`), parsed once.
        Block lines are 0-based and relative to the body."""
        return outline(self.body)

    def file_line(self, body_line_index: int) -> int:
        """Turn a 0-based body line index (an outline block's line) into a 1-based file line."""
        return self.body_line + body_line_index

    def file(self, relpath: str) -> SkillFile | None:
        for f in self.files:
            if f.relpath == relpath:
                return f
        return None

    @cached_property
    def digest(self) -> str:
        """sha256 over SKILL.md and every bundled file (path and content): a cache key."""
        h = hashlib.sha256()
        h.update(b"SKILL.md\0")
        h.update(hashlib.sha256(self.raw).digest())
        for f in sorted(self.files, key=lambda f: f.relpath):
            h.update(f.relpath.encode() + b"\0")
            try:
                h.update(hashlib.sha256(f.read_bytes()).digest())
            except OSError:
                h.update(b"<unreadable>")
        return h.hexdigest()
