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
