"""Library API: plan a migration in memory, check it, then write it atomically per skill.

    from skillkit.migrate import migrate
    plan = migrate(["sops/"], "skills/")          # raises SkillkitError on refusal
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from skillkit.config import Config
from skillkit.diagnostics import Diagnostic, Severity
from skillkit.errors import SkillkitError
from skillkit.frontmatter import split
from skillkit.fsutil import atomic_directory
from skillkit.migrate.check import CheckResult, check
from skillkit.migrate.codes import diag
from skillkit.migrate.emit import SkillTree, emit_sop, fitted_description, metadata
from skillkit.migrate.links import (
    Target,
    copy_name,
    path_part,
    relink,
    relink_anchors,
    resolve,
)
from skillkit.migrate.model import SectionKind, Sop
from skillkit.migrate.naming import kebab
from skillkit.migrate.parser import ParsedFile, parse_file
from skillkit.migrate.report import TokenReport, token_report
from skillkit.requires import RequiresError, parse_requires

#: progressive (the default), inline, split: see ``plan_migration``.
MODES = ("progressive", "inline", "split")


class MigrationLossError(SkillkitError):
    """The lossless check failed and ``allow_loss`` was not given: nothing was written."""


@dataclass
class SopMigration:
    file: ParsedFile
    sop: Sop
    skills: list[SkillTree]
    check: CheckResult
    report: TokenReport


@dataclass
class MigrationPlan:
    files: list[ParsedFile] = field(default_factory=list)
    migrations: list[SopMigration] = field(default_factory=list)
    #: stale step-group skills that ``write_plan(force=True)`` removed.
    removed: list[Path] = field(default_factory=list)
    #: the layout asked for (``progressive``, ``inline`` or ``split``).
    mode: str = "progressive"

    @property
    def diagnostics(self) -> list[Diagnostic]:
        found = [d for f in self.files for d in f.diagnostics]
        return sorted(found, key=Diagnostic.sort_key)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity >= Severity.ERROR]

    @property
    def lossless(self) -> bool:
        return all(m.check.ok for m in self.migrations)

    @property
    def skills(self) -> list[SkillTree]:
        return [tree for m in self.migrations for tree in m.skills]


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders: every ``*.sop.md`` file inside, recursively, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.sop.md") if p.is_file()))
        elif path.is_file():
            found.append(path)
        elif not path.exists():
            raise SkillkitError(f"{path}: no such file or folder")
        else:
            raise SkillkitError(f"{path}: not a file or folder")
    unique: list[Path] = []
    for path in found:
        if path not in unique:
            unique.append(path)
    return unique


def _display(path: Path, cwd: Path) -> str:
    try:
        rel = os.path.relpath(path.resolve(), cwd.resolve()).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return path.resolve().as_posix()
    # outside the working folder, "../../x" says less than the absolute path
    return path.resolve().as_posix() if rel.startswith("../") else rel


def source_path(path: Path, cwd: Path) -> str:
    """How ``metadata.source`` names the SOP: relative to the working folder, or the bare file
    name outside it. Published archives must not carry the author's home folder."""
    shown = _display(path, cwd)
    return path.name if shown.startswith("/") or ":" in shown[:3] else shown


def _skill_name(parsed: ParsedFile, sop: Sop) -> str:
    stem = parsed.path.name.removesuffix(".md").removesuffix(".sop")
    if sop.count > 1:
        return kebab(sop.title) or f"{kebab(stem) or 'sop'}-{sop.index + 1}"
    return kebab(stem) or kebab(sop.title) or "sop"


_SOP_KINDS = frozenset({SectionKind.OVERVIEW, SectionKind.PARAMETERS, SectionKind.STEPS})


def _refuse_non_sop(parsed: ParsedFile, force: bool) -> None:
    """A README or a LICENSE given by mistake: an error (a warning with ``force``)."""
    if parsed.failed or not parsed.sops:
        return
    for sop in parsed.sops:
        if sop.constraints or any(s.kind in _SOP_KINDS for s in sop.sections):
            return
    severity = Severity.WARNING if force else None
    hint = "migrating it anyway (--force)" if force else "nothing written (--force migrates it)"
    parsed.diagnostics.append(diag(
        "SOP124", "no overview, parameters, steps or RFC 2119 constraint: this is not an "
        f"SOP; {hint}", Path(parsed.display), severity=severity))


