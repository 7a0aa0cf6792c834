"""Per-rule finding counts over the corpus: how often each rule fires on real skills.

Run: ``SKILLKIT_CORPUS=../shared/corpus .venv/bin/python benchmarks/corpus_findings.py [-v]``
(``-v`` also lists every finding). A rule that fires on legitimate skills is a false positive
to fix; this script is how we look.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from pathlib import Path

from skills_ref.validator import validate

from skillkit.config import Config
from skillkit.lint.linter import lint_paths
from skillkit.lint.registry import get_rule


def main() -> None:
    corpus = Path(os.environ.get("SKILLKIT_CORPUS", "../shared/corpus")) / "skills"
    if not corpus.is_dir():
        sys.exit(f"set SKILLKIT_CORPUS to the corpus folder (no {corpus})")
    started = time.perf_counter()
    result = lint_paths([corpus], Config(root=corpus))
    elapsed = time.perf_counter() - started
    counts = Counter(d.code for d in result.diagnostics)
    with_findings = Counter(
        d.code for d in {(d.code, d.path.parent): d for d in result.diagnostics}.values()
    )
    rejected = sum(1 for s in result.skills if validate(s.root))
    print(f"{len(result.skills)} skills linted in {elapsed:.2f}s; skills-ref rejects {rejected}")
    print(f"{'code':6} {'name':28} {'severity':8} {'findings':>8} {'folders':>8}")
    for code, n in sorted(counts.items()):
        rule = get_rule(code)
        name = rule.name if rule else "?"
        severity = rule.severity.label if rule else "?"
        print(f"{code:6} {name:28} {severity:8} {n:8} {with_findings[code]:8}")
    if "-v" in sys.argv:
        for d in result.diagnostics:
            print(f"{d.path.relative_to(corpus)}:{d.line}:{d.column}: {d.code} {d.message}")


if __name__ == "__main__":
    main()
