"""Benchmark `skillkit build` on the 1,000-skill tree: a full build, then an incremental build
after changing one skill. Target: incremental <= 0.1 x full.

    SKILLKIT_CORPUS=/work/shared/corpus .venv/bin/python benchmarks/bench_build.py [COUNT]

The corpus skills carry no ``metadata.version`` and some break lint rules, so the benchmark
copies get ``metadata.version: 1.0.0`` (and no ``requires``), and the build runs with
``allow_lint_errors=True`` (the CLI's ``--allow-lint-errors``): lint still runs in full.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tree import WORK, build_tree

from skillkit.index import build


def versioned_copy(src: Path, dest: Path) -> Path:
    marker = dest / ".complete"
    if marker.exists():
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest)
    for skill_md in dest.glob("*/SKILL.md"):
        text = skill_md.read_text(encoding="utf-8", errors="replace")
        _, _, rest = text.partition("---\n")
        yaml_text, sep, body = rest.partition("\n---")
        try:
            data = yaml.safe_load(yaml_text) if sep else None
        except yaml.YAMLError:
            data = None
        if not isinstance(data, dict):
            data = {"name": skill_md.parent.name, "description": "Benchmark copy."}
            body = "\n" + text
        metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
        metadata = {str(k): str(v) for k, v in metadata.items() if k != "requires"}
        metadata["version"] = "1.0.0"
        data["metadata"] = metadata
        data.pop("version", None)
        front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        skill_md.write_text(f"---\n{front}---{body}", encoding="utf-8")
    marker.touch()
    return dest


def timed(label: str, skills: Path, out: Path) -> float:
    start = time.perf_counter()
    result = build(skills, out, allow_lint_errors=True)
    elapsed = time.perf_counter() - start
    print(
        f"{label:<28} {elapsed:8.3f} s   ({len(result.added)} new, {len(result.unchanged)} "
        f"unchanged; {result.packed} packed, {result.reused} from cache)"
    )
    return elapsed


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    skills = versioned_copy(build_tree(count), WORK / f"build-tree-{count}")
    work = WORK / "bench-build"
    if work.exists():
        shutil.rmtree(work)
    tree = work / "skills"
    shutil.copytree(skills, tree)
    out = work / "dist"
    print(f"{count} skills, {sum(1 for _ in tree.rglob('*') if _.is_file())} files")
    full = timed("full build", tree, out)
    noop = timed("rebuild, nothing changed", tree, out)
    one = sorted(p for p in tree.iterdir() if p.is_dir())[count // 2] / "SKILL.md"
    text = one.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.0.1", 1)
    one.write_text(text + "\nOne more line.\n", encoding="utf-8")
    incremental = timed("incremental (1 skill changed)", tree, out)
    print(f"incremental / full = {incremental / full:.3f}  (target <= 0.1)")
    print(f"no-op / full       = {noop / full:.3f}")
    from skillkit.index import load, verify

    start = time.perf_counter()
    load(out)
    print(f"load() of the index (schema-checked)  {time.perf_counter() - start:8.3f} s")
    start = time.perf_counter()
    report = verify(out)
    print(
        f"verify (every archive and file digest)  {time.perf_counter() - start:8.3f} s",
        f"ok={report.ok}",
    )


if __name__ == "__main__":
    main()
