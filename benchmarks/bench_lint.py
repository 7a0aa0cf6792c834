"""Benchmark `skillkit lint` on the 1,000-skill tree, against the floor and skills-ref.

    SKILLKIT_CORPUS=/work/shared/corpus .venv/bin/python benchmarks/bench_lint.py [COUNT] [--repeat N]

Prints, in one run (best of N repeats for each figure):
- cold: ``skillkit lint`` as a subprocess with the cache cleared (both cores by default);
- warm: the same with the cache filled by the cold run;
- skills-ref: an in-process loop of ``skills_ref.validator.validate`` over the same skills;
- floor: read + markdown-it parse of the same SKILL.md bytes, single process.
Targets: cold <= 1.0 x floor; warm <= 0.1 x floor and faster than the skills-ref loop.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tree import build_tree

from skillkit.model import markdown_parser

SKILLKIT = Path(sys.executable).with_name("skillkit")


def floor(skill_mds: list[Path]) -> float:
    md = markdown_parser()
    start = time.perf_counter()
    for path in skill_mds:
        md.parse(path.read_bytes().decode("utf-8", errors="replace"))
    return time.perf_counter() - start


def skills_ref_loop(roots: list[Path]) -> float:
    from skills_ref.validator import validate

    start = time.perf_counter()
    for root in roots:
        validate(root)
    return time.perf_counter() - start


def lint(tree: Path, cache: Path, jobs: int | None) -> tuple[float, int]:
    cmd = [str(SKILLKIT), "lint", str(tree), "--cache-dir", str(cache), "-q"]
    cmd += ["--output-format", "json", "-o", str(cache.parent / "out.json")]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"skillkit lint failed ({proc.returncode}): {proc.stderr}")
    return elapsed, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    tree = build_tree(args.count)
    roots = sorted(p.parent for p in tree.glob("*/SKILL.md"))
    skill_mds = [r / "SKILL.md" for r in roots]

    work = Path(tempfile.mkdtemp(prefix="bench-lint-"))
    cache = work / "cache"
    cold, warm = [], []
    try:
        for _ in range(args.repeat):
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(lint(tree, cache, args.jobs)[0])
            warm.append(lint(tree, cache, args.jobs)[0])
        floors = [floor(skill_mds) for _ in range(args.repeat)]
        refs = [skills_ref_loop(roots) for _ in range(args.repeat)]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    f, c, w, r = min(floors), min(cold), min(warm), min(refs)
    print(f"skills: {len(roots)}  cores: {os.cpu_count()}  repeats: {args.repeat} (best of)")
    print(f"{'measure':<34}{'seconds':>9}{'x floor':>9}  target")
    rows = [
        ("floor (read + markdown-it, 1 proc)", f, ""),
        ("skillkit lint, cold (cache cleared)", c, "<= 1.0x floor"),
        ("skillkit lint, warm (cache filled)", w, "<= 0.1x floor, < skills-ref"),
        ("skills-ref validate loop (in-proc)", r, ""),
    ]
    for label, seconds, target in rows:
        print(f"{label:<34}{seconds:>9.3f}{seconds / f:>8.2f}x  {target}")
    ok_cold = c <= f
    ok_warm = w <= 0.1 * f and w < r
    print(f"cold target {'met' if ok_cold else 'MISSED'}; warm target {'met' if ok_warm else 'MISSED'}")


if __name__ == "__main__":
    main()
