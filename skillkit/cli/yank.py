"""``skillkit yank``: mark a published version yanked (or deprecated), without deleting it."""

from __future__ import annotations

import click

from skillkit.cli._common import conflict, handle_errors
from skillkit.cli._index_options import check_location, make_s3, s3_options


@click.command(
    "yank",
    epilog="""\b
Examples:
  skillkit yank my-skill@1.2.0 --reason "leaks credentials in an example"
  skillkit yank my-skill@1.2.0 --undo
  skillkit yank my-skill@1.0.0 --deprecate --reason "use 2.x" --index s3://bucket/skills
\b
A yanked version stays downloadable by exact version but is never picked as the latest or to
satisfy a requirement.
Exit status: 0 marked, 2 usage error (no such index or version).""",
)
@click.argument("ref", metavar="NAME@VERSION")
@click.option("--reason", metavar="TEXT", help="Why (required unless --undo).")
@click.option("--undo", is_flag=True, help="Clear the flag instead of setting it.")
@click.option("--deprecate", is_flag=True, help="Mark deprecated instead of yanked.")
@click.option(
    "--index",
    "location",
    default="dist",
    show_default=True,
    metavar="LOCATION",
    help="The index to change: a path, file:// or s3://.",
)
@s3_options
@handle_errors
def command(
    ref: str,
    reason: str | None,
    undo: bool,
    deprecate: bool,
    location: str,
    endpoint_url: str | None,
    profile: str | None,
    region: str | None,
) -> None:
    """Mark NAME@VERSION as yanked (or deprecated) in the index at --index."""
    if undo and reason is not None:
        raise conflict("--undo", "--reason", " (a reason is recorded only when yanking)")
    from skillkit.index.yank import yank

    check_location(location, "pass the index to change (a dist/ folder or its index.json)")
    result = yank(
        location,
        ref,
        reason=reason,
        undo=undo,
        deprecate=deprecate,
        s3=make_s3(endpoint_url, profile, region),
    )
    flag = "deprecated" if deprecate else "yanked"
    state = f"no longer {flag}" if undo else flag
    if result.written:
        click.echo(f"{ref} is now {state} (generation {result.index.generation})")
    else:
        click.echo(f"{ref} was already {state}; nothing changed")
