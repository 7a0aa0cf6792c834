"""Lint a tree fast: reuse cached findings for unchanged skills, lint the rest over a process
pool, then run the tree-wide rules over every skill.

This is the library API behind ``skillkit lint``::

    from skillkit.lint.run import run_lint
    result = run_lint([Path("skills")], load_config())
    for d in result.diagnostics: ...

Per-skill rules are pure functions of one skill folder, so their findings are cached per folder
(`skillkit.lint.findings_cache`). Tree-wide rules (duplicate names, ...) need every skill: each
skill's frontmatter head, file list and loader problems are kept in its cache entry so that the
tree rules can see a cached skill without re-reading it. Those stand-in skills have an empty
body: tree rules look at frontmatter and files only. Tree findings are cached too, keyed by the
digests of all skills.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillkit.config import Config
from skillkit.diagnostics import Diagnostic
from skillkit.lint.findings_cache import (
    Entry,
    LintCache,
    cache_key,
    decode_diagnostic,
    encode_diagnostic,
)
from skillkit.lint.rules.base import Rule
from skillkit.loader import discover_skills, load_skill
from skillkit.model import FileCategory, Problem, Skill, SkillFile
from skillkit.stamps import content_digest, stamp

#: Below this many skills to lint, a process pool costs more than it saves.
POOL_THRESHOLD = 48

Progress = Callable[[int, int], None]


@dataclass
class RunResult:
    config: Config
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: how many skills were checked (cached or not).
    skills_checked: int = 0
    #: problems with the given paths themselves (missing, no skill found): a usage error.
    path_problems: list[Problem] = field(default_factory=list)
    #: skills whose findings came from the cache / were linted in this run.
    cache_hits: int = 0
    linted: int = 0
    #: skill roots (as discovered), for callers that want to load them again (``--fix``).
    roots: list[Path] = field(default_factory=list)

    @property
    def rules(self) -> list[Rule]:
        """The rules that ran. Imported on demand: a fully cached run never loads them."""
        from skillkit.lint import linter

        return linter.selected_rules(self.config)


def lint_one(skill: Skill, config: Config) -> list[Diagnostic]:
    """The findings of every selected per-skill rule on one skill (ignores applied)."""
    from skillkit.lint import linter  # rules, schema, markdown-it: never needed by a cached run

    return linter.lint_one(skill, config)


def lint_tree(skills: Sequence[Skill], config: Config) -> list[Diagnostic]:
    """The findings of the selected tree-wide rules (ignores applied)."""
    from skillkit.lint import linter

    return linter.lint_tree(skills, config)


def summarize(skill: Skill, config: Config) -> dict[str, Any]:
    """What tree rules need of a skill, as JSON (see `stand_in`)."""
    root = skill.root
    return {
        "head": skill.text[: skill.body_offset],
        "body_line": skill.body_line,
        "bom": skill.has_bom,
        # The body only when it holds suppression comments (which tree findings obey).
        "body": _suppressing_body(skill),
        "files": [[f.relpath, f.size, f.category] for f in skill.files],
        "problems": [
            [p.kind, p.message, _rel(p.path, root), p.line, p.column] for p in skill.problems
        ],
        "counts": _tree_counts(skill, config),
    }


def _suppressing_body(skill: Skill) -> str:
    from skillkit.lint.suppressions import MARKER  # imports the rules: cold runs only

    return skill.body if MARKER in skill.body else ""


def _tree_counts(skill: Skill, config: Config) -> dict[str, int]:
    """Token counts that the tree rules will ask for, counted where the skill is loaded (in a
    worker, in parallel) and kept with its summary: `seed_counts` hands them to the parent's
    token cache. SK505 counts every skill's catalog entry."""
    from skillkit.lint import linter

    if not skill.text or not linter.is_selected("SK505", config):
        return {}
    from skillkit.tokens.cache import text_key
    from skillkit.tokens.catalog import catalog_line, entry_line
    from skillkit.tokens.levels import cached_count

    line = entry_line(catalog_line(skill))
    return {text_key(line): cached_count(line, config.encoding)}


