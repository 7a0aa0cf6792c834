"""The old parse path against the new: markdown-it-py and markdown-it-pyrs give lint the same
outline (links, images, code spans, HTML, headings and their lines), and the same links of a
bundled file, so no finding moves.

Checked three ways: the outline of every Markdown file of the corpus; the outline of fuzzed
Markdown (seeded, so a failure replays); and the findings (code, file, line, column) of
``skillkit lint`` on the corpus skills run once with each parser.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from skillkit.markdown import links, outline

#: Pieces real skill Markdown is made of, chosen for the places parsers tend to differ: link
#: forms, code spans, raw HTML, containers, setext headings, tables, fences, line ends, NUL.
_PIECES = [
    "[guide](references/guide.md)", "![chart](assets/c.png)", "[a](<with space.md>)",
    "[x](ü.md#Ab)", "[ref][r]", "[r]: references/r.md", "<https://x.example/a>",
    "<a@b.example>", "`scripts/run.py`", "``a`b``", "[`references/x.md`](references/x.md)",
    "[![i](a.png)](b.md)", '<img src="assets/x.png">', '<a href="../up.md">up</a>',
    "<!-- skillkit: disable SK301 -->", "<!-- a\nb -->", "<div id=\"z\">", "</div>",
    "# Title", "## Sub *em* [l](#title)", "Setext", "===", "---", "> ", "- ", "1. ", "  ",
    "    ", "| a | b |", "|---|---|", "| [c](c.md) | `d` |", "```", "~~~py", "***", "*em*",
    "**strong [s](s.md)**", "\\[not](a link)", "&amp;", "&#x5b;", "[a](b \"t\")",
    "[a](file:///etc/x)", "[j](javascript:x)", "x\\", "\t", "é", "中文", "\x00", "\r\n", "\r",
    "\n", "\n", "\n\n", " ", "text", "more text", "[unclosed(", "](", "<span", "`",
    "\n\n```\n", "\n  ```\n", "\n\n<div>\n", "\n\n<!-- x\n", "-->", "[d]: references/d.md",
    "\n\n- item\n", "\n\n[col0](c0.md)\n", "\n    ```\n", "\n<script>\n", "\n\n<pre>\n",
    "</script>", "\n<style>\n\n", "\n- <pre>\n", "\n3.\n", ">", "\n1. step\n   ```\n",
    "\n   ```\n", "\n  ~~~\n", "\n      ```\n", "\n\ncol0\n", "x[1]: y", "\n[r]:\n",
]  # fmt: skip


def _fuzzed(rng: random.Random) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 60)))


def _differences(texts: list[tuple[str, str]]) -> list[str]:
    out = []
    for label, text in texts:
        old, new = outline(text, "markdown-it-py"), outline(text, "markdown-it-pyrs")
        if old == new:  # and the reduced walk for bundled files' links
            old, new = links(text, "markdown-it-py"), links(text, "markdown-it-pyrs")
        if old != new:
            first = next(
                (f"{a} != {b}" for a, b in zip(old, new, strict=False) if a != b),
                f"{len(old)} blocks != {len(new)}",
            )
            out.append(f"{label}: {first}")
    return out


def test_outlines_agree_on_fuzzed_markdown() -> None:
    rng = random.Random(20261205)
    texts = [(f"case {i}: {t!r}", t) for i in range(4000) for t in [_fuzzed(rng)]]
    assert _differences(texts) == []


def test_outlines_agree_on_spliced_corpus_lines(corpus: Path) -> None:
    # Real lines in random orders: real link and container shapes meeting in new ways.
    lines = [
        line
        for p in sorted(corpus.rglob("*.md"))
        for line in p.read_text("utf-8", errors="replace").splitlines(keepends=True)
    ]
    rng = random.Random(5)
    texts = [
        (f"splice {i}", "".join(rng.choice(lines) for _ in range(rng.randint(5, 80))))
        for i in range(1500)
    ]
    assert _differences(texts) == []


def test_outlines_agree_on_every_corpus_markdown_file(corpus: Path) -> None:
    files = sorted(p for p in corpus.rglob("*.md") if p.is_file())
    assert len(files) > 100
    texts = [(str(p), p.read_text("utf-8", errors="replace")) for p in files]
    assert _differences(texts) == []


def _findings(tree: Path, engine: str) -> list[tuple[str, str, int, int]]:
    env = {**os.environ, "SKILLKIT_MARKDOWN_ENGINE": engine}
    cmd = [sys.executable, "-m", "skillkit", "lint", str(tree), "--no-cache"]
    cmd += ["--output-format", "json", "--exit-zero"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    report = json.loads(proc.stdout)
    return sorted((d["code"], d["path"], d["line"], d["column"]) for d in report["findings"])


@pytest.mark.slow
def test_lint_findings_are_identical_with_either_parser(corpus_skills: Path) -> None:
    old = _findings(corpus_skills, "markdown-it-py")
    new = _findings(corpus_skills, "markdown-it-pyrs")
    assert len(old) > 50  # the corpus has real findings: the comparison is not vacuous
    assert any(code in {"SK301", "SK303", "SK304"} for code, *_ in old)
    assert old == new


def _odd_table_by_lines(text: str) -> bool:
    """The table check as first written, one line-anchored pattern: the reference for the
    faster scan in `skillkit.markdown` (same pairs of header and delimiter rows)."""
    import re

    for m in re.finditer(r"^(.*)\n(?=([ \t]*[-:|][-:| \t]*)$)", text, re.MULTILINE):
        header, row = m[1], m[2]
        if "-" not in row or not header.strip():
            continue
        if ("|" in row and "|" not in header) or (
            "|" not in row and header.lstrip().startswith("|")
        ):
            return True
        before = text.rfind("\n", 0, max(m.start() - 1, 0))
        if "|" in row and text[before + 1 : m.start()].lstrip().startswith(">"):
            return True
    return False


def test_table_rows_are_found_as_by_the_line_anchored_pattern(corpus: Path) -> None:
    from skillkit.markdown import _normalised, _odd_table

    rng = random.Random(11)
    pieces = ["|", "-", "---", ":--", "| a |", "|---|", " ", "\t", ">", "> ", "\n", "\n\n", "x"]
    texts = [p.read_text("utf-8", errors="replace") for p in sorted(corpus.rglob("*.md"))]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(20000)]
    differ = [t for t in map(_normalised, texts) if _odd_table(t) != _odd_table_by_lines(t)]
    assert differ == []
    assert any(_odd_table(t) for t in texts)  # the check is exercised both ways
