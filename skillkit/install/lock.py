"""``skills.lock.json``: exactly what was installed, so it can be installed again and checked.

Per skill: the version, the archive's sha256 (as the index records it), a tree digest over its
files that any tool can recompute (sha256 over the sorted lines ``path\\0sha256hex\\n``, paths
relative to the skill folder with ``/``), and each file's sha256 so a check can name what
changed. Written canonically (sorted keys, two-space indent), so it diffs well in review.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillkit.errors import SkillkitError
from skillkit.fsutil import atomic_write_bytes

LOCK_NAME = "skills.lock.json"
LOCK_VERSION = 1


def tree_digest(files: Mapping[str, str]) -> str:
    """sha256 over the sorted ``path\\0sha256hex\\n`` lines of `files` (relpath -> sha256)."""
    lines = "".join(f"{path}\0{files[path]}\n" for path in sorted(files))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LockedSkill:
    name: str
    version: str
    archive_sha256: str
    #: relpath -> sha256 of every file installed.
    files: Mapping[str, str]

    @property
    def tree_sha256(self) -> str:
        return tree_digest(self.files)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "archive_sha256": self.archive_sha256,
            "tree_sha256": self.tree_sha256,
            "files": dict(sorted(self.files.items())),
        }


@dataclass(frozen=True)
class Lockfile:
    #: the index the skills came from, as given (a local path relative to the lockfile).
    index: str
    agent: str
    #: what the user asked for (``NAME`` or ``NAME@RANGE``); the rest are dependencies.
    requested: tuple[str, ...]
    skills: Mapping[str, LockedSkill] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "lock_version": LOCK_VERSION,
            "index": self.index,
            "agent": self.agent,
            "requested": list(self.requested),
            "skills": {name: self.skills[name].to_json() for name in sorted(self.skills)},
        }

    def write(self, path: Path) -> None:
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        atomic_write_bytes(path, text.encode("utf-8"))

    @property
    def versions(self) -> dict[str, str]:
        return {name: skill.version for name, skill in self.skills.items()}


def read_lock(path: Path) -> Lockfile:
    """Read and check a lockfile; raises `SkillkitError` with the file and what is wrong."""
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise SkillkitError(f"{path}: no such lockfile (run `skillkit install` first)") from None
    except IsADirectoryError:
        raise SkillkitError(f"{path} is a folder, not a lockfile") from None
    except ValueError as exc:
        raise SkillkitError(f"{path}: not valid JSON ({exc})") from None
    try:
        if data["lock_version"] != LOCK_VERSION:
            raise SkillkitError(
                f"{path}: lock_version {data['lock_version']!r} is not one this skillkit reads "
                f"({LOCK_VERSION}); upgrade skillkit"
            )
        skills = {}
        for name, body in data["skills"].items():
            files = {str(k): str(v) for k, v in body["files"].items()}
            skill = LockedSkill(name, str(body["version"]), str(body["archive_sha256"]), files)
            if skill.tree_sha256 != body["tree_sha256"]:
                raise SkillkitError(
                    f"{path}: {name}: tree_sha256 does not match its file list (edited by hand?)"
                )
            skills[name] = skill
        return Lockfile(
            index=str(data["index"]),
            agent=str(data["agent"]),
            requested=tuple(str(r) for r in data["requested"]),
            skills=skills,
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise SkillkitError(f"{path}: not a skillkit lockfile (missing or bad {exc})") from None
