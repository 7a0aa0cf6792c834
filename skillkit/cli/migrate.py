"""``skillkit migrate``: legacy Agent SOPs -> composable skills, checked lossless, measured."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from skillkit.cli._common import EXIT_CLEAN, EXIT_FINDINGS, conflict, handle_errors, text_or_json
from skillkit.errors import SkillkitError
from skillkit.lint.reporters.base import plural
from skillkit.migrate._tokens import count_tokens
from skillkit.migrate.api import (
    MODES,
    MigrationLossError,
    MigrationPlan,
    check_written,
    plan_migration,
    write_plan,
)
from skillkit.migrate.check import CheckResult
from skillkit.migrate.codes import CODES

SCHEMA_VERSION = 1


@click.command(
    "migrate",
    epilog="""\b
Examples:
  skillkit migrate deploy.sop.md                 write skills/deploy/...
  skillkit migrate sops/ -o skills/ --dry-run    show the tree, write nothing
  skillkit migrate big.sop.md --split            entry skill + one skill per step group
  skillkit migrate small.sop.md --inline         one skill, steps kept in SKILL.md
  skillkit migrate sops/ --check                 verify nothing is lost (exit 1 if it is)
  skillkit migrate sops/ --output-format json    the token report for scripts
  skillkit migrate --codes                       what each SOPnnn warning means

\b
Modes:
  progressive (default)  one skill per SOP: purpose, parameters, global rules and a step
                         index in SKILL.md; each step's detail in references/, read when the
                         agent reaches it. Smallest start cost; the catalog grows by one entry.
  --split                an entry skill plus one skill per step group, linked by
                         metadata.requires: for teams who reuse phases as skills of their own.
                         Each part adds a catalog entry that every conversation pays for.
  --inline               one skill with the steps in SKILL.md; only examples, troubleshooting
                         and long step detail move out. For short SOPs, or agents that do not
                         follow links to references.

