"""``skillkit lint``: parse options into `LintOptions`, then `execute()` does the work."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click

from skillkit import __version__
from skillkit.cli._common import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, conflict, handle_errors
from skillkit.config import (
    FAIL_ON_CHOICES,
    Config,
    load_config,
    parse_targets,
    selector_problem,
)
from skillkit.diagnostics import Diagnostic, Severity
from skillkit.errors import SkillkitError
from skillkit.lint.findings_cache import default_cache_dir
from skillkit.lint.reporters import FORMATS, Report, get_reporter
from skillkit.lint.reporters.text import colour_default
from skillkit.lint.run import Progress, RunResult, run_lint
from skillkit.loader import SKILL_FILE, load_skill
from skillkit.model import Skill

#: ``--fix`` repeats fix-and-relint rounds until nothing changes, at most this often.
MAX_FIX_ROUNDS = 5


@dataclass
class LintOptions:
    """Everything ``skillkit lint`` was asked to do, as plain data (tests call `execute`)."""

    paths: list[Path] = field(default_factory=list)
    output_format: str = "text"
    output_file: Path | None = None
    fix: bool = False
    diff: bool = False
    exit_zero: bool = False
    fail_on: Severity | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    config_file: Path | None = None
    use_cache: bool = True
    cache_dir: Path | None = None
    jobs: int | None = None
    statistics: bool = False
    quiet: bool = False
    skip_outside_skills: bool = False
    colour: bool | None = None
    #: agent names replacing the configured `targets` (empty: keep the configuration's).
    targets: tuple[str, ...] = ()


def _split_codes(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(c.strip().upper() for v in values for c in v.split(",") if c.strip())


def _check_selectors(selectors: Sequence[str], option: str) -> None:
    for s in selectors:
        problem = selector_problem(s)
        if problem:
            raise SkillkitError(f"{option}: {problem}")


def effective_config(options: LintOptions) -> Config:
    """The configuration file's settings with the command-line overrides applied (ruff-style:
    ``--select`` replaces the configured selection, ``--extend-select``/``--ignore`` add)."""
    if options.config_file is not None:
        if not options.config_file.is_file():
            raise SkillkitError(f"{options.config_file}: no such file or folder (--config)")
        config = load_config(explicit=options.config_file)
    else:
        start = options.paths[0] if options.paths else Path.cwd()
        config = load_config(start if start.exists() else Path.cwd())
    changes: dict[str, object] = {}
    if options.select is not None:
        _check_selectors(options.select, "--select")
        changes["select"] = options.select
    if options.extend_select:
        _check_selectors(options.extend_select, "--extend-select")
        changes["select"] = (*changes.get("select", config.select), *options.extend_select)  # type: ignore[misc]
    if options.ignore:
        _check_selectors(options.ignore, "--ignore")
        changes["ignore"] = (*config.ignore, *options.ignore)
    if options.fail_on is not None:
        changes["fail_on"] = options.fail_on
    if options.targets:
        problems: list[str] = []
        changes["targets"] = parse_targets(list(options.targets), problems, "--target")
        if problems:
            raise SkillkitError(problems[0])
    return dataclasses.replace(config, **changes) if changes else config  # type: ignore[arg-type]


def _skill_folder_of(path: Path) -> Path | None:
    """The skill folder that holds `path` (a file anywhere inside a skill), if any."""
    for folder in path.resolve().parents:
        if (folder / SKILL_FILE).is_file():
            return folder
    return None


def targets(paths: Sequence[Path], skip_outside: bool) -> list[Path]:
    """Map given files to their skill folders (pre-commit passes file names)."""
    if not paths:
        return [Path("skills")] if Path("skills").is_dir() else [Path(".")]
    out: list[Path] = []
    for path in paths:
        if path.is_file() and path.name != SKILL_FILE:
            folder = _skill_folder_of(path)
            if folder is not None:
                out.append(Path(os.path.relpath(folder)))
                continue
            if skip_outside:
                continue
        out.append(path)
    return out


def _progress_printer(enabled: bool) -> Progress | None:
    if not enabled:
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        click.echo(f"\rlinting skills: {done}/{total}", err=True, nl=False)
        if end:
            click.echo("", err=True)

    return show


def execute(options: LintOptions) -> int:
    """Run a lint as ``skillkit lint`` would; returns the exit status."""
    config = effective_config(options)
    paths = targets(options.paths, options.skip_outside_skills)
    if not paths:
        if not options.quiet:
            click.echo("No skill files among the given paths; nothing to check.", err=True)
        return EXIT_CLEAN
    cache_dir = None
    if options.use_cache:
        cache_dir = options.cache_dir or default_cache_dir(config)
    progress = _progress_printer(not options.quiet and sys.stderr.isatty())

    def lint() -> RunResult:
        return run_lint(paths, config, cache_dir=cache_dir, jobs=options.jobs, progress=progress)

    result = lint()
    if result.path_problems:
        for problem in result.path_problems:
            click.echo(f"skillkit: error: {problem.message}", err=True)
        return EXIT_ERROR

    if options.diff:
        return _show_diff(result, config)
    fixed = 0
    fixed_files: set[Path] = set()
    if options.fix:
        from skillkit.lint import fixes

        for _ in range(MAX_FIX_ROUNDS):
            changed = fixes.apply_fixes(_fixable_skills(result, config), result.diagnostics)
            if not changed:
                break
            fixed_files.update(changed)
            before = result.diagnostics
            result = lint()
            fixed += _count_fixed(before, result.diagnostics, set(changed))

    report = Report(
        diagnostics=result.diagnostics,
        rules=result.rules if options.output_format == "sarif" else (),
        skills_checked=result.skills_checked,
        fail_on=config.fail_on,
        fixed=fixed,
        fixed_files=len(fixed_files),
        roots=result.roots,
        statistics=options.statistics,
        cwd=Path.cwd(),
        tool_version=__version__,
    )
    colour = options.colour
    if colour is None:
        colour = options.output_file is None and colour_default()
    reporter = get_reporter(options.output_format, colour=colour, quiet=options.quiet)
    rendered = reporter.render(report)
    if options.output_file is not None:
        from skillkit.fsutil import atomic_write_text

        created = _missing_folder(options.output_file)
        atomic_write_text(options.output_file, rendered)
        if created is not None:
            # A typo in -o must not send the report somewhere nobody looks, silently.
            click.echo(
                f"skillkit: wrote the report to {options.output_file} (created {created}/)",
                err=True,
            )
    elif rendered:
        click.echo(rendered, nl=False, color=colour)
    if options.exit_zero or report.failing == 0:
        return EXIT_CLEAN
    return EXIT_FINDINGS


def _missing_folder(path: Path) -> Path | None:
    """The outermost parent folder of `path` that does not exist yet (None: all do)."""
    missing = None
    for parent in path.parents:
        if parent.exists():
            break
        missing = parent
    return missing


def _count_fixed(
    before: Sequence[Diagnostic], after: Sequence[Diagnostic], changed: set[Path]
) -> int:
    """Fixable findings in the changed files that the relint no longer reports.

    Counted per (file, rule) rather than as a net total, so a finding that a fix brings to
    light does not hide a problem that was fixed.
    """
    gone = Counter((d.path, d.code) for d in before if d.fix is not None and d.path in changed)
    gone.subtract(Counter((d.path, d.code) for d in after))
    return sum(n for n in gone.values() if n > 0)


def _fixable_skills(result: RunResult, config: Config) -> list[Skill]:
    """The skills that carry a fix, loaded again (fixes edit the text the loader decoded)."""
    paths = {d.path for d in result.diagnostics if d.fix is not None}
    return [
        load_skill(root, max_file_size=config.max_file_size)
        for root in result.roots
        if root / SKILL_FILE in paths
    ]


def _show_diff(result: RunResult, config: Config) -> int:
    from skillkit.lint import fixes

    plans = fixes.plan_fixes(_fixable_skills(result, config), result.diagnostics)
    for plan in sorted(plans, key=lambda p: p.path):
        click.echo(plan.diff(), nl=False)
    if plans:
        n = len(plans)
        click.echo(f"{n} file{'s' if n != 1 else ''} would be changed by --fix.", err=True)
        return EXIT_FINDINGS
    click.echo("No fixes available.", err=True)
    return EXIT_CLEAN


def _codes_option(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> object:
    codes = _split_codes(value)
    if param.name == "select" and not value:
        return None
    return codes


def _severity(ctx: click.Context, param: click.Parameter, value: str | None) -> Severity | None:
    return None if value is None else Severity.parse(value)


@click.command(
    "lint",
    epilog="""\b
