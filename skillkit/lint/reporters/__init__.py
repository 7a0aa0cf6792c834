"""Reporters turn a lint `Report` into text for people or machines; looked up by name.

Each format is one module holding one `Reporter` subclass; `get_reporter("sarif")` finds it.
Reporters are pure: they never touch the file system (paths are made relative to `Report.cwd`).
"""

from __future__ import annotations

import importlib

from skillkit.lint.reporters.base import Report, Reporter, display_path

#: format name -> module holding its `REPORTER` class.
FORMATS: dict[str, str] = {
    "text": "skillkit.lint.reporters.text",
    "json": "skillkit.lint.reporters.json",
    "github": "skillkit.lint.reporters.github",
    "sarif": "skillkit.lint.reporters.sarif",
}


def get_reporter(name: str, **options: object) -> Reporter:
    """An instance of the reporter for `name` (one of `FORMATS`)."""
    module_name = FORMATS.get(name)
    if module_name is None:
        raise ValueError(f"unknown output format {name!r} (expected one of: {', '.join(FORMATS)})")
    cls: type[Reporter] = importlib.import_module(module_name).REPORTER
    return cls(**options)


__all__ = ["FORMATS", "Report", "Reporter", "display_path", "get_reporter"]
