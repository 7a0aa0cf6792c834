"""``skillkit publish``: upload a built dist/ to a folder or an s3:// bucket."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from skillkit.cli._common import EXIT_FINDINGS, handle_errors
from skillkit.cli._index_options import check_location, make_s3, s3_options


@click.command(
    "publish",
    epilog="""\b
Examples:
  skillkit publish dist/ --to /srv/skills
  skillkit publish dist/ --to s3://my-bucket/skills --profile prod
  skillkit publish dist/ --to s3://my-bucket/skills --endpoint-url http://127.0.0.1:9000
\b
Archives are uploaded first and the index last, so readers never see an index naming a
missing archive. Concurrent publishers are safe (compare-and-swap on the index); running the
same publish again changes nothing.
Exit status: 0 published (or already up to date), 1 the target refused it, 2 usage error
or a dist/ that fails verification (nothing is uploaded then).""",
)
@click.argument("dist", default="dist", type=click.Path(path_type=Path))
@click.option(
    "--to",
    "target",
    required=True,
    metavar="DIR|s3://BUCKET/PREFIX",
    help="Where to publish: a folder, file://, or s3://bucket/prefix.",
)
@s3_options
@handle_errors
def command(
    dist: Path,
    target: str,
    endpoint_url: str | None,
    profile: str | None,
    region: str | None,
) -> None:
    """Publish the index built in DIST (default: dist/) to --to."""
    from skillkit.index.errors import BuildError
    from skillkit.index.publish import check_target, publish

    try:
        check_target(target)  # an unusable target first: it is what the user must fix
        check_location(dist, "pass the folder `skillkit build` wrote (dist/)")
        result = publish(dist, target, s3=make_s3(endpoint_url, profile, region))
    except BuildError as exc:
        click.echo(f"skillkit: error: {exc}", err=True)
        sys.exit(EXIT_FINDINGS)
    for archive in result.uploaded:
        click.echo(f"uploaded {archive}")
    if result.index_written:
        click.echo(
            f"published {result.target} (generation {result.generation}; "
            f"{len(result.uploaded)} archives uploaded, {len(result.skipped)} already there)"
        )
    else:
        click.echo(f"{result.target} is already up to date (generation {result.generation})")
