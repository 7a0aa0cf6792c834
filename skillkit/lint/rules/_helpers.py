"""Shared pieces of rule modules (not a rule: the registry loads only ``skNNN_*`` modules)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import TypeVar

from skillkit.diagnostics import Diagnostic, Fix
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill
from skillkit.schema import Violation, violations

#: skillkit's own fields: they belong under ``metadata`` (as strings) to keep SKILL.md portable.
SKILLKIT_FIELDS = ("version", "tags", "requires", "source")


def loader_problems(skill: Skill, ctx: RuleContext, kinds: Collection[str]) -> Iterator[Diagnostic]:
    """Turn the loader's problems of the given kinds into this rule's findings."""
    for problem in skill.problems:
        if problem.kind in kinds:
            yield ctx.diagnostic(problem.message, problem.path, problem.line, problem.column)


def schema_findings(
    skill: Skill,
    ctx: RuleContext,
    wanted: Callable[[Violation], bool],
    word: Callable[[Violation], str],
    fix: Callable[[Skill, Violation], Fix | None] | None = None,
) -> Iterator[Diagnostic]:
    """This rule's share of the schema violations, worded by `word`."""
    for v in violations(skill):
        if wanted(v):
            yield ctx.at(word(v), skill.skill_md, v.span, fix(skill, v) if fix else None)


def field_label(v: Violation) -> str:
    return ".".join(str(p) for p in v.path) or "frontmatter"


_T = TypeVar("_T")


def per_skill(fn: Callable[[Skill], _T]) -> Callable[[Skill], _T]:
    """Memoise a pure function of a skill for the few skills linted most recently.

    Several rules read the same derived data (links, headings) one after another; skills are
    unhashable dataclasses, so the memo is by identity and holds only a handful of them.
    """
    recent: list[tuple[Skill, _T]] = []

    def wrapper(skill: Skill) -> _T:
        for seen, value in recent:
            if seen is skill:
                return value
        value = fn(skill)
        recent.insert(0, (skill, value))
        del recent[4:]
        return value

    wrapper.__doc__ = fn.__doc__
    return wrapper
