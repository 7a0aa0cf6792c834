"""``skillkit verify``: check an index against its schema and every archive's digest."""

from __future__ import annotations

import sys

import click

from skillkit.cli._common import EXIT_FINDINGS, fail, handle_errors
from skillkit.cli._index_options import make_s3, s3_options


@click.command(
    "verify",
    epilog="""\b
Examples:
  skillkit verify dist/
  skillkit verify s3://my-bucket/skills --profile prod
  skillkit verify https://skills.example.com/index.json
\b
Exit status: 0 all verified, 1 something fails (each failure is named), 2 usage error
(a location that does not exist).""",
)
@click.argument("location", default="dist")
@s3_options
@handle_errors
def command(
    location: str, endpoint_url: str | None, profile: str | None, region: str | None
) -> None:
    """Verify the index at LOCATION (default: dist/): exit 1 naming whatever fails."""
    from skillkit.index.store import local_path
    from skillkit.index.verify import verify

    path = local_path(location)
    if path is not None and not path.exists():
        # Nothing there at all is a mistyped argument (exit 2, like lint and build), not an
        # index whose content fails verification (exit 1).
        fail(f"{location}: no such file or folder; pass a built dist/ folder or its index.json")
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
