"""Before/after tokens of ``skillkit migrate`` on the test SOPs (and the corpus SOPs, if any).

    .venv/bin/python benchmarks/migrate_report.py [SOP_OR_FOLDER...]

Prints, per SOP and for the default and ``--split`` modes: tokens of the SOP loaded whole,
the entry skill's L1 + L2 (what an agent pays to start), L3 left on demand, the entry's share
of the SOP, the lines of the largest emitted SKILL.md, and whether the lossless check passed;
then the average entry share. Also times the migration of a generated 5,000-line SOP.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from skillkit.migrate import plan_migration

REPO = Path(__file__).resolve().parent.parent


def table(paths: list[Path], split: bool | None) -> None:
    plan = plan_migration(paths, split=split, cwd=REPO)
    mode = {None: "default", True: "--split", False: "--no-split"}[split]
    print(f"\n## mode: {mode}\n")
    print("| SOP | skills | SOP tokens | entry L1 | entry L2 | L1+L2 | L1+L2 % of SOP "
          "| L3 on demand | catalog L1 | largest SKILL.md lines | lossless |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    shares = []
    for m in plan.migrations:
        r = m.report
        shown = m.file.display if m.sop.count == 1 else f"{m.file.display} #{m.sop.index + 1}"
        shares.append(r.start_percent)
        print(f"| {shown} | {r.skills} | {r.sop_tokens} | {r.entry_l1} | {r.entry_l2} "
              f"| {r.start_tokens} | {r.start_percent:.1f}% | {r.l3} | {r.catalog_l1} "
              f"| {r.largest_skill_md_lines} "
              f"| {'yes' if m.check.ok else 'NO'} |")
    if shares:
        print(f"\naverage L1+L2 share: {sum(shares) / len(shares):.1f}% over {len(shares)} SOPs; "
              f"constraints checked: {sum(m.check.constraints for m in plan.migrations)}, "
              f"lost: {sum(len(m.check.missing) for m in plan.migrations)}")


def huge() -> None:
    parts = ["# Huge\n\n## Overview\n\nA very long procedure.\n\n## Steps\n"]
    for n in range(1, 51):
        parts.append(f"\n### {n}. Stage {n}\n\nDo stage {n}.\n\n**Constraints:**\n"
                     f"- You MUST finish stage {n}\n\n```text\n"
                     + "".join(f"# line {k}\n" for k in range(92)) + "```\n")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "huge.sop.md"
        path.write_text("".join(parts))
        start = time.perf_counter()
        plan = plan_migration([path])
        elapsed = time.perf_counter() - start
        lines = path.read_text().count("\n")
        print(f"\n{lines}-line SOP: planned {len(plan.skills)} skills in {elapsed:.2f} s, "
              f"lossless={plan.lossless}")


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv] or [REPO / "tests" / "data" / "sops"]
    corpus = os.environ.get("SKILLKIT_CORPUS")
    if not argv and corpus:
        real = [p for p in (Path(corpus) / "sops").rglob("*.sop.md") if p.read_bytes().strip()]
        paths += real
        print(f"corpus SOPs with content: {len(real)}")
    for split in (None, True):
        table(paths, split)
    huge()


if __name__ == "__main__":
    main(sys.argv[1:])
