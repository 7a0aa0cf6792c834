"""The lint stage: `linter` (rules over loaded skills), `run` (the cached, parallel run behind
``skillkit lint``), `findings_cache`, `suppressions`, `fixes`, `rules/` (one rule a module,
loaded by `registry`) and `reporters/` (one output format a module).

``skillkit.lint`` was a function before the stage had a folder (``from skillkit import lint``;
``lint(paths, config)``): the package stays callable as `lint_paths`, so that code keeps working.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skillkit.lint.linter import LintResult


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> LintResult:
        from skillkit.lint.linter import lint_paths

        return lint_paths(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
