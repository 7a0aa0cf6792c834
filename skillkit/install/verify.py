"""`verify_lock()`: do the installed folders still hold exactly what the lockfile records?"""

from __future__ import annotations

from pathlib import Path

from skillkit.install.agents import AGENTS, agent_dir
from skillkit.install.lock import read_lock
from skillkit.install.tree import folder_digests


def verify_lock(lock_path: Path) -> list[str]:
    """One line per difference (changed, missing or extra file; missing skill folder); [] when
    everything matches. Raises `SkillkitError` for an unreadable lockfile."""
    from skillkit.errors import SkillkitError

    lock = read_lock(lock_path)
    if lock.agent not in AGENTS:
        raise SkillkitError(f"{lock_path}: unknown agent {lock.agent!r}")
    folder = agent_dir(lock_path.parent, lock.agent)
    problems: list[str] = []
    for name, skill in sorted(lock.skills.items()):
        root = folder / name
        found = folder_digests(root)
        if found is None:
            problems.append(f"missing: {root}/ ({skill.name}@{skill.version} is not installed)")
            continue
        for path in sorted(skill.files.keys() | found.keys()):
            where = root / path
            if path not in found:
                problems.append(f"missing: {where}")
            elif path not in skill.files:
                problems.append(f"extra: {where}")
            elif found[path] != skill.files[path]:
                problems.append(f"changed: {where}")
    return problems
