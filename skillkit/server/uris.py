"""``skill://`` URIs as the MCP Skills extension lays them out.

The last segment of a skill's path is always its name (the extension's rule), so:

- ``skill://NAME/PATH``: PATH of the version served as latest;
- ``skill://vVERSION/NAME/PATH``: PATH of that exact version (a version prefix; a skill name
  has no dots, so ``v1.2.0`` can never be mistaken for one);
- ``skill://NAME`` and ``skill://NAME/DIR``: directories (no trailing slash).

URIs of skillkit 0.x, ``skill://NAME/VERSION/PATH`` (VERSION may be ``latest``), are still
read, so links handed out before keep working.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

SCHEME = "skill://"
LATEST_TEMPLATE = "skill://{name}/{+path}"
VERSION_TEMPLATE = "skill://v{version}/{name}/{+path}"
_VERSION_PREFIX = re.compile(r"^v(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)$")
_LEGACY_VERSION = re.compile(r"^(latest|\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)$")


class BadUri(ValueError):
    """Not a ``skill://`` URI this server can answer."""


@dataclass(frozen=True)
class SkillUri:
    name: str
    #: None: the version served as latest.
    version: str | None
    #: path inside the skill folder, "" for the skill's root directory.
    path: str
    #: read as ``skill://NAME/VERSION/PATH`` (skillkit 0.x) rather than the current form.
    legacy: bool = False


def skill_uri(name: str, path: str = "", version: str | None = None) -> str:
    """The URI of `path` in skill `name` (its root folder when `path` is empty)."""
    prefix = f"v{quote(version, safe='+')}/" if version is not None else ""
    tail = f"/{quote(path, safe='/')}" if path else ""
    return f"{SCHEME}{prefix}{name}{tail}"


def parse(uri: str) -> SkillUri:
    """Split a ``skill://`` URI; raises `BadUri` when it is not one."""
    if not uri.startswith(SCHEME):
        raise BadUri(f"{uri!r} is not a skill:// URI (expected {LATEST_TEMPLATE})")
    segments = [unquote(s) for s in uri[len(SCHEME) :].split("/")]
    if any(s in ("", ".", "..") for s in segments):
        raise BadUri(f"{uri!r} has an empty, '.' or '..' segment")
    version = None
    match = _VERSION_PREFIX.match(segments[0])
    if match:
        version = match.group(1)
        segments = segments[1:]
        if not segments:
            raise BadUri(f"{uri!r} names a version but no skill (expected {VERSION_TEMPLATE})")
    return SkillUri(segments[0], version, "/".join(segments[1:]))


def legacy(parsed: SkillUri) -> SkillUri | None:
    """`parsed` read as a skillkit 0.x ``skill://NAME/VERSION/PATH`` URI, if it can be one."""
    if parsed.version is not None:
        return None
    head, _, rest = parsed.path.partition("/")
    match = _LEGACY_VERSION.match(head)
    if match is None or not rest:
        return None
    version = None if head == "latest" else head
    return SkillUri(parsed.name, version, rest, legacy=True)
