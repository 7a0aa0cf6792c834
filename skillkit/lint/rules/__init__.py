"""The rules: every ``skNNN_*`` module in this package is one rule (the contract is in `base`;
`skillkit.lint.registry` loads them).

This file imports nothing from skillkit: the configuration checks its selectors against
`rule_codes` (module names only), and must not pull in the rules, which import it.
"""

from __future__ import annotations

import pkgutil
import re
from functools import cache

MODULE_NAME = re.compile(r"^sk\d{3}_\w+$")


@cache
def rule_modules() -> tuple[str, ...]:
    """The names of the rule modules, sorted: a new module here is all a new rule takes."""
    names = (info.name for info in pkgutil.iter_modules(__path__))
    return tuple(sorted(n for n in names if MODULE_NAME.match(n)))


@cache
def rule_codes() -> tuple[str, ...]:
    """Every rule code, from the module names alone: checking a configuration's codes must not
    import every rule (a fully cached lint needs none of them)."""
    return tuple(sorted(name[:5].upper() for name in rule_modules()))
