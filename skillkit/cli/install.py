"""``skillkit install``: skills from an index into an agent's skills folder, with a lockfile."""

from __future__ import annotations

from pathlib import Path

import click

from skillkit.cli._common import handle_errors
from skillkit.cli._index_options import check_folder, check_location, make_s3, s3_options


@click.command(
    "install",
    epilog="""\b
Examples:
  skillkit install pdf-form-filler --index s3://my-bucket/skills
  skillkit install "changelog-writer@^1" s3-bucket-audit@1.2.0 --index dist/ --agent codex
  skillkit install --frozen                 exactly skills.lock.json (CI, teammates)
  skillkit verify --lock skills.lock.json   did anyone edit what was installed?
\b
Agents: claude-code (.claude/skills/), codex (.codex/skills/), agents (.agents/skills/).
Every archive's and file's sha256 is checked before anything is written; every skill is
unpacked beside its folder first, so a failure leaves the installed folders as they were.
Exit status: 0 installed, 2 the index cannot provide what was asked (or usage error).""",
)
@click.argument("skills", nargs=-1, metavar="NAME[@RANGE]...")
@click.option(
    "--index",
    "location",
    metavar="LOCATION",
    help="The index to install from: a folder or index.json, file://, s3://bucket/prefix, "
    "https:// (default: the lockfile's).",
)
@click.option(
    "--agent",
    type=click.Choice(["claude-code", "codex", "agents"]),
    help="Whose skills folder to install into (default: the lockfile's, else claude-code).",
)
@click.option(
    "--dir",
    "project",
    default=".",
    show_default=True,
    type=click.Path(path_type=Path),
    help="The project folder: skills go under it, skills.lock.json beside them.",
)
@click.option(
    "--frozen",
    is_flag=True,
    help="Install exactly the versions in skills.lock.json; fail if the index cannot.",
)
@s3_options
@handle_errors
def command(
    skills: tuple[str, ...],
    location: str | None,
    agent: str | None,
    project: Path,
    frozen: bool,
    endpoint_url: str | None,
    profile: str | None,
    region: str | None,
) -> None:
    """Install skills NAME[@RANGE]... and everything they require from --index.

    Resolves each skill's metadata.requires against the index (the highest non-yanked version
    in every range), verifies every digest, unpacks into the agent's skills folder and writes
    skills.lock.json (index, and per skill: version, archive sha256, tree sha256, files).
    """
    from skillkit.install import install

    if location is not None:
        check_location(location, "pass a built dist/ folder, its index.json or a URL")
    check_folder(project, must_exist=True, option="--dir")
    result = install(
        skills,
        location,
        project=project,
        agent=agent,
        frozen=frozen,
        s3=make_s3(endpoint_url, profile, region),
    )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for entry in result.installed:
        click.echo(f"installed {entry.ref} -> {result.folder / entry.name}")
    for entry in result.unchanged:
        click.echo(f"up to date {entry.ref}")
    count = len(result.lock.skills)
    click.echo(f"locked {count} skill{'s' if count != 1 else ''} in {result.lock_path}")
