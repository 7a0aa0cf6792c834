"""The rule registry: every ``skNNN_*`` module in this package is a rule (see `base`)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

from skillkit.diagnostics import Severity
from skillkit.rules.base import Rule

_MODULE = re.compile(r"^sk\d{3}_\w+$")


@cache
def rule_codes() -> tuple[str, ...]:
    """Every rule code, from the module names alone: checking a configuration's codes must not
    import every rule (a fully cached lint needs none of them)."""
    return tuple(
        sorted(
            info.name[:5].upper()
            for info in pkgutil.iter_modules(__path__)
            if _MODULE.match(info.name)
        )
    )


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, sorted by code."""
    rules = []
    for info in pkgutil.iter_modules(__path__):
        if not _MODULE.match(info.name):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
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
