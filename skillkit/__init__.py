"""skillkit: the compiler for agent skills."""

from __future__ import annotations

__version__ = "0.1.0"

from skillkit.diagnostics import Diagnostic, Edit, Fix, Severity
from skillkit.loader import LoadResult, discover_skills, load_skill, load_skills
from skillkit.model import Frontmatter, Skill, SkillFile

__all__ = [
    "Diagnostic",
    "Edit",
    "Fix",
    "Frontmatter",
    "LoadResult",
    "Severity",
    "Skill",
    "SkillFile",
    "__version__",
    "discover_skills",
    "load_skill",
    "load_skills",
]
