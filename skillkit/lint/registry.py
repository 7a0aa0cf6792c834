"""The rule registry: loads every rule module of `skillkit.lint.rules` into a `Rule`."""

from __future__ import annotations

import importlib
from functools import cache

from skillkit.diagnostics import Severity
from skillkit.lint import rules as rules_package
from skillkit.lint.rules import rule_codes, rule_modules
from skillkit.lint.rules.base import Rule

__all__ = ["all_rules", "get_rule", "rule_codes"]


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, sorted by code."""
    rules = []
    for name in rule_modules():
        module = importlib.import_module(f"{rules_package.__name__}.{name}")
        rules.append(
            Rule(
                code=module.CODE,
                name=module.NAME,
                severity=getattr(module, "SEVERITY", Severity.ERROR),
                doc=module.__doc__ or "",
                options=getattr(module, "OPTIONS", {}),
                check=getattr(module, "check", None),
                check_tree=getattr(module, "check_tree", None),
                fixable=getattr(module, "FIXABLE", False),
            )
        )
    rules.sort(key=lambda r: r.code)
    codes = [r.code for r in rules]
    if len(codes) != len(set(codes)) or tuple(codes) != rule_codes():
        raise RuntimeError(f"rule codes must be unique and match their module names: {codes}")
    return tuple(rules)


def get_rule(code_or_name: str) -> Rule | None:
    wanted = code_or_name.strip()
    for rule in all_rules():
        if rule.code == wanted.upper() or rule.name == wanted.lower():
            return rule
    return None
