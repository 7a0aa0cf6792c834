"""skillkit: the compiler for agent skills.

The library API behind every command. The stages are imported on first use, so that
``import skillkit`` (and ``skillkit lint``) does not pay for the MCP SDK, mkdocs or tiktoken::

    from skillkit import load_skills, lint_paths, load_config, footprints, build_index, load_index
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

from skillkit.diagnostics import Diagnostic, Edit, Fix, Severity
from skillkit.loader import LoadResult, discover_skills, load_skill, load_skills
from skillkit.model import Frontmatter, Skill, SkillFile

#: public name -> (module, attribute): resolved lazily by ``__getattr__``.
_LAZY: dict[str, tuple[str, str]] = {
    "Config": ("skillkit.config", "Config"),
    "load_config": ("skillkit.config", "load_config"),
    "lint_paths": ("skillkit.lint.linter", "lint_paths"),
    "lint_skills": ("skillkit.lint.linter", "lint_skills"),
    "run_lint": ("skillkit.lint.run", "run_lint"),
    "all_rules": ("skillkit.lint.registry", "all_rules"),
    "footprint": ("skillkit.tokens", "footprint"),
    "footprints": ("skillkit.tokens", "footprints"),
    "count_tokens": ("skillkit.tokens", "count_tokens"),
    "migrate": ("skillkit.migrate", "migrate"),
    "plan_migration": ("skillkit.migrate", "plan_migration"),
    "build_index": ("skillkit.index", "build_index"),
    "load_index": ("skillkit.index", "load"),
    "publish": ("skillkit.index", "publish"),
    "verify": ("skillkit.index", "verify"),
    "yank": ("skillkit.index", "yank"),
    "generate_docs": ("skillkit.docs", "generate"),
    "serve": ("skillkit.server", "serve"),
}


def __getattr__(name: str) -> Any:
    if name == "lint":
        # The stage's package, callable as `lint_paths` (see skillkit/lint/__init__.py).
        return importlib.import_module("skillkit.lint")
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'skillkit' has no attribute {name!r}")
    return getattr(importlib.import_module(target[0]), target[1])


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
    "lint",
    "load_skill",
    "load_skills",
    *_LAZY,
]