def seed_counts(summary: dict[str, Any], config: Config) -> None:
    """Put a summary's token counts into this process's in-memory token cache."""
    counts = summary.get("counts")
    if counts:
        from skillkit.tokens.cache import memory

        memory(config.encoding).update(counts)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def stand_in(root: Path, summary: dict[str, Any]) -> Skill:
    """A skill rebuilt from its summary: frontmatter, files and problems; no body unless it
    holds suppression comments."""
    from skillkit import frontmatter

    skill = Skill(root=root, skill_md=root / "SKILL.md")
    head = str(summary.get("head", ""))
    skill.text = head
    skill.has_bom = bool(summary.get("bom", False))
    parts = frontmatter.split(head, skill.skill_md)
    skill.frontmatter = parts.frontmatter
    skill.body = str(summary.get("body", ""))
    skill.body_line = int(summary.get("body_line", 1))
    skill.body_offset = len(head)
    files = []
    for rel, size, category in summary.get("files", []):
        cat: FileCategory = category
        files.append(SkillFile(root / rel, rel, size, cat))
    skill.files = tuple(files)
    skill.problems = tuple(
        Problem(kind, message, root / path, line, column)
        for kind, message, path, line, column in summary.get("problems", [])
    )
    return skill


def _stand_in_from_skill(skill: Skill) -> Skill:
    # Ship only what tree rules need back from a worker: the body can be large.
    head = skill.text[: skill.body_offset]
    return dataclasses.replace(skill, raw=b"", text=head, body=_suppressing_body(skill))


def _findings(
    root: Path, config: Config
) -> tuple[list[list[Any]], dict[str, Any], list[Diagnostic], Skill]:
    """Lint one folder: its encoded findings and summary (for the cache), findings, stand-in."""
    skill = load_skill(root, max_file_size=config.max_file_size)
    diagnostics = lint_one(skill, config)
    rows = [encode_diagnostic(d, root) for d in diagnostics]
    return rows, summarize(skill, config), diagnostics, _stand_in_from_skill(skill)


def _lint_folder(
    root: Path, config: Config, marked: bool = True
) -> tuple[Entry, list[Diagnostic], Skill]:
    key = str(root)
    # the stamp is taken first: a file edited while we lint is seen as changed next time
    before = stamp(key) if marked else ""
    rows, summary, diagnostics, skill = _findings(root, config)
    return Entry(before, content_digest(key) if marked else "", rows, summary), diagnostics, skill


def _lint_batch(
    roots: list[Path], config: Config, stamped: int
) -> list[tuple[list[list[Any]], dict[str, Any], list[Diagnostic], Skill, tuple[str, str] | None]]:
    # The first `stamped` roots were stamped and digested by the helper (see `_lint_pooled`).
    out = []
    for i, root in enumerate(roots):
        key = str(root)
        before = stamp(key) if i >= stamped else None
        rows, summary, diagnostics, skill = _findings(root, config)
        marks = None if before is None else (before, content_digest(key))
        out.append((rows, summary, diagnostics, skill, marks))
    return out


def _stamp_until(roots: list[Path], stop: Any, conn: Any) -> None:
    """Helper process: stamp and digest `roots` in order until `stop` is set; send the list."""
    done: list[tuple[str, str]] = []
    try:
        for root in roots:
            if stop.is_set():
                break
            # The digest is taken after the stamp and before the skill is linted: a file
            # edited in between is seen as changed next time (its content matches neither).
            done.append((stamp(str(root)), content_digest(str(root))))
    finally:
        conn.send(done)
        conn.close()


def _stamps_beside(
    context: Any, roots: list[Path], warm_up: Callable[[], None]
) -> list[tuple[str, str]]:
    """Run `warm_up` here while a helper process stamps and digests `roots` from the start;
    the helper stops when `warm_up` is done. Returns what it finished (maybe nothing)."""
    receiver, sender = context.Pipe(duplex=False)
    stop = context.Event()
    helper = context.Process(target=_stamp_until, args=(roots, stop, sender), daemon=True)
    try:
        helper.start()
    except OSError:
        warm_up()
        return []
    sender.close()
    try:
        warm_up()
    finally:
        stop.set()
        try:
            done: list[tuple[str, str]] = receiver.recv()
        except (EOFError, OSError):
            done = []  # the helper died: the workers stamp everything
        receiver.close()
        helper.join()
    return done


