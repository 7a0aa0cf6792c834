"""``skillkit tokens``: what each skill costs an agent, per loading level."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click

from skillkit.cli._common import handle_errors

#: a run shows a progress bar (on a terminal) only from this many skills on.
PROGRESS_MIN_SKILLS = 100


@dataclass(frozen=True)
class Options:
    """Everything the command line says, as plain data (`execute` is callable from tests)."""

    paths: tuple[Path, ...]
    output_format: str = "table"
    sort: str = "total"
    reverse: bool = False
    encoding: str | None = None
    cache: bool = True
    compare: str | None = None
    config_path: Path | None = None


def default_paths() -> tuple[Path, ...]:
    skills = Path("skills")
    return (skills,) if skills.is_dir() else (Path("."),)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr, only on long runs when stdout is a terminal."""
    if total < PROGRESS_MIN_SKILLS or not sys.stdout.isatty():
        yield None
        return
    with click.progressbar(length=total, label="Counting tokens", file=sys.stderr) as bar:
        yield bar.update


def execute(opts: Options) -> str:
    """Run the command; returns the text to print. `SkillkitError` on bad input."""
    from skillkit.config import load_config
    from skillkit.tokens.cache import cache_dir_for
    from skillkit.tokens.encoding import check_encoding_name, get_encoding
    from skillkit.tokens.measure import Report, find_tree, report_for_folders, sort_rows

    config = load_config(opts.paths[0] if opts.paths else None, explicit=opts.config_path)
    encoding = opts.encoding or config.encoding
    check_encoding_name(encoding)  # an unknown name is an error before any work
    if not opts.cache:
        get_encoding(encoding)  # every text will be counted: an unavailable file fails now
    cache_dir = cache_dir_for(config)

    def measure(paths: Sequence[Path], allow_empty: bool) -> object:
        roots, notes = find_tree(paths, exclude=config.exclude, allow_empty=allow_empty)
        with _progress(len(roots)) as progress:
            return report_for_folders(
                roots,
                encoding,
                max_file_size=config.max_file_size,
                cache=opts.cache,
                cache_dir=cache_dir,
                progress=progress,
                notes=notes,
            )

    after = measure(opts.paths, allow_empty=opts.compare is not None)
    assert isinstance(after, Report)
    for note in after.notes:
        click.echo(f"skillkit: warning: {note}", err=True)
    if opts.compare is None:
        from skillkit.tokens.formats import REPORT_FORMATS

        rows = sort_rows(after.rows, opts.sort, opts.reverse)
        return REPORT_FORMATS[opts.output_format](after, rows)
    return _compare(opts, after, measure)


def _compare(
    opts: Options, after: object, measure: Callable[[Sequence[Path], bool], object]
) -> str:
    from skillkit.tokens.compare import compare_reports, export_revision
    from skillkit.tokens.formats import COMPARE_FORMATS
    from skillkit.tokens.measure import Report

    assert opts.compare is not None and isinstance(after, Report)
    other = Path(opts.compare)
    if other.exists():
        before = measure([other], True)
        label = str(other)
    else:
        with tempfile.TemporaryDirectory(prefix="skillkit-compare-") as tmp:
            landed = export_revision(opts.compare, opts.paths, Path(tmp))
            before = measure(landed, True) if landed else Report(after.encoding, (), 0)
        label = f"git {opts.compare}"
    assert isinstance(before, Report)
    cmp = compare_reports(before, after, label, " ".join(str(p) for p in opts.paths))
    changes = list(cmp.changes)
    if opts.sort == "name":
        changes.sort(key=lambda c: c.name)
    if opts.reverse:
        changes.reverse()
    return COMPARE_FORMATS[opts.output_format](cmp, changes)


@click.command(
    "tokens",
    epilog="""\b
Examples:
  skillkit tokens                          every skill under skills/ (or .)
  skillkit tokens skills/pdf --output-format json
  skillkit tokens --sort l1                who weighs most on every conversation
  skillkit tokens --compare main           before/after against a git branch or commit
  skillkit tokens --compare ../old-skills  ... or against another folder
\b
Levels: L1 = the skill's entry in the <available_skills> block an agent's prompt lists
(the catalog row's L1 is the whole block: paid by every conversation); L2 = the whole
SKILL.md (paid when the skill is used); L3 = each bundled file, read on demand (binary
files are listed with their size only).
Counting is offline: cl100k_base ships with skillkit. Counts are cached by content hash in
.skillkit_cache/tokens/ beside your skillkit configuration (or in the current folder).
Exit status: 0 measured, 2 usage error (no such path, unknown encoding or revision).""",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--output-format",
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--sort",
    type=click.Choice(["total", "l1", "l2", "l3", "name"]),
    default="total",
    show_default=True,
    help="Order of the skills: by cost, most expensive first (name: A to Z).",
)
@click.option("--reverse", is_flag=True, help="Reverse the order.")
@click.option(
    "--encoding",
    metavar="NAME",
    help="tiktoken encoding (default: the configured one, else cl100k_base). Others such as "
    "o200k_base work when available locally (tiktoken's cache, TIKTOKEN_CACHE_DIR).",
)
@click.option("--no-cache", is_flag=True, help="Count everything again; read/write no cache.")
@click.option(
    "--compare",
    metavar="OTHER",
    help="Show before/after against OTHER: a folder, or a git revision (branch, tag, commit) "
    "whose copy of the same PATHS is used (an existing folder wins over a revision name).",
)
@click.option(
    "--config",
    "--config-file",
    "config_path",
    type=click.Path(path_type=Path),
    help="skillkit.toml or pyproject.toml to use instead of the one found by walking up.",
)
@handle_errors
def command(
    paths: tuple[Path, ...],
    output_format: str,
    sort: str,
    reverse: bool,
    encoding: str | None,
    no_cache: bool,
    compare: str | None,
    config_path: Path | None,
) -> None:
    """Measure the token footprint of each skill under PATHS per loading level.

    PATHS are skill folders, SKILL.md files or folders to search (default: skills/ if it
    exists, else the current folder).
    """
    opts = Options(
        paths=paths or default_paths(),
        output_format=output_format,
        sort=sort,
        reverse=reverse,
        encoding=encoding,
        cache=not no_cache,
        compare=compare,
        config_path=config_path,
    )
    click.echo(execute(opts), nl=False)
