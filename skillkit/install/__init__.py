"""``skillkit install``: skills from an index into an agent's folder, pinned in a lockfile.

from skillkit.install import install, verify_lock
result = install(["pdf-form-filler@^0.3"], index="dist/", project=Path("."))
problems = verify_lock(Path("skills.lock.json"))      # [] when nothing was edited
"""

from __future__ import annotations

from skillkit.install.agents import AGENTS, agent_dir
from skillkit.install.api import InstallResult, install
from skillkit.install.lock import LOCK_NAME, LockedSkill, Lockfile, read_lock, tree_digest
from skillkit.install.verify import verify_lock

__all__ = [
    "AGENTS",
    "LOCK_NAME",
    "InstallResult",
    "LockedSkill",
    "Lockfile",
    "agent_dir",
    "install",
    "read_lock",
    "tree_digest",
    "verify_lock",
]
