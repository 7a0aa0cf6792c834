"""Options shared by the index commands (build, publish, verify, yank)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from skillkit.diagnostics import Diagnostic

F = TypeVar("F", bound=Callable[..., Any])


def s3_options(func: F) -> F:
    """``--endpoint-url``, ``--profile``, ``--region``: how to reach an ``s3://`` location."""
    func = click.option(
        "--region", metavar="REGION", help="AWS region of the bucket (default: your AWS config)."
    )(func)
    func = click.option(
        "--profile", metavar="NAME", help="AWS profile from ~/.aws/config to use for s3://."
    )(func)
    func = click.option(
        "--endpoint-url",
        metavar="URL",
        help="S3-compatible endpoint (MinIO, moto, LocalStack) instead of AWS.",
    )(func)
    return func


def check_location(location: str | Path, hint: str = "") -> None:
    """Refuse a local index location that does not exist, or a file that cannot be an index,
    with the wording every command uses (exit 2 via `handle_errors`)."""
    from skillkit.errors import SkillkitError
    from skillkit.fsutil import file_in_the_way, file_message, missing_message
    from skillkit.index.store import local_path

    path = local_path(location)
    if path is None:
        return
    suffix = f"; {hint}" if hint else ""
    if not path.exists():
        blocker = file_in_the_way(path, itself=False)
        if blocker is not None:  # below a file: the file is what is wrong
            raise SkillkitError(file_message(blocker) + suffix)
        raise SkillkitError(missing_message(location) + suffix)
    if not path.is_dir() and path.suffix != ".json":
        raise SkillkitError(f"{file_message(location)} (nor an index .json){suffix}")


def check_folder(path: Path, *, must_exist: bool = False, option: str = "") -> None:
    """The same wording for a folder argument or option: missing (when it must exist), or a
    file where the folder should be."""
    from skillkit.errors import SkillkitError
    from skillkit.fsutil import file_in_the_way, file_message, missing_message

    where = f" ({option})" if option else ""
    blocker = file_in_the_way(path)
    if must_exist and not path.exists() and blocker is None:
        raise SkillkitError(missing_message(path) + where)
    if blocker is not None:
        raise SkillkitError(file_message(blocker) + where)


def make_s3(endpoint_url: str | None, profile: str | None, region: str | None) -> Any:
    from skillkit.index.store import S3Options

    return S3Options(endpoint_url=endpoint_url, profile=profile, region=region)


def print_findings(diagnostics: Sequence[Diagnostic], roots: Sequence[Path] = ()) -> None:
    """Show lint findings in the lint text format (``skillkit lint``'s text reporter)."""
    try:
        reporters: Any = importlib.import_module("skillkit.lint.reporters")
        text: Any = importlib.import_module("skillkit.lint.reporters.text")
        report = reporters.Report(list(diagnostics), skills_checked=len(roots), roots=roots)
        reporter = reporters.get_reporter("text", colour=text.colour_default())
        click.echo(reporter.render(report), nl=False)
        return
    except (ImportError, AttributeError, TypeError):
        pass  # the reporters are not available: the plain ruff-like form
    for d in diagnostics:
        click.echo(f"{d.location()}: {d.code} {d.message}")


def progress_printer() -> Callable[[int, int, str], None] | None:
    """A one-line progress display on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, name: str) -> None:
        end = "\n" if done == total else ""
        click.echo(f"\r\033[K[{done}/{total}] {name[:60]}", nl=False, err=True)
        if end:
            click.echo("\r\033[K", nl=False, err=True)

    return show