Examples:
  skillkit lint                          lint skills/ (or . when there is none)
  skillkit lint skills/ --output-format github
  skillkit lint --output-format sarif -o skillkit.sarif
  skillkit lint --select SK1 --ignore SK107
  skillkit lint --diff                   show what --fix would change
  skillkit lint --statistics             counts per rule
  skillkit lint --target claude-code     accept Claude Code's frontmatter fields
\b
Exit status: 0 no findings at or above --fail-on, 1 findings, 2 usage/config/internal error.
Configuration: [tool.skillkit] in pyproject.toml or skillkit.toml, found walking up.""",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--output-format",
    "--format",
    "output_format",
    type=click.Choice(list(FORMATS)),
    default="text",
    envvar="SKILLKIT_OUTPUT_FORMAT",
    show_default=True,
    show_envvar=True,
    help="How to print findings: text for people, json, github (workflow annotations), "
    "sarif (2.1.0, for code scanning).",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file (atomically) instead of stdout.",
)
@click.option("--fix", is_flag=True, help="Apply the safe fixes, then report what is left.")
@click.option(
    "--diff", is_flag=True, help="Show the changes --fix would make; exit 1 if there are any."
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--fail-on",
    type=click.Choice(list(FAIL_ON_CHOICES)),
    callback=_severity,
    help="Lowest severity that makes the exit status 1 [default: config 'fail-on', else error].",
)
@click.option(
    "--select",
    multiple=True,
    callback=_codes_option,
    metavar="CODES",
    help="Comma-separated codes or prefixes to check (replaces the configured selection).",
)
@click.option(
    "--extend-select",
    multiple=True,
    callback=_codes_option,
    metavar="CODES",
    help="Codes or prefixes to check in addition to the configured selection.",
)
@click.option(
    "--ignore",
    multiple=True,
    callback=_codes_option,
    metavar="CODES",
    help="Codes or prefixes not to check (added to the configured ignores).",
)
@click.option(
    "--target",
    "target",
    multiple=True,
    metavar="AGENT",
    help="An agent the skills are written for: its frontmatter fields are accepted "
    "(agentskills, claude-code, codex; repeatable; replaces the configured `targets`).",
)
@click.option(
    "--config",
    "--config-file",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Use this skillkit.toml or pyproject.toml instead of searching upwards.",
)
@click.option("--no-cache", is_flag=True, help="Lint everything afresh; neither read nor write.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="SKILLKIT_CACHE_DIR",
    help="Where to keep the cache [default: .skillkit_cache/ beside the config, or here].",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes for skills that are not cached [default: CPU count].",
)
@click.option("--statistics", is_flag=True, help="Show how many findings each rule produced.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary, no progress.")
@click.option(
    "--skip-outside-skills",
    is_flag=True,
    help="Ignore given files that belong to no skill (used by the pre-commit hook).",
)
@handle_errors
def command(
    paths: tuple[Path, ...],
    output_format: str,
    output_file: Path | None,
    fix: bool,
    diff: bool,
    exit_zero: bool,
    fail_on: Severity | None,
    select: tuple[str, ...] | None,
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    target: tuple[str, ...],
    config_file: Path | None,
    no_cache: bool,
    cache_dir: Path | None,
    jobs: int | None,
    statistics: bool,
    quiet: bool,
    skip_outside_skills: bool,
) -> None:
    """Check skills for problems, with output for people, CI and code scanning.

    PATHS are skill folders, folders holding skills, SKILL.md files, or any file inside a
    skill (it stands for its skill). Without PATHS: skills/ if it exists, else the current
    folder. Findings are cached per skill; unchanged skills are not re-checked.
    """
    if fix and diff:
        raise conflict("--fix", "--diff", " (preview with --diff first)")
    options = LintOptions(
        paths=list(paths),
        output_format=output_format,
        output_file=output_file,
        fix=fix,
        diff=diff,
        exit_zero=exit_zero,
        fail_on=fail_on,
        select=select,
        ignore=ignore,
        extend_select=extend_select,
        targets=target,
        config_file=config_file,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        jobs=jobs,
        statistics=statistics,
        quiet=quiet,
        skip_outside_skills=skip_outside_skills,
    )
    sys.exit(execute(options))
