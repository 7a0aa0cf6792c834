"""The MCP Skills extension (``io.modelcontextprotocol/skills``): entries and directories.

`skills/list` and `skills/get` answer with the extension's `Skill` entries: the URI of the
SKILL.md, the frontmatter verbatim (recorded by `skillkit build` in the index), and every file
with its ``sha256:`` digest and size, straight from the index, so listing reads no archive
beyond the availability check that `list_skills` makes too. `resources/directory/read` lists a
skill folder's direct children from the same file list.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from skillkit.frontmatter import as_json, split
from skillkit.index import VersionEntry
from skillkit.limits import over_limits
from skillkit.server.catalog import SKILL_FILE, Catalog, NotFound
from skillkit.server.uris import BadUri, SkillUri, legacy, parse, skill_uri

EXTENSION = "io.modelcontextprotocol/skills"
SETTINGS: dict[str, Any] = {"directoryRead": True}
DIRECTORY_MIME = "inode/directory"
#: how long a client may cache a listing when the index is not watched (it cannot change
#: until the server restarts).
STATIC_TTL_MS = 300_000


def mime_type(path: str) -> str:
    if path.endswith(".md"):
        return "text/markdown"
    guessed, _ = mimetypes.guess_type(path)
    return guessed or "application/octet-stream"


def frontmatter(catalog: Catalog, entry: VersionEntry) -> Mapping[str, Any]:
    """The entry's frontmatter verbatim: from the index, or (indexes built before skillkit
    recorded it) parsed from the verified SKILL.md."""
    if entry.frontmatter is not None:
        return entry.frontmatter
    text = catalog.files(entry)[SKILL_FILE].decode("utf-8", errors="replace")
    data = split(text.removeprefix("\ufeff"), Path(entry.name, SKILL_FILE)).frontmatter
    if data.data:
        return dict(as_json(data.data))
    return {"name": entry.name, "description": entry.description}


def too_big(entry: VersionEntry) -> str | None:
    """Why `entry` is over the extension's limits, which hosts need not accept (None: it is
    not). Such a skill is not offered through the extension (the tools still serve it)."""
    return over_limits(len(entry.files), sum(f.size for f in entry.files))


def skill_entry(catalog: Catalog, entry: VersionEntry, pinned: bool = False) -> dict[str, Any]:
    """The extension's `Skill` for `entry`; `pinned`: under its version's URI prefix."""
    version = entry.version if pinned else None
    return {
        "uri": skill_uri(entry.name, SKILL_FILE, version),
        "frontmatter": frontmatter(catalog, entry),
        "resources": [
            {
                "uri": skill_uri(entry.name, f.path, version),
                "digest": f"sha256:{f.sha256}",
                "size": f.size,
            }
            for f in entry.files
        ],
    }


def resolve(catalog: Catalog, uri: str) -> tuple[SkillUri, VersionEntry]:
    """The parsed URI and the version it addresses; raises `NotFound` (or `BadUri`).

    Current URIs first; a URI that only makes sense in the 0.x layout is read that way.
    """
    parsed = parse(uri)
    try:
        entry = catalog.resolve(parsed.name, parsed.version)
    except NotFound:
        old = legacy(parsed)
        if old is None:
            raise
        return old, catalog.resolve(old.name, old.version)
    if parsed.path and not _exists(entry, parsed.path):
        old = legacy(parsed)
        if old is not None:
            try:
                older = catalog.resolve(old.name, old.version)
            except NotFound:
                return parsed, entry
            if _exists(older, old.path):
                return old, older
    return parsed, entry


def _exists(entry: VersionEntry, path: str) -> bool:
    prefix = path + "/"
    return any(f.path == path or f.path.startswith(prefix) for f in entry.files)


def get_skill(catalog: Catalog, uri: str) -> dict[str, Any]:
    """`skills/get`: the entry for the skill whose SKILL.md is at `uri`."""
    try:
        parsed, entry = resolve(catalog, uri)
    except (BadUri, NotFound) as exc:
        raise NotFound(f"No skill is served at {uri}: {exc}") from None
    if parsed.path != SKILL_FILE:
        raise NotFound(
            f"No skill is served at {uri}: skills/get takes the URI of a SKILL.md, "
            f"e.g. {skill_uri(parsed.name, SKILL_FILE, parsed.version)}"
        )
    problem = too_big(entry)
    if problem is not None:
        raise NotFound(
            f"No skill is served at {uri}: {entry.ref} is over the Skills extension's limits "
            f"({problem}), so it is not offered to MCP hosts"
        )
    catalog.files(entry)  # verified before it is offered (raises SkillUnavailable)
    return skill_entry(catalog, entry, pinned=parsed.version is not None)


def read_directory(catalog: Catalog, uri: str) -> list[dict[str, Any]]:
    """`resources/directory/read`: the direct children of a skill folder or a subfolder."""
    try:
        parsed, entry = resolve(catalog, uri)
    except (BadUri, NotFound) as exc:
        raise NotFound(f"{uri} is not a directory resource: {exc}") from None
    prefix = f"{parsed.path}/" if parsed.path else ""
    version = parsed.version
    files: list[dict[str, Any]] = []
    folders: dict[str, None] = {}
    for f in entry.files:
        if not f.path.startswith(prefix):
            continue
        child, sep, _ = f.path[len(prefix) :].partition("/")
        if sep:
            folders.setdefault(child)
        else:
            files.append(
                {
                    "uri": skill_uri(entry.name, f.path, version),
                    "name": child,
                    "mimeType": mime_type(f.path),
                    "size": f.size,
                }
            )
    if not files and not folders:
        what = "a file, not a directory" if _exists(entry, parsed.path) else "not in the skill"
        raise NotFound(f"{uri} is not a directory resource ({what})")
    children = files + [
        {"uri": skill_uri(entry.name, prefix + d, version), "name": d, "mimeType": DIRECTORY_MIME}
        for d in folders
    ]
    return sorted(children, key=lambda c: c["uri"])


def cache_hints(watch_interval: float | None) -> dict[str, Any]:
    """``ttlMs`` and ``cacheScope``: as long as the index cannot change (the --watch interval)."""
    ttl = STATIC_TTL_MS if watch_interval is None else int(watch_interval * 1000)
    return {"ttlMs": ttl, "cacheScope": "public"}
