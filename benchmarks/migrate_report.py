"""Before/after tokens of ``skillkit migrate`` on the test SOPs (and the corpus SOPs, if any).

    .venv/bin/python benchmarks/migrate_report.py [SOP_OR_FOLDER...]

Prints, per SOP and for each mode (progressive, the default; ``--split``; ``--inline``):
tokens of the SOP loaded whole, the entry skill's L1 + L2 (what an agent pays to start) and
its share of the SOP, the reference files, the full-run cost (the entry SKILL.md + every
other emitted file: what a run that reads everything pays; L1 is in its own column) against
the SOP, the catalog L1 the migration
adds, the lines of the largest emitted SKILL.md, and whether the lossless check passed; then
the averages. Targets (default mode, corpus): entry L1+L2 <= 35% of the SOP on average, no
entry over 5,000 tokens or 500 lines, full run <= 110%. Also times a generated 5,000-line SOP.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from skillkit.migrate import plan_migration

REPO = Path(__file__).resolve().parent.parent


def table(paths: list[Path], mode: str) -> None:
    plan = plan_migration(paths, mode=mode, cwd=REPO)
    print(f"\n## mode: {mode}{' (default)' if mode == 'progressive' else ''}\n")
    print("| SOP | skills | SOP tokens | entry L1 | entry L2 | L1+L2 | L1+L2 % of SOP "
          "| references | full run | full run % | catalog L1 | largest SKILL.md lines "
          "| lossless |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    shares, fulls = [], []
    over = 0
    for m in plan.migrations:
        r = m.report
        shown = Path(m.file.display).name
        shown = shown if m.sop.count == 1 else f"{shown} #{m.sop.index + 1}"
        shares.append(r.start_percent)
        fulls.append(r.full_percent)
        refs = sum(len(t.files) - 1 for t in m.skills)
        over += r.entry_l2 > 5000 or r.largest_skill_md_lines > 500
        print(f"| {shown} | {r.skills} | {r.sop_tokens} | {r.entry_l1} | {r.entry_l2} "
              f"| {r.start_tokens} | {r.start_percent:.1f}% | {refs} | {r.full_tokens} "
              f"| {r.full_percent:.1f}% | {r.catalog_l1} | {r.largest_skill_md_lines} "
              f"| {'yes' if m.check.ok else 'NO'} |")
    if shares:
        n = len(shares)
        print(f"\naverage L1+L2 share: {sum(shares) / n:.1f}% (max {max(shares):.1f}%); "
              f"full run: average {sum(fulls) / n:.1f}% (max {max(fulls):.1f}%) over {n} SOPs; "
              f"entries over 5,000 tokens or 500 lines: {over}; "
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
    groups: list[tuple[str, list[Path]]] = []
    if argv:
        groups.append(("given SOPs", [Path(a) for a in argv]))
    else:
        corpus = os.environ.get("SKILLKIT_CORPUS")
        if corpus:
            real = [p for p in (Path(corpus) / "sops").rglob("*.sop.md")
                    if p.read_bytes().strip()]
            groups.append((f"corpus ({len(real)} SOPs with content)", sorted(real)))
        else:
            print("SKILLKIT_CORPUS is not set: the corpus targets are not measured")
        groups.append(("constructed test SOPs", [REPO / "tests" / "data" / "sops"]))
    for title, paths in groups:
        print(f"\n# {title}")
        for mode in ("progressive", "split", "inline"):
            table(paths, mode)
    huge()


if __name__ == "__main__":
    main(sys.argv[1:])
