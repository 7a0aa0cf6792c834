"""Benchmark `skillkit lint` against agnix (the Rust skill linter) on distinct skill trees.

    SKILLKIT_CORPUS=/work/shared/corpus .venv/bin/python benchmarks/bench_lint.py [COUNT]
        [--repeat N] [--growth 10000] [--floor] [--breakdown N]

The tree holds COUNT (1,000) copies of the corpus skills with every Markdown file made
distinct (see `tree.build_tree`), so that nothing is reused by content hash inside one run.
agnix comes from the ``bench`` extra (``pip install -e '.[bench]'``).

Runs alternate (agnix, cold lint, warm lint; repeated), so that a burst of load on a shared
machine hits all alike; the figures are medians of the repeats. Printed:
- cold/agnix: ``skillkit lint --no-cache`` wall time over agnix's on the same tree (target <= 1.0);
- warm/cold: ``skillkit lint`` with the cache filled, over cold (target <= 0.1);
- CPU seconds (user + system, with workers) beside wall time, since other load inflates wall;
- peak memory: the largest resident set of any one process of the run (target <= 150 MiB);
- with ``--growth N``: cold wall and CPU on N skills over COUNT skills (target <= N/COUNT * 1.1).
With ``--floor``, also the old reference: read + markdown-it-py parse of every SKILL.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tree import build_tree, compile_package

from skillkit.markdown import parser as markdown_parser

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


AGNIX = Path(sys.executable).with_name("agnix")


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and the children it waited for
    peak_mib: float  # largest resident set of any one of those processes


def timed_run(cmd: list[str], ok: tuple[int, ...] = (0, 1)) -> Run:
    """Run `cmd`, measuring it alone (``wait4``), not the other runs of this benchmark."""
    start = time.perf_counter()
    with subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as proc:
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode not in ok:
        sys.exit(f"{cmd[0]} failed ({proc.returncode}): {err.decode(errors='replace')[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def lint(tree: Path, cache: Path | None, jobs: int | None, ignore: str | None = None) -> Run:
    """``skillkit lint``: cold with `cache` None (``--no-cache``), else with that cache folder."""
    cmd = [str(SKILLKIT), "lint", str(tree), "-q", "--output-format", "json"]
    cmd += ["--no-cache"] if cache is None else ["--cache-dir", str(cache)]
    if ignore:
        cmd += ["--ignore", ignore]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    return timed_run(cmd)


def agnix(tree: Path) -> Run:
    if not AGNIX.exists():
        sys.exit("agnix is not installed: pip install -e '.[bench]'")
    # --max-files 0: its default limit (10,000 files) would stop it short of the whole tree
    return timed_run([str(AGNIX), "--format", "json", "--max-files", "0", str(tree)])


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
        timed("Markdown outline of the body", lambda skill=skill: skill.outline)
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


def compare(tree: Path, repeat: int, jobs: int | None, ignore: str | None) -> dict[str, Run]:
    """Median of `repeat` alternating rounds of agnix, cold lint and warm lint on `tree`."""
    work = Path(tempfile.mkdtemp(prefix="bench-lint-"))
    runs: dict[str, list[Run]] = {"agnix": [], "cold": [], "warm": []}
    try:
        lint(tree, work / "cache", jobs, ignore)  # fill the cache used by the warm runs
        for i in range(repeat):
            # the order turns each round, so that neither tool always runs after the other
            order = ["agnix", "cold", "warm"] if i % 2 == 0 else ["cold", "agnix", "warm"]
            for what in order:
                if what == "agnix":
                    runs[what].append(agnix(tree))
                elif what == "cold":
                    runs[what].append(lint(tree, None, jobs, ignore))
                else:
                    runs[what].append(lint(tree, work / "cache", jobs, ignore))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    pairs = [c.wall / a.wall for c, a in zip(runs["cold"], runs["agnix"], strict=True)]
    print("cold/agnix of each round: " + "  ".join(f"{r:.2f}" for r in pairs))
    return {
        k: Run(median(r.wall for r in v), median(r.cpu for r in v), max(r.peak_mib for r in v))
        for k, v in runs.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--ignore", metavar="CODES", help="lint without these rules")
    parser.add_argument(
        "--growth", type=int, default=0, metavar="N", help="also cold-lint N skills: N/COUNT"
    )
    parser.add_argument("--floor", action="store_true", help="also the markdown-it-py floor")
    parser.add_argument(
        "--breakdown",
        type=int,
        default=0,
        metavar="N",
        help="also show where a cold run's CPU goes, on every N-th skill",
    )
    args = parser.parse_args()
    tree = build_tree(args.count, distinct=True)
    compile_package()
    roots = sorted(p.parent for p in tree.glob("*/SKILL.md"))
    md_bytes = sum(p.stat().st_size for p in tree.rglob("*.md") if p.is_file())

    got = compare(tree, args.repeat, args.jobs, args.ignore)
    a, c, w = got["agnix"], got["cold"], got["warm"]
    print(f"skills: {len(roots)} ({md_bytes / 2**20:.0f} MiB of Markdown, every file distinct)")
    print(
        f"cores: {os.cpu_count()}  load: {os.getloadavg()[0]:.2f}  "
        f"median of {args.repeat} alternating rounds"
    )
    if args.ignore:
        print(f"skillkit lint runs with --ignore {args.ignore}")
    print(f"{'measure':<34}{'wall s':>8}{'CPU s':>8}{'peak MiB':>10}")
    for label, run in (
        ("agnix validate", a),
        ("skillkit lint --no-cache", c),
        ("skillkit lint (warm cache)", w),
    ):
        print(f"{label:<34}{run.wall:>8.3f}{run.cpu:>8.2f}{run.peak_mib:>10.1f}")
    print(f"cold/agnix: {c.wall / a.wall:.2f}x wall, {c.cpu / a.cpu:.2f}x CPU   (target <= 1.0x)")
    print(f"warm/cold:  {w.wall / c.wall:.3f}x wall                (target <= 0.1x)")
    print(f"peak:       {c.peak_mib:.0f} MiB cold, {w.peak_mib:.0f} MiB warm  (target <= 150)")
    if args.growth:
        big = build_tree(args.growth, distinct=True)
        big_runs = [
            lint(big, None, args.jobs, args.ignore) for _ in range(max(1, args.repeat // 3))
        ]
        b = Run(
            median(r.wall for r in big_runs),
            median(r.cpu for r in big_runs),
            max(r.peak_mib for r in big_runs),
        )
        factor = args.growth / args.count
        print(
            f"growth {args.growth}/{args.count}: {b.wall / c.wall:.2f}x wall, "
            f"{b.cpu / c.cpu:.2f}x CPU, peak {b.peak_mib:.0f} MiB  "
            f"(target <= {factor * 1.1:.0f}x)"
        )
    if args.floor:
        f = min((floor([r / "SKILL.md" for r in roots]) for _ in range(3)), key=lambda t: t[0])
        print(f"floor (read + markdown-it-py of SKILL.md, 1 process): {f[0]:.3f} s wall")
    if args.breakdown:
        breakdown(roots, args.breakdown)


if __name__ == "__main__":
    main()