def _link_targets(parsed: ParsedFile, entries: dict[Path, str]) -> dict[str, Target]:
    """What each relative link of the file becomes, with a diagnostic per link."""
    where = Path(parsed.display)
    targets: dict[str, Target] = {}
    copies: dict[Path, str] = {}
    reserved = {"references/examples.md", "references/troubleshooting.md"}
    for href, line in parsed.links:
        key = path_part(href)
        if key in targets or not key:
            continue
        found = resolve(href, parsed.path.parent, entries)
        if isinstance(found, str):
            targets[key] = Target("skill", found)
        elif isinstance(found, Path):
            if found not in copies:
                copies[found] = copy_name(found, reserved | set(copies.values()))
            targets[key] = Target("copy", copies[found], found)
            parsed.diagnostics.append(diag(
                "SOP129", f"linked file '{href}' bundled as {copies[found]}", where, line))
        else:
            targets[key] = Target("plain")
            parsed.diagnostics.append(diag(
                "SOP122", f"relative link '{href}' points at no file inside the SOP's folder; "
                "written as plain text (add the file beside the SOP, or use an absolute URL)",
                where, line))
    return targets


def _relink_tree(tree: SkillTree, parsed: ParsedFile, targets: dict[str, Target],
                 sop: Sop) -> None:
    """The SOP's relative links and moved anchors re-pointed in every file of ``tree``, and
    the linked files it copies attached to it."""
    used: set[str] = set()
    written = frozenset(tree.files)
    for rel, text in list(tree.files.items()):
        if rel.endswith(".md"):
            tree.files[rel] = relink(text, rel, targets, used, written)
    dangling: set[str] = set()
    tree.files = relink_anchors(tree.files, dangling)
    for anchor in sorted(dangling):
        parsed.diagnostics.append(diag(
            "SOP122", f"same-page link '{anchor}' names no heading of '{sop.title}'; written "
            "as plain text", Path(parsed.display), sop.line))
    for target in targets.values():
        if target.kind == "copy" and target.source is not None and target.value in used:
            tree.attachments[target.value] = target.source.read_bytes()
    if tree.attachments:
        # listed in SKILL.md too, so that no bundled file is only reachable through another
        listing = "".join(f"- [{rel.removeprefix('references/')}]({rel})\n"
                          for rel in sorted(tree.attachments))
        head = "## Linked files\n\nFiles the text above links to, bundled with the skill:"
        tree.files["SKILL.md"] = tree.files["SKILL.md"].rstrip("\n") + f"\n\n{head}\n\n{listing}"


def plan_migration(
    paths: Sequence[Path | str],
    *,
    mode: str = "progressive",
    split: bool | None = None,
    force: bool = False,
    config: Config | None = None,
    cwd: Path | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
) -> MigrationPlan:
    """Parse, emit, check and measure every SOP under ``paths``; writes nothing.

    ``mode`` is ``progressive`` (default: one skill, steps in references/), ``inline`` (one
    skill, only on-demand material moved) or ``split`` (entry + step-group skills);
    ``split=True/False`` is the older spelling of ``split``/``inline``. ``force`` migrates
    files that do not look like SOPs. ``progress(done, total, path)`` is called before each
    file."""
    if split is not None:
        mode = "split" if split else "inline"
    if mode not in MODES:
        raise SkillkitError(f"unknown migration mode {mode!r}; use one of {', '.join(MODES)}")
    config = config or Config()
    cwd = cwd or Path.cwd()
    plan = MigrationPlan(mode=mode)
    files = discover(Path(p) for p in paths)
    for done, path in enumerate(files):
        if progress is not None:
            progress(done, len(files), path)
        parsed = parse_file(path, _display(path, cwd))
        _refuse_non_sop(parsed, force)
        plan.files.append(parsed)
    # names first: a link to another SOP of this run becomes the name of its skill
    named = [(parsed, sop, _skill_name(parsed, sop))
             for parsed in plan.files if not parsed.failed for sop in parsed.sops]
    entries: dict[Path, str] = {}
    for parsed, _sop, name in named:
        entries.setdefault(parsed.path.resolve(), name)
    targets = {id(parsed): _link_targets(parsed, entries)
               for parsed in plan.files if not parsed.failed}
    names: dict[str, str] = {}
    for parsed, sop, name in named:
        where = Path(parsed.display)
        source = f"{source_path(parsed.path, cwd)} sha256:{parsed.sha256}"
        meta, note = metadata(sop, source)
        if note:
            parsed.diagnostics.append(diag("SOP126", note, where, sop.line))
        linked = sorted({t.value for t in targets[id(parsed)].values()
                         if t.kind == "skill" and t.value != name})
        if linked:
            meta["requires"] = ", ".join(linked)
        fm_desc = sop.front_matter.get("description")
        summary = fm_desc if isinstance(fm_desc, str) and fm_desc.strip() else sop.overview
        desc = fitted_description(sop, summary, config.budgets)
        if desc.from_title:
            parsed.diagnostics.append(diag(
                "SOP125", f"'{sop.title}' has no overview prose: its description says only "
                "what the title says; write an overview so agents know when to use it",
                where, sop.line))
        trees = emit_sop(sop, name, meta, desc.text, config.budgets, mode)
        for tree in trees:
            _relink_tree(tree, parsed, targets[id(parsed)], sop)
            where_sop = f"{parsed.display} ('{sop.title}')"
            if tree.name in names:
                raise SkillkitError(
                    f"two SOPs would both become skill '{tree.name}': {names[tree.name]} "
                    f"and {where_sop}; rename one of the files or titles")
            names[tree.name] = where_sop
        tree_files = [(f"{t.name}/{rel}", text) for t in trees for rel, text in t.files.items()]
        result = check(sop, tree_files)
        # a file holding one SOP is loaded whole (front matter included) by an agent today
        whole = parsed.text if sop.count == 1 else sop.text
        report = token_report(sop.title, whole, trees, from_title=desc.from_title)
        plan.migrations.append(SopMigration(parsed, sop, trees, result, report))
    return plan


