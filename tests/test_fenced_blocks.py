"""`markdown.fenced_blocks` (a line scanner) finds the same fenced blocks as markdown-it."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillkit.markdown import fenced_blocks
from skillkit.markdown import parser as markdown_parser

REPO = Path(__file__).resolve().parent.parent


def _reference(text: str) -> list[tuple[str, str, int, int]]:
    out = []
    for token in markdown_parser().parse(text):
        if token.type == "fence" and token.map is not None:
            info = token.info.strip()
            lang = info.split(None, 1)[0].lower() if info else ""
            out.append((lang, token.content, token.map[0] + 1, token.map[1]))
    return out


def _ours(text: str) -> list[tuple[str, str, int, int]]:
    return [(b.lang, b.content, b.first, b.end) for b in fenced_blocks(text)]


CASES = {
    "plain": "a\n\n```json\n{}\n```\n",
    "list item": "1. Step\n\n   ```bash\n   aws s3 ls\n   ```\n",
    "marker on the fence line": "2. ```sh\n   ls\n   ```\n",
    "quote": "> ```py\n> x = 1\n>\n> y = 2\n> ```\n",
    "tildes, longer close": "~~~~\nx\n~~~~~~\n",
    "backtick in info is no fence": "```a`b\nx\n```\n",
    "unclosed": "text\n```\nrest\n",
    "none": "no code here\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases_agree(name: str) -> None:
    assert _ours(CASES[name]) == _reference(CASES[name])


def test_every_markdown_file_of_the_repo_agrees() -> None:
    files = [
        *(REPO / "skills").rglob("*.md"),
        *(REPO / "tests" / "data").rglob("*.md"),
        *(REPO / "docs").rglob("*.md"),
    ]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert _ours(text) == _reference(text), path


@pytest.mark.corpus
def test_every_corpus_markdown_file_agrees(corpus: Path) -> None:
    files = list(corpus.rglob("*.md"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert _ours(text) == _reference(text), path
