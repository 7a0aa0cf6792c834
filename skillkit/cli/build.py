"""``skillkit build``: lint, measure and package a skills tree into a versioned index."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from skillkit.cli._common import EXIT_FINDINGS, conflict, given, handle_errors
from skillkit.cli._index_options import (
    check_folder,
    make_s3,
    print_findings,
    progress_printer,
    s3_options,
)
from skillkit.cli.docs import build_site_from_index, site_options


@click.command(
    "build",
    epilog="""\b
Examples:
  skillkit build                        build skills/ into dist/
  skillkit build my-skills -o out/      another tree and output folder
  skillkit build --index s3://bucket/skills --endpoint-url http://127.0.0.1:9000
\b
Every skill needs metadata.version (semver). Versions are immutable: rebuilding a version
with different content is refused; bump metadata.version instead. Set SOURCE_DATE_EPOCH for
reproducible timestamps in index.json (archives are always reproducible).
Exit status: 0 built, 1 lint errors, a changed published version, an unresolved requirement
or a broken site link, 2 usage/config/internal error.""",
)
@click.argument("skills_dir", default="skills", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    default="dist",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder that receives index.json and archives/.",
)
@click.option(
    "--index",
    "index_location",
    metavar="LOCATION",
    help="Existing index to merge into (path, file://, s3://, https://). "
    "Default: OUTPUT/index.json when it exists.",
)
@click.option(
    "--config",
    "--config-file",
    "config_path",
    type=click.Path(path_type=Path),
    help="skillkit.toml or pyproject.toml to use instead of the one found by walking up.",
)
@click.option(
    "--allow-lint-errors",
    is_flag=True,
    help="Build even when lint reports errors (they are still printed).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@s3_options
@site_options
@handle_errors
def command(
    skills_dir: Path,
    output: Path,
    index_location: str | None,
    config_path: Path | None,
    allow_lint_errors: bool,
    quiet: bool,
    endpoint_url: str | None,
    profile: str | None,
    region: str | None,
    site: bool | None,
    site_dir: Path,
) -> None:
    """Compile SKILLS_DIR (default: skills/) into OUTPUT (default: dist/).

    Lints first (any error stops the build), measures token footprints, packages each skill
    at its metadata.version as a deterministic .tar.gz, and writes OUTPUT/index.json last.
    Unchanged skills are reused from the build cache.
    """
    if site is False and given("site_dir"):
        raise conflict("--no-site", "--site-dir", " (--site-dir says where the site goes)")
    from skillkit.config import load_config

    check_folder(output, option="-o")
    if site is not False:
        check_folder(site_dir, option="--site-dir")
    from skillkit.index.builder import LintFailed, build
    from skillkit.index.errors import BuildError

    config = load_config(skills_dir, explicit=config_path)
    try:
        result = build(
            skills_dir,
            output,
            index=index_location,
            config=config,
            allow_lint_errors=allow_lint_errors,
            s3=make_s3(endpoint_url, profile, region),
            progress=None if quiet else progress_printer(),
        )
    except LintFailed as exc:
        print_findings(exc.diagnostics, exc.roots)
        click.echo(f"skillkit: error: {exc}", err=True)
        sys.exit(EXIT_FINDINGS)
    except BuildError as exc:
        click.echo(f"skillkit: error: {exc}", err=True)
        sys.exit(EXIT_FINDINGS)
    for archive in result.missing:
        click.echo(
            f"skillkit: warning: {output / archive} is missing and cannot be recreated "
            "byte-for-byte (built with another SOURCE_DATE_EPOCH); copy it back from where "
            "it was published",
            err=True,
        )
    # The docs site (skillkit docs), from the index just written: see skillkit/cli/docs.py.
    build_site_from_index(output, site_dir, site=site, quiet=quiet)
    if quiet:
        return
    if result.diagnostics:
        print_findings(result.diagnostics, result.roots)
    for entry in result.added:
        click.echo(f"added {entry.ref}  ({entry.size:,} bytes, L2 {entry.tokens.l2:,} tokens)")
    count = len(result.added) + len(result.unchanged)
    state = "wrote index.json" if result.wrote_index else "index.json unchanged"
    click.echo(
        f"built {count} skill{'' if count == 1 else 's'} into {output}/ "
        f"({len(result.added)} new, {len(result.unchanged)} unchanged; "
        f"{result.packed} packed, {result.reused} from cache); "
        f"{state}, generation {result.index.generation}",
        err=True,
    )
