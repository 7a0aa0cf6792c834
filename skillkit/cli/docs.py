"""``skillkit docs``: generate a browsable docs site of a skills catalog."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from skillkit.cli._common import EXIT_FINDINGS, conflict, handle_errors
from skillkit.cli._index_options import (
    check_folder,
    check_location,
    make_s3,
    progress_printer,
    s3_options,
)


@click.command(
    "docs",
    epilog="""\b
Examples:
  skillkit docs                            the project site: mkdocs.yml + docs/ + skills/
  skillkit docs skills/ -o site/           a catalog site of one skills tree
  skillkit docs --index dist/index.json    a catalog of a built (or published) index
  skillkit docs --templates my-templates/  override some of the page templates
  skillkit docs --index s3://bucket/skills --endpoint-url http://127.0.0.1:9000
\b
With a mkdocs.yml in the current folder (or --config), its docs/ guide is built together
with the catalog (under catalog/) and the rules reference (under rules/); --no-config builds
the catalog alone. Templates: home.md.j2, skill.md.j2, file.md.j2, tags.md.j2, rules.md.j2,
rule.md.j2; a --templates folder needs only the ones it changes. The site is offline (no web
fonts, no CDN) and links are checked strictly: a broken link fails the build (exit 1).
Exit status: 0 built, 1 the site failed to build (the old site is kept), 2 usage error.""",
)
@click.argument("skills_dirs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--index",
    "index_location",
    metavar="LOCATION",
    help="Document a built index (dist/, dist/index.json, s3://..., https://...) instead of "
    "a skills folder: adds every version with its digest and yanked mark.",
)
@click.option(
    "-o",
    "--output",
    default="site",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder that receives the site (replaced only when the build succeeds).",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path),
    help="Folder of jinja2 templates that replace the shipped ones of the same name.",
)
@click.option(
    "--config",
    "--config-file",
    "config_file",
    type=click.Path(path_type=Path),
    help="mkdocs.yml of a project site to build the catalog into. Default: ./mkdocs.yml.",
)
@click.option("--no-config", is_flag=True, help="Ignore ./mkdocs.yml: build the catalog alone.")
@click.option(
    "--encoding",
    default="cl100k_base",
    show_default=True,
    help="tiktoken encoding for token counts of a skills folder.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@s3_options
@handle_errors
def command(
    skills_dirs: tuple[Path, ...],
    index_location: str | None,
    output: Path,
    templates: Path | None,
    config_file: Path | None,
    no_config: bool,
    encoding: str,
    quiet: bool,
    endpoint_url: str | None,
    profile: str | None,
    region: str | None,
) -> None:
    """Generate the docs site of SKILLS_DIRS (default: skills/) or of --index into OUTPUT.

    Pages: a searchable catalog home, one page per skill (its SKILL.md, frontmatter, token
    footprint per level, versions, requires and required-by, each bundled file as its own
    page), a tags page and the lint rules reference.
    """
    from skillkit.extras import require

    require("docs")
    from skillkit.docs import SiteBuildError, from_index, from_skills, generate
    from skillkit.errors import SkillkitError

    if no_config and config_file is not None:
        raise conflict("--no-config", "--config", " (--no-config ignores every mkdocs.yml)")
    if skills_dirs and index_location is not None:
        raise SkillkitError("give either SKILLS_DIR or --index, not both")
    check_folder(output, option="-o")
    if templates is not None:
        check_folder(templates, must_exist=True, option="--templates")
    if index_location is not None:
        check_location(index_location, "pass a built dist/ folder, its index.json or a URL")
    project = None if no_config else config_file
    if project is None and not no_config and Path("mkdocs.yml").is_file():
        project = Path("mkdocs.yml")
    if index_location is not None:
        catalog = from_index(index_location, s3=make_s3(endpoint_url, profile, region))
    else:
        catalog = from_skills(list(skills_dirs) or [Path("skills")], encoding=encoding)
    if not catalog.skills:
        click.echo(f"skillkit: warning: no skills found in {catalog.source}", err=True)
    if not quiet and sys.stderr.isatty():
        # The mkdocs build of a big catalog takes a while: say what is happening.
        click.echo(f"rendering and building the pages of {len(catalog.skills)} skills...", err=True)
    try:
        result = generate(
            catalog, output, templates=templates, project=project, progress=progress_printer()
        )
    except SiteBuildError as exc:
        click.echo(f"skillkit: error: {exc}", err=True)
        sys.exit(EXIT_FINDINGS)
    if quiet:
        return
    for warning in result.warnings:
        click.echo(f"skillkit: warning: {warning}", err=True)
    where = f" with the guide of {project}" if project else ""
    click.echo(f"built the docs of {result.skills} skills{where} into {output}/", err=True)


def site_options(func: Any) -> Any:
    """``--site/--no-site`` and ``--site-dir`` for commands that can also produce the site."""
    func = click.option(
        "--site-dir",
        default="site",
        show_default=True,
        type=click.Path(path_type=Path),
        help="Where the docs site goes.",
    )(func)
    return click.option(
        "--site/--no-site",
        "site",
        default=None,
        help="Also build the docs site from the new index. Default: when ./mkdocs.yml exists.",
    )(func)


def build_site_from_index(
    index_location: Path, site_dir: Path, *, site: bool | None, quiet: bool
) -> None:
    """The site step of ``skillkit build``: exit 1 on a broken link, 2 on other errors."""
    project = Path("mkdocs.yml") if Path("mkdocs.yml").is_file() else None
    if site is False or (site is None and project is None):
        return
    from skillkit.extras import require

    require("docs")
    from skillkit.docs import SiteBuildError, from_index, generate

    catalog = from_index(str(index_location))
    try:
        result = generate(catalog, site_dir, project=project, progress=progress_printer())
    except SiteBuildError as exc:
        click.echo(f"skillkit: error: {exc}", err=True)
        sys.exit(EXIT_FINDINGS)
    if not quiet:
        click.echo(f"built the docs site of {result.skills} skills into {site_dir}/", err=True)
