"""List items indented the CommonMark way keep their structure on the docs site.

Skills indent an item's continuation lines to its content column (3 after ``1. ``); mkdocs'
Python-Markdown needs 4 spaces a level. Built for real with mkdocs, read back with html.parser.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from markdown_it import MarkdownIt

from skillkit.docs.lists import reindent_lists
from skillkit.docs.site import MARKDOWN_EXTENSIONS
from tests.conftest import DATA
from tests.docs_support import Element, after_heading, article, catalog_site, items, tree

LISTS = DATA / "docs" / "lists"


@pytest.fixture(scope="module")
def lists_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return catalog_site(LISTS, tmp_path_factory.mktemp("lists"))


def test_skill_body_lists_keep_their_structure(lists_site: Path) -> None:
    page = article(lists_site / "skills" / "list-shapes" / "index.html")
    intro = after_heading(page, "List shapes")
    # A list may interrupt a paragraph in CommonMark; it must not be read as its text.
    assert intro.tag == "p" and intro.text().strip() == "The steps, numbered:"
    steps = page.elements[page.elements.index(intro) + 1]
    assert steps.tag == "ol"
    first, run, sort, read = items(steps)
    assert first.text().strip() == "Open the project folder."
    # The fenced block and the paragraph after it belong to the second step, code as written.
    [code] = run.find_all("pre")
    assert code.text() == "python check.py --strict\n  --verbose <kept-as-text>\n"
    assert "`<b>` in its output" not in run.text()
    assert [c.text() for c in run.find_all("code") if c.text() == "<b>"] == ["<b>"]
    assert run.find_all("b") == []
    # The nested bullets sit inside their step, with their wrapped line.
    [nested] = [e for e in sort.elements if e.tag == "ul"]
    assert [li.text().split() for li in items(nested)] == [
        ["blocking", "ones", "first"],
        ["the", "others", "after,", "in", "file", "order"],
    ]
    [link] = read.find_all("a")
    assert link.attrs["href"] == "references/notes/"

    bullets = page.elements[page.elements.index(steps) + 1]
    assert bullets.tag == "ul"
    wrapped, with_code, last = items(bullets)
    paragraphs = [" ".join(p.text().split()) for p in wrapped.find_all("p")]
    assert paragraphs == [
        "A bullet whose text goes on for a second line.",
        "And a second paragraph in the same bullet.",
    ]
    assert [p.text() for p in with_code.find_all("pre")] == ["indented two columns\n"]
    assert last.text().strip() == "A last bullet."


def test_reference_page_lists_keep_their_structure(lists_site: Path) -> None:
    page = article(lists_site / "skills" / "list-shapes" / "references" / "notes" / "index.html")
    [notes] = [e for e in page.elements if e.tag == "ol"]
    first, second, third = items(notes)
    assert [p.text() for p in first.find_all("pre")] == ["the note's example\n"]
    assert second.find_all("pre") == [] and third.text().strip() == "A third note."


# -- the pre-pass against both parsers -------------------------------------------------------

# Not block quotes: Python-Markdown merges two that only a blank line separates.
_STRUCTURE = {"ol", "ul", "li", "pre", "table", "h1", "h2", "h3", "h4", "h5", "h6"}


def structure(html_text: str) -> str:
    """Block nesting only (lists, items, code, tables, headings): paragraphs may differ."""

    def walk(element: Element) -> str:
        inner = "".join(walk(e) for e in element.elements)
        return f"<{element.tag}>{inner}</>" if element.tag in _STRUCTURE else inner

    return walk(tree(html_text))


def commonmark(text: str) -> str:
    return structure(MarkdownIt("commonmark").enable("table").render(text))


def python_markdown(text: str) -> str:
    """Rendered with the site's extensions, given in mkdocs' form (a name, or {name: config})."""
    names: list[str] = []
    configs: dict[str, Any] = {}
    for extension in MARKDOWN_EXTENSIONS:
        if isinstance(extension, dict):
            configs.update(extension)
            names.extend(extension)
        else:
            names.append(extension)
    html_text = markdown.markdown(text, extensions=names, extension_configs=configs)
    return structure(html_text)


CASES = {
    "code and paragraph in an item": "1. a\n2. b\n\n   ```\n   x\n   ```\n\n   c\n3. d\n4. e\n",
    "nested bullets": "1. a\n   - b\n   - c\n     d\n2. e\n",
    "list after a paragraph": "Text:\n- a\n- b\n",
    "deep nesting": "1. a\n\n   - b\n\n     1. c\n\n        ```\n        code\n        ```\n\n"
    "        text\n     2. d\n   - e\n2. f\n",
    "item after a deeper item": "- a\n  1. b\n\n     ```\n     x\n     ```\n\n  2. c\n- d\n",
    "tabs": "1.\tfoo\n\tbar\n\n\t```\n\t\tx\n\t```\n2.\tbaz\n",
    "parenthesis numbers": "1) a\n2) b\n",
    "lazy line": "1. a\nlazy\n2. b\n",
    "empty first line": "-\n  foo\n- bar\n",
    "indented markers": "   1. a\n      b\n\n      c\n   2. d\n",
    "table in an item": "1. a\n\n   | x | y |\n   |---|---|\n   | 1 | 2 |\n2. b\n",
    "heading in an item": "- a\n\n  ## H\n- b\n",
    "ordered then bullets": "1. a\n2. b\n\n- c\n- d\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_python_markdown_reads_the_lists_commonmark_does(text: str) -> None:
    assert python_markdown(reindent_lists(text)) == commonmark(text)
    assert commonmark(reindent_lists(text)) == commonmark(text)


def test_only_list_lines_change() -> None:
    text = (
        "Intro\n  indented text\n\n    code block\n\n```\n- not a list\n   x\n```\n\n"
        "> 1. quoted\n>    item\n\n- a\n  b\n\nAfter\n   the list\n"
    )
    assert reindent_lists(text) == text.replace("- a\n  b", "-   a\n    b")


@pytest.mark.corpus
def test_corpus_lists(corpus_skills: Path) -> None:
    """Across real skills: CommonMark structure and code unchanged; Python-Markdown agrees."""
    files = sorted(corpus_skills.rglob("*.md"))
    assert len(files) > 100
    differ: list[str] = []
    for file in files:
        text = file.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        moved = reindent_lists(body)
        assert commonmark(moved) == commonmark(body), file
        code = re.compile(r"<pre>.*?</pre>", re.S)
        render = MarkdownIt("commonmark").enable("table").render
        assert code.findall(render(moved)) == code.findall(render(body)), file
        if python_markdown(moved) != commonmark(body):
            differ.append(str(file.relative_to(corpus_skills)))
    # What is left is not about list indentation (7 of 513 files when written): lists inside
    # block quotes, a fence on an item's marker line, a table glued to a paragraph, an
    # indented heading.
    assert len(differ) <= len(files) // 50, differ
