"""``skillkit verify``: check an index against its schema and every archive's digest."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from skillkit.cli._common import EXIT_FINDINGS, handle_errors
from skillkit.cli._index_options import check_location, make_s3, s3_options


@click.command(
    "verify",
    epilog="""\b
Examples:
  skillkit verify dist/
  skillkit verify s3://my-bucket/skills --profile prod
  skillkit verify https://skills.example.com/index.json
  skillkit verify --lock skills.lock.json      installed skills still as locked?
\b
Exit status: 0 all verified, 1 something fails (each failure is named), 2 usage error
(a location that does not exist).""",
)
@click.argument("location", default="dist")
@click.option(
    "--lock",
    "lock",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Check the skills installed by `skillkit install` against this skills.lock.json "
    "instead of an index: names each changed, missing or extra file.",
)
@s3_options
@handle_errors
def command(
    location: str,
    lock: Path | None,
    endpoint_url: str | None,
    profile: str | None,
    region: str | None,
) -> None:
    """Verify the index at LOCATION (default: dist/): exit 1 naming whatever fails."""
    from skillkit.index.verify import verify

    if lock is not None:
        _verify_lock(lock)
        return

    # Nothing there at all is a mistyped argument (exit 2, like lint and build), not an
    # index whose content fails verification (exit 1).
    check_location(location, "pass a built dist/ folder or its index.json")
    report = verify(location, s3=make_s3(endpoint_url, profile, region))
    for failure in report.failures:
        click.echo(f"FAIL {failure}")
    if report.ok:
        click.echo(f"ok: {report.location}: index valid, {report.checked} archives verified")
        return
    click.echo(
        f"{len(report.failures)} problem{'s' if len(report.failures) != 1 else ''} "
        f"in {report.location}",
        err=True,
    )
    sys.exit(EXIT_FINDINGS)


def _verify_lock(lock: Path) -> None:
    from skillkit.install import verify_lock

    problems = verify_lock(lock)
    for problem in problems:
        click.echo(f"FAIL {problem}")
    if not problems:
        click.echo(f"ok: every skill in {lock} is installed as locked")
        return
    click.echo(
        f"{len(problems)} difference{'s' if len(problems) != 1 else ''} from {lock}", err=True
    )
    sys.exit(EXIT_FINDINGS)
