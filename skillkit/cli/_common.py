"""What every subcommand shares: turning failures into one clear line and an exit status."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import click

from skillkit.errors import SkillkitError

P = ParamSpec("P")
R = TypeVar("R")

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def fail(message: str) -> None:
    """Print ``skillkit: error: ...`` to stderr and exit 2."""
    click.echo(f"skillkit: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def given(name: str) -> bool:
    """Whether the option whose parameter is `name` was set by the user, not defaulted."""
    from click.core import ParameterSource

    source = click.get_current_context().get_parameter_source(name)
    return source not in (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)


def conflict(first: str, second: str, why: str = "") -> SkillkitError:
    """The usage error for two options that cannot be combined (exit 2 via `handle_errors`)."""
    return SkillkitError(f"{first} and {second} cannot be used together{why}")


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Map expected failures to exit 2 with one line; anything else is a bug, reported briefly."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except SkillkitError as exc:
            fail(str(exc))
        except BrokenPipeError:
            raise
        except KeyboardInterrupt:
            click.echo("skillkit: interrupted", err=True)
            sys.exit(130)
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            fail(f"{exc.strerror or exc}{where}")
        except RecursionError:
            fail("input nests too deeply to process")
        except Exception as exc:
            fail(f"internal error ({type(exc).__name__}: {exc}); please report it")
        raise AssertionError("unreachable")

    return wrapper


def text_or_json(dest: str = "output_format", help: str = "text for people, json for tools."
                 ) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``--output-format/--format text|json``, the report option of the commands that have
    only those two formats."""
    return click.option("--output-format", "--format", dest, type=click.Choice(["text", "json"]),
                        default="text", show_default=True, help=help)
