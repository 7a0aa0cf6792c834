"""Lint findings for `build`, cached per skill content digest in the build's store, so an
incremental build only re-lints the skills that changed.

`skillkit.lint.linter.lint_one` (every per-skill rule, suppressions and per-file ignores applied)
is a pure function of (skill, config): its result is cached per skill, keyed by the skill's
content hash, its folder, the configuration fingerprint and the rule code itself (every rule
module's mtime). `lint_tree` (duplicates, catalog budgets) runs on every build, over all
skills. Together they give exactly what `lint_skills` (``skillkit lint``) reports.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import skillkit
from skillkit.config import Config
from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.linter import lint_one, lint_tree
from skillkit.model import Skill

_PACKAGE = Path(skillkit.__file__).resolve().parent


class LintStore(Protocol):
    def lint_get(self, key: str) -> list[dict[str, Any]] | None: ...

    def lint_put(self, key: str, diagnostics: list[dict[str, Any]]) -> None: ...


#: the modules whose code decides lint results (plus every rule and the tokens package).
_LINT_MODULES = (
    "config.py",
    "diagnostics.py",
    "frontmatter.py",
    "limits.py",
    "lint/linter.py",
    "lint/registry.py",
    "lint/suppressions.py",
    "loader.py",
    "model.py",
    "requires.py",
    "schema.py",
    "targets.py",
)


@functools.cache
def _code_signature() -> str:
    """A hash of the code that decides lint results: editing a rule invalidates the cache.

    Content, not mtimes, so a checkout or reinstall that changes nothing keeps the cache.
    """
    digest = hashlib.sha256(skillkit.__version__.encode())
    paths = [
        *(_PACKAGE / name for name in _LINT_MODULES),
        *sorted((_PACKAGE / "lint" / "rules").glob("*.py")),
        *sorted((_PACKAGE / "tokens").glob("*.py")),
        *sorted(_PACKAGE.parent.joinpath("schemas").glob("*.json")),
        *sorted((_PACKAGE / "schemas").glob("*.json")),
    ]
    for path in paths:
        try:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        except OSError:
            continue
    return digest.hexdigest()


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


def lint_cached(
    skills: Sequence[Skill],
    config: Config,
    store: LintStore,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Diagnostic]:
    signature = hashlib.sha256((config.fingerprint() + _code_signature()).encode()).hexdigest()
    found: list[Diagnostic] = []
    for done, skill in enumerate(skills, 1):
        if progress:
            progress(done, len(skills), f"lint {skill.name or skill.dir_name}")
        key = hashlib.sha256(
            f"{signature}\0{skill.root.resolve()}\0{skill.digest}".encode()
        ).hexdigest()
        cached = store.lint_get(key)
        if cached is None:
            fresh = lint_one(skill, config)
            store.lint_put(key, [_to_json(d) for d in fresh])
            found.extend(fresh)
        else:
            found.extend(_from_json(d) for d in cached)
    found.extend(lint_tree(skills, config))
    found.sort(key=Diagnostic.sort_key)
    return found
