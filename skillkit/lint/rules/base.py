"""The rule contract. One rule a module (``skillkit/lint/rules/skNNN_name.py``), yamllint-style:

- the module docstring is the rule's documentation (first line: its one-line summary);
- ``CODE`` (stable, ``SK`` + 3 digits), ``NAME`` (kebab-case), ``SEVERITY`` (default),
  ``OPTIONS`` (option name -> default, overridable in ``[tool.skillkit.rules.CODE]``);
- either ``check(skill, ctx)`` yielding diagnostics for one skill, or
  ``check_tree(skills, ctx)`` for rules that need the whole tree (duplicates, catalog budgets).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillkit.config import Config
from skillkit.diagnostics import Diagnostic, Fix, Severity
from skillkit.model import Skill, Span

SkillCheck = Callable[[Skill, "RuleContext"], Iterable[Diagnostic]]
TreeCheck = Callable[[Sequence[Skill], "RuleContext"], Iterable[Diagnostic]]

DOCS_URL = "https://skillkit.dev/rules/"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    doc: str
    options: Mapping[str, Any] = field(default_factory=dict)
    check: SkillCheck | None = None
    check_tree: TreeCheck | None = None
    fixable: bool = False

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else self.name

    @property
    def help_uri(self) -> str:
        return f"{DOCS_URL}{self.code}/"


@dataclass
class RuleContext:
    """What a check needs besides the skill: its rule, options and the configuration."""

    rule: Rule
    config: Config
    severity: Severity
    options: Mapping[str, Any]

    def diagnostic(
        self,
        message: str,
        path: Path,
        line: int = 1,
        column: int = 1,
        end_line: int | None = None,
        end_column: int | None = None,
        fix: Fix | None = None,
    ) -> Diagnostic:
        return Diagnostic(
            code=self.rule.code,
            name=self.rule.name,
            severity=self.severity,
            message=message,
            path=path,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            fix=fix,
        )

    def at(self, message: str, path: Path, span: Span | None, fix: Fix | None = None) -> Diagnostic:
        """A diagnostic covering `span` (the start of the file when there is none)."""
        if span is None:
            return self.diagnostic(message, path, fix=fix)
        return self.diagnostic(
            message, path, span.line, span.column, span.end_line, span.end_column, fix
        )
