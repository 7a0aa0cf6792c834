"""Untrusted skill content in the docs site: no script runs, no file lands outside site/."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillkit.cli import cli
from skillkit.docs import from_skills, render_pages
from skillkit.docs.safe import (
    neutralize_html,
    rewrite_links,
    safe_relpath,
    sanitize_html,
    slugify,
)
from tests.conftest import DATA
from tests.docs_support import catalog_site, check_site, parse

HOSTILE = DATA / "docs" / "hostile"
GOLDEN = DATA / "docs" / "golden"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return catalog_site(HOSTILE, tmp_path_factory.mktemp("hostile"))


def _article(html: str) -> str:
    match = re.search(r"<article.*?</article>", html, re.S)
    assert match
    return match.group(0)


def test_hostile_html_is_inert(hostile_site: Path) -> None:
    pages = [p for p in hostile_site.rglob("*.html") if "evil" in p.read_text()]
    assert len(pages) >= 4  # home, skill page, notes page, script page (and tags)
    for file in pages:
        html = file.read_text()
        # Material's own scripts are fine; none may carry skill content.
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S):
            assert "pwned" not in script, file
        article = _article(html)
        tags = parse_tags(article)
        for tag, attrs in tags:
            assert tag not in {"script", "img", "iframe", "style", "object", "embed"}, (file, tag)
            for name, value in attrs.items():
                assert not name.startswith("on"), (file, tag, name)
                assert not (value or "").strip().lower().startswith("javascript:"), (file, value)
        assert "example.com/track.png" not in re.sub(r'href="[^"]*"', "", article)


def parse_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    from tests.docs_support import Page

    page = Page()
    page.feed(html)
    return page.tags


def test_hostile_text_is_shown_not_dropped(hostile_site: Path) -> None:
    article = _article((hostile_site / "skills" / "evil-skill" / "index.html").read_text())
    assert "&lt;script&gt;window.__pwned = 3" in article
    assert "onerror=" in article  # as text
    assert "<code>&lt;script&gt;</code>" in article  # code spans keep their brackets
    # Links to the skill's own files resolve; missing or escaping targets become plain text.
    assert 'href="references/notes/"' in article and 'href="scripts/run.py/"' in article
    assert "a missing file" in article and "missing.md" not in article
    assert "passwd" not in article
    notes = hostile_site / "skills" / "evil-skill" / "references" / "notes" / "index.html"
    text = notes.read_text()
    # The file's own frontmatter is content, not page configuration.
    assert "<title>evil-skill: references/notes.md" in text
    assert 'href="../../"' in _article(text)  # ../SKILL.md -> the skill page
    assert check_site(hostile_site) == []


def test_odd_names_cannot_escape_the_site(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    skill = tree / "odd"
    (skill / "references").mkdir(parents=True)
    (skill / "SKILL.md").write_text(
        '---\nname: "../../../escaped"\ndescription: "Odd names fixture."\n---\n\n'
        "See [odd](references/a%20b.md).\n"
    )
    (skill / "references" / "a b.md").write_text("# spaced\n")
    (skill / "references" / "ok.md").write_text("# fine\n")
    (skill / "references" / "..dots.md").write_text("# dots\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    site = tmp_path / "out" / "site"
    result = CliRunner().invoke(cli, ["docs", str(tree), "-o", str(site), "--no-config"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*before, "out"])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["site"]
    page = site / "skills" / "escaped" / "index.html"
    assert page.is_file()
    for file in site.rglob("*"):
        assert file.resolve().is_relative_to(site.resolve())
    assert (site / "skills" / "escaped" / "references" / "ok" / "index.html").is_file()
    html = page.read_text()
    assert "a b.md (unusual file name)" in html and "..dots.md (unusual file name)" in html
    assert "not rendered" in result.output  # the CLI says what it skipped
    assert check_site(site) == []


@pytest.mark.parametrize(
    ("relpath", "ok"),
    [
        ("references/a.md", True),
        ("scripts/run.py", True),
        ("../x.md", False),
        ("/etc/passwd", False),
        ("a/../../b.md", False),
        ("a\\b.md", False),
        ("a//b.md", False),
        (".hidden.md", False),
        ("a b.md", False),
        ("a<b>.md", False),
        ("", False),
    ],
)
def test_safe_relpath(relpath: str, ok: bool) -> None:
    assert (safe_relpath(relpath) is not None) is ok


def test_slugify() -> None:
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("Ünïcode Skill!") == "unicode-skill"
    assert slugify("...") == "item"
    assert slugify("<script>") == "script"


def test_neutralize_and_rewrite_units() -> None:
    assert neutralize_html("x <b>y</b>\n") == "x &lt;b>y&lt;/b>\n"
    fenced = "```\n<b>\n```\n"
    assert neutralize_html(fenced) == fenced
    known = {"references/a.md": "references/a.md", "SKILL.md": "index.md"}

    def resolve(target: str) -> str | None:
        from skillkit.docs.safe import resolve_relative

        return resolve_relative(target, "", known)

    assert rewrite_links("[a](references/a.md#x)", resolve) == "[a](references/a.md#x)"
    assert rewrite_links("[gone](nope.md) ok", resolve) == "gone ok"
    assert rewrite_links("[js](javascript:void)", resolve) == "js"
    assert "](" not in rewrite_links("[js](javascript:alert(1))", resolve)
    assert rewrite_links("![i](https://x.test/i.png)", resolve) == "[i](https://x.test/i.png)"
    assert rewrite_links("[ref]: ../outside.md\n", resolve) == "[ref]: #\n"
    assert "onerror" not in sanitize_html('<img src=x onerror="a()"><p onclick="b()">t</p>')


def test_unclosed_links_by_the_thousand_still_rewrite() -> None:
    # A hostile body of unclosed `[a](` once cost quadratic time (20,000 of them: ~100 s);
    # this runs in milliseconds now and must keep the text and still rewrite the links.
    def resolve(target: str) -> str | None:
        return None if target.startswith("javascript:") else target

    body = "[js](javascript:alert(1)) [ok](references/a.md) " + "[a](" * 20_000
    assert rewrite_links(body, resolve) == "js [ok](references/a.md) " + "[a](" * 20_000
    long_target = "references/" + "x" * 3000 + ".md"
    assert rewrite_links(f"[long]({long_target})", resolve) == f"[long]({long_target})"


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == actual, f"{name} differs (UPDATE_GOLDEN=1)"


def test_golden_pages(tmp_path: Path) -> None:
    """The Markdown the shipped templates render for the hostile fixture (before mkdocs)."""
    catalog = from_skills([HOSTILE])
    catalog.source = "tests/data/docs/hostile"
    pages = render_pages(catalog, tmp_path)
    assert set(pages.written) >= {"index.md", "tags.md", "skills/evil-skill/index.md"}
    for page in (
        "index.md",
        "tags.md",
        "skills/evil-skill/index.md",
        "skills/evil-skill/references/notes.md",
        "skills/evil-skill/scripts/run.py.md",
    ):
        _golden(page.replace("/", "__"), (tmp_path / page).read_text(encoding="utf-8"))
    assert parse  # the helpers module stays importable for the HTML checks above
