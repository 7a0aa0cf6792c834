"""Run the selected rules over loaded skills and return sorted diagnostics."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

from skillkit.config import Config, code_matches
from skillkit.diagnostics import Diagnostic
from skillkit.loader import LoadResult, load_skills
from skillkit.model import Skill
from skillkit.rules import all_rules
from skillkit.rules.base import Rule, RuleContext


@dataclass
class LintResult:
    skills: list[Skill] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    load: LoadResult = field(default_factory=LoadResult)


def selected_rules(config: Config) -> list[Rule]:
    return [
        r
        for r in all_rules()
        if code_matches(r.code, config.select) and not code_matches(r.code, config.ignore)
    ]


def _context(rule: Rule, config: Config) -> RuleContext:
    options = {**rule.options, **config.rules.get(rule.code, {})}
    return RuleContext(rule, config, config.severity.get(rule.code, rule.severity), options)


def _ignored_by_path(
    diag: Diagnostic, config: Config, specs: list[tuple[pathspec.PathSpec[Any], tuple[str, ...]]]
) -> bool:
    if not specs:
        return False
    try:
        rel = diag.path.resolve().relative_to(config.root).as_posix()
    except ValueError:
        rel = diag.path.as_posix()
    return any(spec.match_file(rel) and code_matches(diag.code, codes) for spec, codes in specs)


def lint_skills(skills: Sequence[Skill], config: Config) -> list[Diagnostic]:
    rules = selected_rules(config)
    contexts = [(r, _context(r, config)) for r in rules]
    found: list[Diagnostic] = []
    for skill in skills:
        for rule, ctx in contexts:
            if rule.check is not None:
                found.extend(rule.check(skill, ctx))
    for rule, ctx in contexts:
        if rule.check_tree is not None:
            found.extend(rule.check_tree(skills, ctx))
    specs = [
        (pathspec.PathSpec.from_lines("gitwildmatch", [pattern]), codes)
        for pattern, codes in config.per_file_ignores.items()
    ]
    kept = [d for d in found if not _ignored_by_path(d, config, specs)]
    kept.sort(key=Diagnostic.sort_key)
    return kept


def lint_paths(paths: Iterable[Path], config: Config) -> LintResult:
    load = load_skills(paths, exclude=config.exclude, max_file_size=config.max_file_size)
    return LintResult(load.skills, lint_skills(load.skills, config), load)
