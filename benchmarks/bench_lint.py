"""Benchmark `skillkit lint` on the 1,000-skill tree, against the floor and skills-ref.

    SKILLKIT_CORPUS=/work/shared/corpus .venv/bin/python benchmarks/bench_lint.py [COUNT]

Prints, in one run (best of N repeats for each figure):
- cold: ``skillkit lint`` as a subprocess with the cache cleared (both cores by default);
- warm: the same with the cache filled by the cold run;
- skills-ref: an in-process loop of ``skills_ref.validator.validate`` over the same skills;
- floor: read + markdown-it parse of the same SKILL.md bytes, single process, with Python's
  default garbage collection; for reference, also with the collection threshold lint sets
  (`skillkit.lint.run.GC_THRESHOLD`), which makes the floor itself faster.
Targets: cold <= 1.0 x floor; warm <= 0.1 x floor and faster than the skills-ref loop.

The machine may be shared: beside wall time, the CPU seconds each measure used are printed
(for the lint subprocess: its own and its workers'), which other load does not inflate much.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tree import build_tree, compile_package

from skillkit.lint.run import GC_THRESHOLD
from skillkit.model import markdown_parser

SKILLKIT = Path(sys.executable).with_name("skillkit")


Timing = tuple[float, float]  # (wall seconds, CPU seconds)


def floor(skill_mds: list[Path], gc_threshold: int | None = None) -> Timing:
    md = markdown_parser()
    saved = gc.get_threshold()
    if gc_threshold is not None:
        gc.set_threshold(gc_threshold, *saved[1:])
    try:
        start, cpu = time.perf_counter(), time.process_time()
        for path in skill_mds:
            md.parse(path.read_bytes().decode("utf-8", errors="replace"))
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        gc.set_threshold(*saved)


def skills_ref_loop(roots: list[Path]) -> Timing:
    from skills_ref.validator import validate

    start, cpu = time.perf_counter(), time.process_time()
    for root in roots:
        validate(root)
    return time.perf_counter() - start, time.process_time() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def lint(tree: Path, cache: Path, jobs: int | None, ignore: str | None = None) -> Timing:
    cmd = [str(SKILLKIT), "lint", str(tree), "--cache-dir", str(cache), "-q"]
    if ignore:
        cmd += ["--ignore", ignore]
    cmd += ["--output-format", "json", "-o", str(cache.parent / "out.json")]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    start, cpu = time.perf_counter(), _children_cpu()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"skillkit lint failed ({proc.returncode}): {proc.stderr}")
    return elapsed, _children_cpu() - cpu


def breakdown(roots: list[Path], every: int) -> None:
    """CPU seconds of each stage of a cold lint, single process, on every `every`-th skill,
    as a multiple of the floor on the same skills: where a cold run's time goes."""
    from skillkit.config import Config
    from skillkit.lint import linter
    from skillkit.loader import load_skill

    sample = roots[::every]
    config = Config()
    rules = [(r, linter._context(r, config)) for r in linter.selected_rules(config)]
    base = floor([r / "SKILL.md" for r in sample])[1]
    # One-off set-up (token encodings, schema validators) is paid once per process: not per skill.
    linter.lint_one(load_skill(sample[0]), config)
    costs: dict[str, float] = {}

    def timed(label: str, fn: Any) -> Any:
        start = time.process_time()
        value = fn()
        costs[label] = costs.get(label, 0.0) + time.process_time() - start
        return value

    for root in sample:
        skill = timed("load (read, YAML, files)", lambda root=root: load_skill(root))
        timed("markdown-it parse of the body", lambda skill=skill: skill.lint_tokens)
        for rule, ctx in rules:
            if rule.check is not None:
                timed(
                    f"{rule.code} {rule.name}",
                    lambda rule=rule, ctx=ctx, skill=skill: list(rule.check(skill, ctx)),
                )
    total = sum(costs.values())
    print(f"\ncold-run CPU breakdown on {len(sample)} skills (floor there: {base:.2f} s CPU)")
    for label, seconds in sorted(costs.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {label:<40}{seconds:>7.2f} s {seconds / base:>6.2f}x floor")
    print(f"  {'all per-skill work':<40}{total:>7.2f} s {total / base:>6.2f}x floor")
    cores = os.cpu_count() or 1
    print(f"  => best possible cold wall on {cores} cores: {total / base / cores:.2f}x floor")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument(
        "--ignore",
        metavar="CODES",
        help="lint without these rules (e.g. SK501,SK502,SK504 to see the cost of token budgets)",
    )
    parser.add_argument(
        "--breakdown",
        type=int,
        default=0,
        metavar="N",
        help="also show where a cold run's CPU goes, on every N-th skill",
    )
    args = parser.parse_args()
    tree = build_tree(args.count)
    compile_package()
    roots = sorted(p.parent for p in tree.glob("*/SKILL.md"))
    skill_mds = [r / "SKILL.md" for r in roots]

    work = Path(tempfile.mkdtemp(prefix="bench-lint-"))
    cache = work / "cache"
    cold: list[Timing] = []
    warm: list[Timing] = []
    floors: list[Timing] = []
    tuned: list[Timing] = []
    refs: list[Timing] = []
    try:
        for _ in range(args.repeat):  # interleaved, so that a burst of load hits all alike
            floors.append(floor(skill_mds))
            tuned.append(floor(skill_mds, GC_THRESHOLD))
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(lint(tree, cache, args.jobs, args.ignore))
            warm.append(lint(tree, cache, args.jobs, args.ignore))
            refs.append(skills_ref_loop(roots))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    f, g, c, w, r = (min(t, key=lambda x: x[0]) for t in (floors, tuned, cold, warm, refs))
    print(f"skills: {len(roots)}  cores: {os.cpu_count()}  load: {os.getloadavg()[0]:.2f}")
    print(f"best of {args.repeat}; CPU = user+system seconds (lint: with its workers)")
    if args.ignore:
        print(f"skillkit lint runs with --ignore {args.ignore}")
    print(f"{'measure':<38}{'wall s':>8}{'x floor':>9}{'CPU s':>8}  target")
    rows = [
        ("floor (read + markdown-it, 1 process)", f, ""),
        ("  the same, with lint's GC threshold", g, "(for reference)"),
        ("skillkit lint, cold (cache cleared)", c, "<= 1.0x floor"),
        ("skillkit lint, warm (cache filled)", w, "<= 0.1x floor and < skills-ref"),
        ("skills-ref validate loop (in-process)", r, ""),
    ]
    for label, (wall, cpu), target in rows:
        print(f"{label:<38}{wall:>8.3f}{wall / f[0]:>8.2f}x{cpu:>8.2f}  {target}")
    ok_cold = c[0] <= f[0]
    ok_warm = w[0] <= 0.1 * f[0] and w[0] < r[0]
    print(f"cold: {'met' if ok_cold else 'MISSED'}; warm: {'met' if ok_warm else 'MISSED'}")
    if args.breakdown:
        breakdown(roots, args.breakdown)


if __name__ == "__main__":
    main()
