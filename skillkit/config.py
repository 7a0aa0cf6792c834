"""Configuration: declared and validated in one place, all problems collected before failing.

Found by walking up from the starting folder to the first ``skillkit.toml`` or a
``pyproject.toml`` that has a ``[tool.skillkit]`` table.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillkit.diagnostics import Severity
from skillkit.errors import ConfigError
from skillkit.fsutil import missing_message
from skillkit.targets import DEFAULT_TARGETS, TARGETS, unknown_targets


@dataclass(frozen=True)
class Budgets:
    """Token and line budgets (see GUIDE: loading levels)."""

    description_tokens: int = 256
    skill_md_tokens: int = 5000
    skill_md_lines: int = 500
    reference_tokens: int = 20000
    catalog_l1_tokens: int = 20000


@dataclass(frozen=True)
class Config:
    #: where the configuration came from (None: defaults).
    path: Path | None = None
    #: paths in config are relative to this folder.
    root: Path = field(default_factory=Path.cwd)
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    #: gitignore-style pattern -> rule codes/prefixes ignored for matching paths.
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    fail_on: Severity = Severity.ERROR
    #: rule code -> severity override.
    severity: Mapping[str, Severity] = field(default_factory=dict)
    max_file_size: int = 1 << 20
    encoding: str = "cl100k_base"
    budgets: Budgets = field(default_factory=Budgets)
    #: rule code -> options table, for rules that take options.
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: the agents the skills are written for: their frontmatter fields are accepted.
    targets: tuple[str, ...] = DEFAULT_TARGETS

    def fingerprint(self) -> str:
        """A hash of everything that can change lint results: part of every cache key."""
        payload = {
            "select": self.select,
            "ignore": self.ignore,
            "per_file_ignores": {k: list(v) for k, v in sorted(self.per_file_ignores.items())},
            "exclude": self.exclude,
            "severity": {k: v.label for k, v in sorted(self.severity.items())},
            "max_file_size": self.max_file_size,
            "encoding": self.encoding,
            "budgets": self.budgets.__dict__,
            "rules": {k: dict(v) for k, v in sorted(self.rules.items())},
            "targets": sorted(self.targets),
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


#: what ``fail-on`` and ``--fail-on`` accept.
FAIL_ON_CHOICES = {"warning": Severity.WARNING, "error": Severity.ERROR}

_BUDGET_KEYS = {
    "description-tokens": "description_tokens",
    "skill-md-tokens": "skill_md_tokens",
    "skill-md-lines": "skill_md_lines",
    "reference-tokens": "reference_tokens",
    "catalog-l1-tokens": "catalog_l1_tokens",
}
_KNOWN = {
    "select",
    "ignore",
    "extend-select",
    "extend-ignore",
    "per-file-ignores",
    "exclude",
    "fail-on",
    "severity",
    "max-file-size",
    "encoding",
    "budgets",
    "rules",
    "targets",
}


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """Walk up from `start` to the first file that configures skillkit."""
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / "skillkit.toml"
        if own.is_file():
            return own, _read_toml(own)
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            table = _read_toml(pyproject).get("tool", {}).get("skillkit")
            if isinstance(table, dict):
                return pyproject, table
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {exc.start}); TOML files must be UTF-8"
        ) from None
    except FileNotFoundError:
        raise ConfigError(missing_message(path)) from None
    except IsADirectoryError:
        raise ConfigError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def load_config(start: Path | None = None, explicit: Path | None = None) -> Config:
    """Load the configuration that applies to `start` (or the file given with ``--config``)."""
    if explicit is not None:
        data = _read_toml(explicit)
        if explicit.name == "pyproject.toml":
            data = data.get("tool", {}).get("skillkit", {})
        return parse_config(data, explicit)
    found = find_config(start or Path.cwd())
    if found is None:
        return Config(root=(start or Path.cwd()).resolve())
    return parse_config(found[1], found[0])


def selector_problem(selector: str, *, exact: bool = False) -> str | None:
    """Why `selector` (``ALL``, a code or a code prefix) selects nothing, or None if it is fine.
    With `exact`, only a full rule code will do.

    Shared by the configuration and the ``--select``-style options so both say the same.
    """
    if selector == "ALL" and not exact:
        return None
    import difflib

    # Module names only (this imports no rule): the rules import this module.
    from skillkit.lint.rules import rule_codes

    codes = rule_codes()
    if exact:
        if selector in codes:
            return None
    elif selector == "ALL" or any(c.startswith(selector) for c in codes):
        return None
    close = difflib.get_close_matches(selector, codes, n=1)
    hint = f"; did you mean {close[0]}?" if close else "; see `skillkit rule --all`"
    what = "is not a rule code" if exact else "matches no rule"
    return f"{selector!r} {what}{hint}"


def _codes(value: Any, key: str, errors: list[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(f'\'{key}\' must be a list of rule codes or prefixes, e.g. ["SK1", "SK203"]')
        return ()
    codes = tuple(v.strip().upper() for v in value)
    for code in codes:
        problem = selector_problem(code)
        if problem:
            errors.append(f"'{key}': {problem}")
    return codes


def parse_config(data: Mapping[str, Any], path: Path | None) -> Config:
    errors: list[str] = []
    for key in data:
        if key not in _KNOWN:
            errors.append(f"unknown key '{key}' (known: {', '.join(sorted(_KNOWN))})")
    select = _codes(data.get("select", ["ALL"]), "select", errors)
    select += _codes(data.get("extend-select", []), "extend-select", errors)
    ignore = _codes(data.get("ignore", []), "ignore", errors)
    ignore += _codes(data.get("extend-ignore", []), "extend-ignore", errors)
    pfi: dict[str, tuple[str, ...]] = {}
    raw_pfi = data.get("per-file-ignores", {})
    if not isinstance(raw_pfi, dict):
        errors.append("'per-file-ignores' must be a table of pattern = [codes]")
    else:
        for pattern, codes in raw_pfi.items():
            pfi[str(pattern)] = _codes(codes, f"per-file-ignores.{pattern}", errors)
    exclude = data.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(v, str) for v in exclude):
        errors.append("'exclude' must be a list of gitignore-style patterns")
        exclude = []
    fail_on = Severity.ERROR
    if "fail-on" in data:
        # The same choices as ``--fail-on``: failing on info would fail on every hint.
        try:
            fail_on = Severity.parse(str(data["fail-on"]))
        except ValueError:
            fail_on = Severity.INFO
        if fail_on not in FAIL_ON_CHOICES.values():
            errors.append(
                f"'fail-on': unknown value {data['fail-on']!r} "
                f"(expected one of: {', '.join(FAIL_ON_CHOICES)})"
            )
            fail_on = Severity.ERROR
    severity: dict[str, Severity] = {}
    raw_sev = data.get("severity", {})
    if not isinstance(raw_sev, dict):
        errors.append("'severity' must be a table of CODE = \"error|warning|info\"")
    else:
        for code, level in raw_sev.items():
            problem = selector_problem(str(code).upper(), exact=True)
            if problem:
                errors.append(f"'severity.{code}': {problem}")
            try:
                severity[str(code).upper()] = Severity.parse(str(level))
            except ValueError as exc:
                errors.append(f"'severity.{code}': {exc}")
    max_file_size = data.get("max-file-size", 1 << 20)
    if not isinstance(max_file_size, int) or max_file_size <= 0:
        errors.append("'max-file-size' must be a positive number of bytes")
        max_file_size = 1 << 20
    encoding = data.get("encoding", "cl100k_base")
    if not isinstance(encoding, str):
        errors.append("'encoding' must be a tiktoken encoding name")
        encoding = "cl100k_base"
    budgets_kwargs: dict[str, int] = {}
    raw_budgets = data.get("budgets", {})
    if not isinstance(raw_budgets, dict):
        errors.append("'budgets' must be a table")
    else:
        for key, value in raw_budgets.items():
            if key not in _BUDGET_KEYS:
                errors.append(f"unknown budget '{key}' (known: {', '.join(sorted(_BUDGET_KEYS))})")
            elif not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                errors.append(f"budget '{key}' must be a positive integer")
            else:
                budgets_kwargs[_BUDGET_KEYS[key]] = value
    rules: dict[str, dict[str, Any]] = {}
    raw_rules = data.get("rules", {})
    if not isinstance(raw_rules, dict) or not all(isinstance(v, dict) for v in raw_rules.values()):
        errors.append("'rules' must be a table of [rules.CODE] option tables")
    else:
        rules = {str(k).upper(): dict(v) for k, v in raw_rules.items()}
    targets = parse_targets(data.get("targets", list(DEFAULT_TARGETS)), errors)
    if errors:
        where = str(path) if path else "configuration"
        raise ConfigError(
            f"{where}: invalid skillkit configuration:\n" + "\n".join(f"  - {e}" for e in errors)
        )
    return Config(
        path=path,
        root=(path.parent if path else Path.cwd()).resolve(),
        select=select,
        ignore=ignore,
        per_file_ignores=pfi,
        exclude=tuple(exclude),
        fail_on=fail_on,
        severity=severity,
        max_file_size=max_file_size,
        encoding=encoding,
        budgets=Budgets(**budgets_kwargs),
        rules=rules,
        targets=targets,
    )


def parse_targets(value: Any, errors: list[str], key: str = "targets") -> tuple[str, ...]:
    """``targets = ["agentskills", "claude-code"]``: known agent names, in a list."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        errors.append(f"'{key}' must be a non-empty list of agent names, e.g. [\"claude-code\"]")
        return DEFAULT_TARGETS
    names = tuple(dict.fromkeys(v.strip().lower() for v in value))
    for name in unknown_targets(names):
        errors.append(f"'{key}': unknown target {name!r} (known: {', '.join(TARGETS)})")
    return names if not unknown_targets(names) else DEFAULT_TARGETS


def code_matches(code: str, selectors: tuple[str, ...]) -> bool:
    """ruff-style selection: ``ALL``, a full code, or a code prefix (``SK1``)."""
    return any(s == "ALL" or code.startswith(s) for s in selectors)
