"""How long `skillkit docs` takes: catalog loading, page rendering and the mkdocs build.

    SKILLKIT_CORPUS=../shared/corpus .venv/bin/python benchmarks/bench_docs.py [COUNT]

COUNT skills (default 200) are replicated from the corpus by `tree.build_tree`; the site is built
into benchmarks/.work/ (git-ignored). Prints seconds per stage and pages per second.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.tree import WORK, build_tree
from skillkit.docs import from_skills, render_pages
from skillkit.docs.site import build_site


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    tree = build_tree(count)
    started = time.perf_counter()
    catalog = from_skills([tree])
    loaded = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-docs-") as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        pages = render_pages(catalog, docs)
        rendered = time.perf_counter()
        build_site(
            docs,
            WORK / f"site-{count}",
            overrides={"nav": [*pages.catalog_nav, *pages.rules_nav]},
            extra_css=["assets/skillkit/catalog.css"],
            extra_javascript=["assets/skillkit/catalog.js"],
        )
    built = time.perf_counter()
    n = len(pages.written)
    print(f"skills: {len(catalog.skills)}  pages: {n}")
    print(f"load + measure: {loaded - started:6.2f} s")
    print(f"render pages:   {rendered - loaded:6.2f} s")
    print(f"mkdocs build:   {built - rendered:6.2f} s  ({n / (built - rendered):.0f} pages/s)")
    print(f"total:          {built - started:6.2f} s")


if __name__ == "__main__":
    main()