Exit status: 0 migrated (warnings allowed), 1 an SOP was unusable or not an SOP, or the
lossless check failed, 2 usage error, no *.sop.md found, or a skill folder already exists
(use --force).""",
)
@click.option("--codes", is_flag=True, is_eager=True, expose_value=False,
              callback=lambda ctx, _param, value: _print_codes(ctx) if value else None,
              help="List the SOPnnn warnings the parser reports, and exit.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path),
              default=Path("skills"), show_default=True, help="Folder to write skills into.")
@click.option("--dry-run", is_flag=True, help="Show the tree that would be written; write nothing.")
@click.option("--force", is_flag=True,
              help="Replace skill folders that already exist, and migrate files that do not "
                   "look like SOPs (SOP124).")
@click.option("--check", "check_only", is_flag=True,
              help="Only verify that every parameter and constraint survives (in the skills "
                   "already under -o if present, else in memory); write nothing.")
@click.option("--mode", type=click.Choice(MODES), default=None,
              help="How to lay out each SOP [default: progressive]; see Modes below.")
@click.option("--split", "mode_flag", flag_value="split",
              help="Same as --mode split: entry skill + one skill per step group.")
@click.option("--inline", "--no-split", "mode_flag", flag_value="inline",
              help="Same as --mode inline: one skill, steps kept in SKILL.md.")
@click.option("--allow-loss", is_flag=True, help="Write even if the lossless check fails.")
@text_or_json("fmt", "Report format on stdout.")
@handle_errors
def command(
    paths: tuple[Path, ...],
    out_dir: Path,
    dry_run: bool,
    force: bool,
    check_only: bool,
    mode: str | None,
    mode_flag: str | None,
    allow_loss: bool,
    fmt: str,
) -> None:
    """Turn legacy Agent SOPs (*.sop.md) into composable Agent Skills.

    PATHS are SOP files or folders (every *.sop.md inside, recursively). By default each SOP
    becomes one skill whose SKILL.md holds what an agent needs to start (purpose, parameters,
    global rules, a step index) while each step's detail waits in references/. Every
    parameter and constraint is checked to appear exactly once in what is written.
    """
    if check_only and dry_run:
        raise conflict("--check", "--dry-run", " (--check already writes nothing)")
    if mode and mode_flag and mode != mode_flag:
        raise conflict(f"--mode {mode}", f"--{mode_flag}")
    plan = plan_migration(list(paths), mode=mode or mode_flag or "progressive", force=force,
                          progress=_progress if sys.stderr.isatty() else None)
    if sys.stderr.isatty():
        click.echo("\r\033[K", nl=False, err=True)
    for d in plan.diagnostics:
        click.echo(f"{d.location()}: {d.code} [{d.severity.label}] {d.message} ({d.name})",
                   err=True)
    status = EXIT_FINDINGS if plan.errors else EXIT_CLEAN
    if not plan.files:
        # Like lint's "no skills found under ...": the paths were wrong, not an SOP.
        raise SkillkitError("no *.sop.md files found in the given paths")
    checks = check_written(plan, out_dir) if check_only else [m.check for m in plan.migrations]
    written: list[Path] = []
    refused = ""
    if not check_only and not dry_run:
        try:
            written = write_plan(plan, out_dir, force=force, allow_loss=allow_loss)
        except MigrationLossError as exc:
            refused = str(exc)
    if any(not c.ok for c in checks) and not (allow_loss and not check_only and not dry_run):
        status = EXIT_FINDINGS
    if refused:
        status = EXIT_FINDINGS
    # One write, as lint's reporters do: a reader that stops early (`| head`) then cannot
    # turn a finished migration into a broken-pipe failure.
    if fmt == "json":
        click.echo(json.dumps(_json(plan, checks, out_dir, written, dry_run, refused), indent=2))
    else:
        click.echo(_text(plan, checks, out_dir, written, dry_run, check_only), nl=False)
        if refused:
            click.echo(f"skillkit: error: {refused}", err=True)
    sys.exit(status)


def _print_codes(ctx: click.Context) -> None:
    for code, (name, severity, doc) in sorted(CODES.items()):
        click.echo(f"{code}  {name}  [{severity.label}]\n    {doc}")
    ctx.exit(0)


def _progress(done: int, total: int, path: Path) -> None:
    if total > 1:
        click.echo(f"\r\033[Kmigrating {done + 1}/{total}: {path}", nl=False, err=True)


def _tree(plan: MigrationPlan, out_dir: Path) -> list[dict[str, Any]]:
    rows = []
    for tree in plan.skills:
        for relpath, text in sorted(tree.files.items()):
            data = text.encode("utf-8")
            rows.append({"path": (out_dir / tree.name / relpath).as_posix(), "bytes": len(data),
                         "tokens": count_tokens(text), "lines": text.count("\n")})
        for relpath, blob in sorted(tree.attachments.items()):
            rows.append({"path": (out_dir / tree.name / relpath).as_posix(), "bytes": len(blob),
                         "tokens": None, "lines": blob.count(b"\n")})
    return rows


def _check_dict(result: CheckResult) -> dict[str, Any]:
    def rows(items: list[Any]) -> list[dict[str, Any]]:
        return [{"kind": f.kind, "text": f.text, "line": f.line, "expected": f.expected,
                 "found": f.found} for f in items]

    return {"ok": result.ok, "constraints": result.constraints, "parameters": result.parameters,
            "missing": rows(result.missing), "duplicated": rows(result.duplicated)}


def _json(plan: MigrationPlan, checks: list[CheckResult], out_dir: Path, written: list[Path],
          dry_run: bool, refused: str) -> dict[str, Any]:
    sops = []
    for migration, result in zip(plan.migrations, checks, strict=True):
        entry = migration.report.as_dict()
        entry["source"] = migration.file.display
        entry["skill_names"] = [t.name for t in migration.skills]
        # progressive falls back to inline for an SOP whose step index would cost as much
        entry["layout"] = migration.skills[0].layout
        entry["check"] = _check_dict(result)
        sops.append(entry)
    return {
        "schema_version": SCHEMA_VERSION,
        "mode": plan.mode,
        "sops": sops,
        "tree": _tree(plan, out_dir),
        "written": [p.as_posix() for p in written],
        "removed": [p.as_posix() for p in plan.removed],
        "dry_run": dry_run,
        "refused": refused or None,
        "diagnostics": [
            {"code": d.code, "name": d.name, "severity": d.severity.label, "message": d.message,
             "path": str(d.path), "line": d.line, "column": d.column}
            for d in plan.diagnostics
        ],
    }


def _text(plan: MigrationPlan, checks: list[CheckResult], out_dir: Path, written: list[Path],
          dry_run: bool, check_only: bool) -> str:
    lines: list[str] = []
    if dry_run:
        lines.append(f"Would write (dry run, nothing written) under {out_dir}/:")
        for item in _tree(plan, out_dir):
            tokens = "bundled as is" if item["tokens"] is None else f"{item['tokens']} tokens"
            lines.append(f"  {item['path']}  {item['bytes']} B  {tokens}  {item['lines']} lines")
        lines.append("")
    for migration, result in zip(plan.migrations, checks, strict=True):
        if result.ok:
            lines.append(f"check ok: {migration.file.display} '{result.title}': "
                         f"{plural(result.constraints, 'constraint')}, "
                         f"{plural(result.parameters, 'parameter')}")
        for finding in result.missing:
            lines.append(f"missing: {migration.file.display}:{finding.line}: {finding.kind} "
                         f"{finding.text!r} (found {finding.found} of {finding.expected})")
        for finding in result.duplicated:
            lines.append(f"duplicated: {migration.file.display}:{finding.line}: {finding.kind} "
                         f"{finding.text!r} (found {finding.found}, expected {finding.expected})")
    if check_only:
        return _joined(lines)
    header: tuple[str, ...] = ("SOP", "entry skill", "skills", "SOP tok", "L1", "L2",
                               "start %", "L3", "saved %", "full run %", "catalog L1",
                               "max lines")
    rows: list[tuple[str, ...]] = []
    for m in plan.migrations:
        r = m.report
        shown = m.file.display if m.sop.count == 1 else f"{m.file.display}#{m.sop.index + 1}"
        rows.append((shown, r.entry, str(r.skills), str(r.sop_tokens), str(r.entry_l1),
                     str(r.entry_l2), f"{r.start_percent:.1f}", str(r.l3),
                     f"{r.saved_percent:.1f}", f"{r.full_percent:.1f}", str(r.catalog_l1),
                     str(r.largest_skill_md_lines)))
    if rows:  # every SOP was unusable: a header over nothing says nothing
        rows.insert(0, header)
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines.append("")
        for row in rows:
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    titled = [m.sop.title for m in plan.migrations if m.report.description_from_title]
    if titled:
        lines.append("\ndescription built from the title alone (write an overview): "
                     + ", ".join(titled))
    if written:
        lines.append(f"\nWrote {plural(len(written), 'skill')} under {out_dir}/")
    for folder in plan.removed:
        lines.append(f"Removed {folder}/: a step-group skill of an earlier migration of the "
                     "same SOP that the new entry skill no longer uses")
    return _joined(lines)


def _joined(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)