def _chunks(items: list[Path], jobs: int) -> list[list[Path]]:
    # Small batches keep both workers busy to the end; each batch costs one round trip.
    size = max(4, min(16, len(items) // (jobs * 8) or 1))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _pool_context() -> Any:
    import multiprocessing

    # fork: workers inherit the loaded rules and parsers instead of importing them again.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


#: Collect the youngest generation every this many allocations while linting (Python: 700).
GC_THRESHOLD = 50_000


@contextmanager
def _rare_collections() -> Iterator[None]:
    # Parsing makes many short-lived objects (markdown-it tokens, YAML nodes) and hardly any
    # cyclic garbage, so the default threshold spends ~8% of a cold lint in collections that
    # find nothing. Forked workers inherit the setting.
    saved = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *saved[1:])
    try:
        yield
    finally:
        gc.set_threshold(*saved)


@_rare_collections()
def _lint_many(
    roots: list[Path],
    config: Config,
    jobs: int,
    progress: Progress | None,
    marked: bool = True,
) -> list[tuple[Entry, list[Diagnostic], Skill]]:
    """Lint `roots`; with `marked`, also stamp and digest them for the cache (a run without a
    cache reads no file twice for it)."""
    if jobs > 1 and len(roots) >= POOL_THRESHOLD:
        from concurrent.futures.process import BrokenProcessPool  # only cold runs pay for it

        try:
            return _lint_pooled(roots, config, jobs, progress, marked)
        except (OSError, BrokenProcessPool):
            pass  # no processes here (sandbox, no /dev/shm, killed worker): do it in-process
    out = []
    for i, root in enumerate(roots, 1):
        out.append(_lint_folder(root, config, marked))
        if progress is not None:
            progress(i, len(roots))
    return out


def _lint_pooled(
    roots: list[Path], config: Config, jobs: int, progress: Progress | None, marked: bool
) -> list[tuple[Entry, list[Diagnostic], Skill]]:
    from concurrent.futures import ProcessPoolExecutor

    context = _pool_context()
    first: list[tuple[list[list[Any]], dict[str, Any], list[Diagnostic], Skill]] = []
    rest = roots[1:]

    def warm_up() -> None:
        # Lint one skill here first: that imports the rules and builds what they build lazily
        # (token encodings, schema validators), once, before forking: the workers inherit it.
        first.append(_findings(roots[0], config))

    if marked:
        before = stamp(str(roots[0]))
        # Meanwhile a helper stamps and digests the other skills (stat, read, hash: no rules
        # needed) on the core that would otherwise sit idle; it is gone before the workers fork.
        marks = _stamps_beside(context, rest, warm_up)
        rows, summary, diagnostics, skill = first[0]
        entry = Entry(before, content_digest(str(roots[0])), rows, summary)
    else:
        warm_up()
        marks = [("", "")] * len(rest)  # no cache: nothing to stamp
        rows, summary, diagnostics, skill = first[0]
        entry = Entry("", "", rows, summary)
    results = [(entry, diagnostics, skill)]
    chunks = _chunks(rest, jobs)
    # How many skills of each chunk come with the helper's marks (the first len(marks)).
    already, offset = [], 0
    for chunk in chunks:
        already.append(max(0, min(len(chunk), len(marks) - offset)))
        offset += len(chunk)
    gc.freeze()  # what exists now is shared with the workers copy-on-write; don't touch it
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for batch in pool.map(_lint_batch, chunks, [config] * len(chunks), already):
                for rows, summary, diagnostics, skill, own in batch:
                    mark = own if own is not None else marks[len(results) - 1]
                    results.append((Entry(*mark, rows, summary), diagnostics, skill))
                if progress is not None:
                    progress(len(results), len(roots))
    finally:
        gc.unfreeze()
    return results


def _absolute(d: Diagnostic) -> Diagnostic:
    if d.path.is_absolute():
        return d
    return dataclasses.replace(d, path=Path(os.path.abspath(d.path)))


def available_cpus() -> int:
    """CPUs this process may run on (a container's or taskset's limit, not the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_lint(
    paths: Sequence[Path],
    config: Config,
    *,
    cache_dir: Path | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Lint every skill under `paths`. With `cache_dir`, unchanged skills are not re-linted.

    Diagnostics come back with absolute paths, sorted by path, line, column and code.
    """
    found = discover_skills(paths, config.exclude)
    result = RunResult(config, path_problems=found.problems)
    # Absolute from here on: one getcwd, and cache keys that do not depend on the cwd.
    cwd = os.getcwd()
    roots = [Path(os.path.normpath(os.path.join(cwd, s.root))) for s in found.skills]
    result.roots = roots
    result.skills_checked = len(roots)
    jobs = jobs if jobs and jobs > 0 else available_cpus()
    cache = LintCache.load(cache_dir, cache_key(config)) if cache_dir is not None else None

    per_skill: list[Diagnostic] = []
    digests: dict[str, str] = {}
    summaries: dict[str, tuple[Path, dict[str, Any], Skill | None]] = {}
    misses: list[Path] = []
    for root in roots:
        key = str(root)
        entry = cache.entries.get(key) if cache is not None else None
        if entry is not None and cache is not None:
            now = stamp(key)
            if now != entry.stamp and content_digest(key) == entry.digest:
                entry.stamp = now  # touched, not changed
                cache.dirty = True
            if now == entry.stamp:
                per_skill.extend(decode_diagnostic(row, root) for row in entry.diagnostics)
                digests[key] = entry.digest
                summaries[key] = (root, entry.summary, None)
                result.cache_hits += 1
                continue
        misses.append(root)

    for entry, diagnostics, skill in _lint_many(
        misses, config, jobs, progress, marked=cache is not None
    ):
        key = str(skill.root)
        per_skill.extend(diagnostics)
        digests[key] = entry.digest
        summaries[key] = (skill.root, entry.summary, skill)
        if cache is not None:
            cache.entries[key] = entry
            cache.dirty = True
    result.linted = len(misses)

    tree = _tree_findings(roots, config, cache, digests, summaries)
    if cache is not None:
        live = {str(r) for r in roots}
        # Entries of skills outside this run's paths stay (still valid); deleted skills go.
        gone = [
            k
            for k in cache.entries
            if k not in live and not os.path.isfile(os.path.join(k, "SKILL.md"))
        ]
        for k in gone:
            del cache.entries[k]
        cache.dirty = cache.dirty or bool(gone)
        cache.save()

    everything = [_absolute(d) for d in (*per_skill, *tree)]
    everything.sort(key=Diagnostic.sort_key)
    result.diagnostics = everything
    return result


def _tree_findings(
    roots: list[Path],
    config: Config,
    cache: LintCache | None,
    digests: dict[str, str],
    summaries: dict[str, tuple[Path, dict[str, Any], Skill | None]],
) -> list[Diagnostic]:
    h = hashlib.sha256()
    for root in roots:
        key = str(root)
        h.update(f"{key}\0{digests.get(key, '')}\n".encode())
    tree_key = h.hexdigest()
    if cache is not None and cache.tree_key == tree_key:
        return [decode_diagnostic(row, Path("/")) for row in cache.tree_diagnostics]
    from skillkit.lint import linter

    if not any(r.check_tree is not None for r in linter.selected_rules(config)):
        if cache is not None:
            cache.tree_key, cache.tree_diagnostics, cache.dirty = tree_key, [], True
        return []
    skills = []
    for root in roots:
        path, summary, skill = summaries[str(root)]
        seed_counts(summary, config)
        skills.append(skill if skill is not None else stand_in(path, summary))
    found = [_absolute(d) for d in lint_tree(skills, config)]
    if cache is not None:
        cache.tree_key = tree_key
        cache.tree_diagnostics = [encode_diagnostic(d, Path("/")) for d in found]
        cache.dirty = True
    return found