def write_plan(
    plan: MigrationPlan, out_dir: Path, *, force: bool = False, allow_loss: bool = False
) -> list[Path]:
    """Write every skill of ``plan`` under ``out_dir``, each folder atomically.

    Refuses (and writes nothing) when a check failed without ``allow_loss`` or when a skill
    folder exists without ``force``.
    """
    if not plan.lossless and not allow_loss:
        failed = ", ".join(m.sop.title for m in plan.migrations if not m.check.ok)
        raise MigrationLossError(f"lossless check failed for {failed}; nothing written "
                                 "(run with --check for details, or --allow-loss to write anyway)")
    existing = [out_dir / t.name for t in plan.skills if (out_dir / t.name).exists()]
    if existing and not force:
        shown = ", ".join(str(p) for p in existing)
        raise SkillkitError(f"{shown} already exists; nothing written (use --force to replace)")
    stale = stale_parts(plan, out_dir) if force else []
    written: list[Path] = []
    # Step-group skills first, the entry last: after an interruption, an entry skill exists
    # only if every skill it requires was written.
    ordered = [tree for m in plan.migrations for tree in reversed(m.skills)]
    for tree in ordered:
        target = out_dir / tree.name
        with atomic_directory(target, replace=force) as tmp:
            for relpath, text in tree.files.items():
                dest = tmp / relpath
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(text, encoding="utf-8")
            for relpath, data in tree.attachments.items():
                dest = tmp / relpath
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(data)
        written.append(target)
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    plan.removed = stale
    return written


def _source_path(folder: Path) -> tuple[str, str] | None:
    """(source path, requires) from a skill folder written by an earlier migration."""
    try:
        text = (folder / "SKILL.md").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    parts = split(text, folder / "SKILL.md")
    meta = parts.frontmatter.data.get("metadata") if not parts.problems else None
    if not isinstance(meta, dict) or not isinstance(meta.get("source"), str):
        return None
    requires = meta.get("requires")
    return meta["source"].rsplit(" sha256:", 1)[0], requires if isinstance(requires, str) else ""


def stale_parts(plan: MigrationPlan, out_dir: Path) -> list[Path]:
    """Step-group skills that an earlier migration of the same SOP wrote and this plan no
    longer has (the SOP shrank, or ``--no-split``): replacing the entry orphans them."""
    new = {tree.name for tree in plan.skills}
    stale: list[Path] = []
    for migration in plan.migrations:
        entry = out_dir / migration.skills[0].name
        found = _source_path(entry)
        if found is None:
            continue
        source, requires = found
        try:
            names = [r.name for r in parse_requires(requires)] if requires else []
        except RequiresError:
            continue
        for name in names:
            folder = out_dir / name
            part = _source_path(folder) if name not in new else None
            if part is not None and part[0] == source and folder not in stale:
                stale.append(folder)
    return stale


def check_written(plan: MigrationPlan, out_dir: Path) -> list[CheckResult]:
    """Check each SOP against its skills as written under ``out_dir`` (what ``--check`` does
    when the skills exist there); SOPs whose skills are not all there are checked in memory."""
    results: list[CheckResult] = []
    for migration in plan.migrations:
        folders = [out_dir / tree.name for tree in migration.skills]
        if not all((folder / "SKILL.md").is_file() for folder in folders):
            results.append(migration.check)
            continue
        files: list[tuple[str, str]] = []
        for tree in migration.skills:
            # what the migration wrote from the SOP; bundled copies of linked files are not
            for rel in tree.files:
                path = out_dir / tree.name / rel
                if path.is_file():
                    text = path.read_text(encoding="utf-8", errors="replace")
                    files.append((f"{tree.name}/{rel}", text))
        results.append(check(migration.sop, files))
    return results


def migrate(
    paths: Sequence[Path | str],
    out_dir: Path | str = "skills",
    *,
    mode: str = "progressive",
    split: bool | None = None,
    force: bool = False,
    allow_loss: bool = False,
    config: Config | None = None,
) -> MigrationPlan:
    """Plan and write; raises :class:`SkillkitError` on refusal (nothing is written then)."""
    plan = plan_migration(paths, mode=mode, split=split, force=force, config=config)
    write_plan(plan, Path(out_dir), force=force, allow_loss=allow_loss)
    return plan
