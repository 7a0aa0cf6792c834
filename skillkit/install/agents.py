"""Where each agent looks for project skills."""

from __future__ import annotations

from pathlib import Path

#: agent -> its skills folder, relative to the project.
AGENTS: dict[str, str] = {
    "claude-code": ".claude/skills",
    "codex": ".codex/skills",
    "agents": ".agents/skills",
}
DEFAULT_AGENT = "claude-code"


def agent_dir(project: Path, agent: str) -> Path:
    return project / AGENTS[agent]
