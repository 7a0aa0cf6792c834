"""Lint for `build`, with per-skill results cached by content so an incremental build only
re-lints the skills that changed.

Rules that look at one skill at a time (``check`` only) are cached per skill, keyed by the
skill's content hash, its folder, the configuration fingerprint and the rule set. Rules that
look at the whole tree (``check_tree``) run on every build, over all skills. Both go through
`skillkit.linter.lint_skills`, so severities, ``per-file-ignores`` and suppressions apply
exactly as in ``skillkit lint``.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from skillkit import __version__
from skillkit.config import Config
from skillkit.diagnostics import Diagnostic, Severity
from skillkit.linter import lint_skills, selected_rules
from skillkit.model import Skill
from skillkit.rules.base import Rule


class LintStore(Protocol):
    def lint_get(self, key: str) -> list[dict[str, Any]] | None: ...

    def lint_put(self, key: str, diagnostics: list[dict[str, Any]]) -> None: ...


def _rules_signature(rules: Sequence[Rule]) -> str:
    """Rule codes plus each rule module's mtime: editing a rule invalidates its cache."""
    parts = [__version__]
    for rule in rules:
        stamp = 0
        check = rule.check
        module = sys.modules.get(getattr(check, "__module__", "") or "")
        file = getattr(module, "__file__", None)
        if file:
            try:
                stamp = Path(file).stat().st_mtime_ns
            except OSError:
                stamp = 0
        parts.append(f"{rule.code}:{stamp}")
    return "|".join(parts)


def _to_json(d: Diagnostic) -> dict[str, Any]:
    return {
        "code": d.code,
        "name": d.name,
        "severity": int(d.severity),
        "message": d.message,
        "path": str(d.path),
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
    }


def _from_json(data: dict[str, Any]) -> Diagnostic:
    return Diagnostic(
        code=data["code"],
        name=data["name"],
        severity=Severity(data["severity"]),
        message=data["message"],
        path=Path(data["path"]),
        line=data["line"],
        column=data["column"],
        end_line=data["end_line"],
        end_column=data["end_column"],
    )


def lint_cached(skills: Sequence[Skill], config: Config, store: LintStore) -> list[Diagnostic]:
    rules = selected_rules(config)
    per_skill = [r for r in rules if r.check is not None and r.check_tree is None]
    tree = [r for r in rules if r.check_tree is not None]
    found: list[Diagnostic] = []
    if tree:
        found.extend(lint_skills(skills, replace(config, select=tuple(r.code for r in tree))))
    if per_skill:
        signature = hashlib.sha256(
            (config.fingerprint() + _rules_signature(per_skill)).encode()
        ).hexdigest()
        misses: list[tuple[Skill, str]] = []
        for skill in skills:
            key = hashlib.sha256(
                f"{signature}\0{skill.root.resolve()}\0{skill.digest}".encode()
            ).hexdigest()
            cached = store.lint_get(key)
            if cached is None:
                misses.append((skill, key))
            else:
                found.extend(_from_json(d) for d in cached)
        if misses:
            subset = replace(config, select=tuple(r.code for r in per_skill))
            fresh = lint_skills([s for s, _ in misses], subset)
            found.extend(fresh)
            by_root: dict[Path, list[dict[str, Any]]] = {s.root.resolve(): [] for s, _ in misses}
            for d in fresh:
                owner = _owner(d.path, by_root)
                if owner is not None:
                    by_root[owner].append(_to_json(d))
            for skill, key in misses:
                store.lint_put(key, by_root[skill.root.resolve()])
    found.sort(key=Diagnostic.sort_key)
    return found


def _owner(path: Path, roots: dict[Path, Any]) -> Path | None:
    resolved = path.resolve()
    for candidate in (resolved, *resolved.parents):
        if candidate in roots:
            return candidate
    return None
