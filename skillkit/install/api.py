"""`install()`: resolve, verify, stage every skill, then swap the folders in and write the lock.

Atomic: every skill is unpacked (after its archive's and each file's sha256 are verified)
into a temp folder beside its target before any installed folder is touched; a failure or an
interrupt up to then leaves every old folder as it was, and no lockfile change.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from skillkit.errors import SkillkitError
from skillkit.fsutil import atomic_directory, file_in_the_way, file_message, missing_message
from skillkit.index import (
    Index,
    RangeError,
    Requirement,
    S3Options,
    VersionEntry,
    executable_paths,
    load,
    local_path,
    parse_requires,
)
from skillkit.install.agents import AGENTS, DEFAULT_AGENT, agent_dir
from skillkit.install.lock import LOCK_NAME, LockedSkill, Lockfile, read_lock
from skillkit.install.resolve import closure
from skillkit.install.tree import folder_digests


@dataclass
class InstallResult:
    lock: Lockfile
    lock_path: Path
    folder: Path
    #: versions written now, and versions whose folder already held exactly their files.
    installed: list[VersionEntry] = field(default_factory=list)
    unchanged: list[VersionEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def install(
    requested: Sequence[str],
    index: str | None = None,
    *,
    project: Path = Path("."),
    agent: str | None = None,
    frozen: bool = False,
    s3: S3Options | None = None,
) -> InstallResult:
    """Install `requested` (``NAME`` or ``NAME@RANGE``) and their requirements from `index`.

    Adds to the lockfile in `project` when there is one. `frozen`: install exactly the
    lockfile (no `requested`), failing if the index cannot provide it. Raises `SkillkitError`.
    """
    blocker = file_in_the_way(project)
    if blocker is not None:
        raise SkillkitError(f"{file_message(blocker)}: --dir {project}")
    if not project.exists():
        raise SkillkitError(f"{missing_message(project)} (--dir)")
    lock_path = project / LOCK_NAME
    previous = read_lock(lock_path) if lock_path.exists() else None
    if frozen:
        if previous is None:
            raise SkillkitError(f"--frozen needs a lockfile: {lock_path} does not exist")
        if requested:
            raise SkillkitError("--frozen installs exactly the lockfile: pass no skill names")
    if agent is not None and agent not in AGENTS:
        raise SkillkitError(f"unknown agent {agent!r} (choose from {', '.join(AGENTS)})")
    agent = agent or (previous.agent if previous else DEFAULT_AGENT)
    location = index or (_from_lock(previous.index, project) if previous else None)
    if location is None:
        raise SkillkitError("--index is needed (there is no lockfile to take it from)")
    loaded = load(location, s3=s3)
    warnings: list[str] = []
    if frozen:
        assert previous is not None
        entries = _locked_entries(loaded, previous, warnings)
        asks = previous.requested
    else:
        asks = _merge_requests(previous.requested if previous else (), requested)
        if not asks:
            raise SkillkitError("name at least one skill to install (NAME or NAME@RANGE)")
        entries = list(closure(loaded, _parse(asks)).values())
        for entry in entries:
            if entry.deprecated:
                reason = f": {entry.deprecated_reason}" if entry.deprecated_reason else ""
                warnings.append(f"{entry.ref} is deprecated{reason}")
    folder = agent_dir(project, agent)
    blocker = file_in_the_way(folder)
    if blocker is not None:
        raise SkillkitError(f"{file_message(blocker)}: cannot install into {folder}")
    result = InstallResult(
        Lockfile(_for_lock(location, index, previous, project), agent, asks),
        lock_path,
        folder,
        warnings=warnings,
    )
    staged: list[tuple[VersionEntry, dict[str, bytes], set[str]]] = []
    locked: dict[str, LockedSkill] = {}
    for entry in sorted(entries, key=lambda e: e.name):
        data = loaded.read_archive_bytes(entry.name, entry.version)
        files = loaded.unpack_verified(entry, data)
        skill = LockedSkill(
            entry.name,
            entry.version,
            entry.sha256,
            {path: hashlib.sha256(content).hexdigest() for path, content in files.items()},
        )
        if frozen:
            assert previous is not None
            want = previous.skills[entry.name]
            if skill.tree_sha256 != want.tree_sha256:
                raise SkillkitError(
                    f"{entry.ref} in {location} holds other files than the lockfile records "
                    f"(tree sha256 {skill.tree_sha256}, locked {want.tree_sha256})"
                )
        locked[entry.name] = skill
        if folder_digests(folder / entry.name) == skill.files:
            result.unchanged.append(entry)
        else:
            staged.append((entry, files, executable_paths(data, entry.name)))
    # Every new folder complete before any old one is replaced (see the module docstring).
    with contextlib.ExitStack() as stack:
        for entry, files, executables in staged:
            tmp = stack.enter_context(atomic_directory(folder / entry.name, replace=True))
            _write_tree(tmp, files, executables)
            result.installed.append(entry)
    result.lock = Lockfile(result.lock.index, agent, asks, locked)
    result.lock.write(lock_path)
    return result


def _write_tree(root: Path, files: dict[str, bytes], executables: set[str]) -> None:
    for relpath, content in files.items():
        target = root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        if relpath in executables:
            os.chmod(target, 0o755)


def _locked_entries(index: Index, lock: Lockfile, warnings: list[str]) -> list[VersionEntry]:
    entries = []
    problems = []
    for name, skill in sorted(lock.skills.items()):
        found = index.skills[name].get(skill.version) if name in index.skills else None
        if found is None:
            problems.append(f"{name}@{skill.version} is not in the index")
        elif found.sha256 != skill.archive_sha256:
            problems.append(
                f"{found.ref}: the index's archive sha256 {found.sha256} is not the locked "
                f"{skill.archive_sha256}"
            )
        else:
            if found.yanked:
                reason = f": {found.yanked_reason}" if found.yanked_reason else ""
                warnings.append(f"{found.ref} is yanked{reason} (installed: it is locked)")
            entries.append(found)
    if problems:
        raise SkillkitError(
            "the index cannot provide the lockfile's skills:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )
    return entries


def _merge_requests(old: Sequence[str], new: Sequence[str]) -> tuple[str, ...]:
    """The lockfile's requests with `new` added; a new request replaces one for the same
    skill (``pdf@^2`` replaces ``pdf@^1``)."""
    by_name = {_name(text): text for text in old}
    for text in new:
        by_name[_name(text)] = text.strip()
    return tuple(by_name[name] for name in sorted(by_name))


def _name(text: str) -> str:
    return text.strip().partition("@")[0].strip()


def _parse(asks: Sequence[str]) -> list[Requirement]:
    out: list[Requirement] = []
    for text in asks:
        try:
            found = parse_requires(text)
        except RangeError as exc:
            raise SkillkitError(f"{text!r}: expected NAME or NAME@RANGE ({exc})") from None
        if len(found) != 1:
            raise SkillkitError(f"{text!r}: expected one NAME or NAME@RANGE")
        out.extend(found)
    return out


def _from_lock(recorded: str, project: Path) -> str:
    """The lockfile's index location: a relative local path is relative to the lockfile."""
    if "://" in recorded or Path(recorded).is_absolute():
        return recorded
    return str(project / recorded)


def _for_lock(location: str, given: str | None, previous: Lockfile | None, project: Path) -> str:
    """How the lockfile records `location`: local folders relative to the project."""
    if given is None and previous is not None:
        return previous.index
    path = local_path(location)
    if path is None or "://" in location:
        return location
    return os.path.relpath(path.resolve(), project.resolve())
