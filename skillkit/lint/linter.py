"""Run the selected rules over loaded skills and return sorted diagnostics.

Per-skill work (`lint_one`) is a pure function of (skill, config), so the CLI can run it in
worker processes and cache its result by the skill's content digest; tree-wide rules
(`lint_tree`) see every skill at once. Both apply per-file ignores and inline suppressions,
and report unused suppressions (SK901) for the rules they ran.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pathspec

from skillkit.config import Config, code_matches
from skillkit.diagnostics import Diagnostic
from skillkit.lint.registry import all_rules, get_rule
from skillkit.lint.rules.base import Rule, RuleContext, SkillCheck
from skillkit.lint.suppressions import MARKER, SkillSuppressions
from skillkit.loader import LoadResult, load_skills
from skillkit.model import Skill
from skillkit.reads import remembered

UNUSED_SUPPRESSION = "SK901"


@dataclass
class LintResult:
    skills: list[Skill] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    load: LoadResult = field(default_factory=LoadResult)


def is_selected(code: str, config: Config) -> bool:
    return code_matches(code, config.select) and not code_matches(code, config.ignore)


def selected_rules(config: Config) -> list[Rule]:
    return [r for r in all_rules() if is_selected(r.code, config)]


def _context(rule: Rule, config: Config) -> RuleContext:
    options = {**rule.options, **config.rules.get(rule.code, {})}
    return RuleContext(rule, config, config.severity.get(rule.code, rule.severity), options)


@lru_cache(maxsize=64)
def _path_specs(
    items: tuple[tuple[str, tuple[str, ...]], ...],
) -> list[tuple[pathspec.PathSpec[Any], tuple[str, ...]]]:
    return [(pathspec.GitIgnoreSpec.from_lines([p]), codes) for p, codes in items]


def _path_filter(config: Config, found: Iterable[Diagnostic]) -> list[Diagnostic]:
    specs = _path_specs(tuple(sorted(config.per_file_ignores.items())))
    if not specs:
        return list(found)
    kept = []
    for diag in found:
        try:
            rel = diag.path.resolve().relative_to(config.root).as_posix()
        except ValueError:
            rel = diag.path.as_posix()
        if not any(spec.match_file(rel) and code_matches(diag.code, c) for spec, c in specs):
            kept.append(diag)
    return kept


def _suppress(
    sup: SkillSuppressions,
    found: list[Diagnostic],
    config: Config,
    codes: set[str],
    report_unknown: bool,
) -> list[Diagnostic]:
    kept = sup.filter(_path_filter(config, found))
    unused_rule = get_rule(UNUSED_SUPPRESSION)
    if unused_rule is None or not is_selected(UNUSED_SUPPRESSION, config):
        return kept
    ctx = _context(unused_rule, config)
    unused = [
        ctx.diagnostic(message, d.path, d.line, d.column, fix=fix)
        for d, message, fix in sup.unused(codes - {UNUSED_SUPPRESSION}, report_unknown)
    ]
    # An unused-suppression finding can itself be suppressed (disable-file SK901).
    kept.extend(sup.filter(_path_filter(config, unused)))
    return kept


#: the per-skill rules of the last configuration seen, with their contexts (and codes).
_per_skill: tuple[Config, list[tuple[SkillCheck, RuleContext]], frozenset[str]] | None = None


def _per_skill_rules(config: Config) -> tuple[list[tuple[SkillCheck, RuleContext]], frozenset[str]]:
    # Selecting ~40 rules and building their contexts cost as much per skill as a small rule:
    # done once per configuration object (a frozen Config; kept alive here, so `is` is safe).
    global _per_skill
    cached = _per_skill
    if cached is not None and cached[0] is config:
        return cached[1], cached[2]
    rules = [(r.check, _context(r, config)) for r in selected_rules(config) if r.check is not None]
    codes = frozenset(ctx.rule.code for _, ctx in rules)
    _per_skill = (config, rules, codes)
    return rules, codes


def lint_one(skill: Skill, config: Config) -> list[Diagnostic]:
    """Every per-skill rule on one skill, after per-file ignores and inline suppressions."""
    found: list[Diagnostic] = []
    rules, frozen_codes = _per_skill_rules(config)
    with remembered():  # rules read the same bundled files: once each
        for check, ctx in rules:
            found.extend(check(skill, ctx))
    codes = set(frozen_codes)
    kept = _suppress(SkillSuppressions(skill), found, config, codes, report_unknown=True)
    kept.sort(key=Diagnostic.sort_key)
    return kept


def lint_tree(skills: Sequence[Skill], config: Config) -> list[Diagnostic]:
    """The tree-wide rules (duplicates, catalog budgets), with the same filtering."""
    tree_rules = [r for r in selected_rules(config) if r.check_tree is not None]
    if not tree_rules:
        return []
    found: list[Diagnostic] = []
    for rule in tree_rules:
        found.extend(rule.check_tree(skills, _context(rule, config)))  # type: ignore[misc]
    codes = {r.code for r in tree_rules}
    by_md = {s.skill_md: s for s in skills}
    by_root = sorted(skills, key=lambda s: len(s.root.parts), reverse=True)
    groups: dict[Path, list[Diagnostic]] = {}
    orphans: list[Diagnostic] = []
    for diag in found:
        owner = by_md.get(diag.path) or next(
            (s for s in by_root if diag.path.is_relative_to(s.root)), None
        )
        if owner is None:
            orphans.append(diag)
        else:
            groups.setdefault(owner.skill_md, []).append(diag)
    kept = _path_filter(config, orphans)
    for skill in skills:
        mine = groups.get(skill.skill_md, [])
        if mine or MARKER in skill.body:
            sup = SkillSuppressions(skill)
            kept.extend(_suppress(sup, mine, config, codes, report_unknown=False))
    kept.sort(key=Diagnostic.sort_key)
    return kept


def lint_skills(skills: Sequence[Skill], config: Config) -> list[Diagnostic]:
    found = [d for skill in skills for d in lint_one(skill, config)]
    found.extend(lint_tree(skills, config))
    found.sort(key=Diagnostic.sort_key)
    return found


def lint_paths(paths: Iterable[Path], config: Config) -> LintResult:
    load = load_skills(paths, exclude=config.exclude, max_file_size=config.max_file_size)
    return LintResult(load.skills, lint_skills(load.skills, config), load)
