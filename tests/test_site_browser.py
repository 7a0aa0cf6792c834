"""The catalog site in a real browser: Debian Chromium driven by playwright, served locally.

Missing Chromium skips locally and fails when CI is set (CI installs it in .ci/run).
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from skillkit.cli import cli
from skillkit.loader import load_skills
from skillkit.tokens import footprint
from tests.conftest import DATA, REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-gpu",
]
HOSTILE = DATA / "docs" / "hostile"


def _need(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (the browser test must run when CI is set)")
    pytest.skip(reason)


def artifacts_dir() -> Path:
    path = Path(os.environ.get("SKILLKIT_ARTIFACTS") or REPO / "test-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, own_skills: Path) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    result = CliRunner().invoke(
        cli, ["docs", str(own_skills), str(HOSTILE), "-o", str(out), "--no-config"]
    )
    assert result.exit_code == 0, result.output
    return out


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


class Recorder:
    """Every request, console error, page error and dialog the browser produced."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    def attach(self, page: Any) -> None:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

        def dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)

    def external(self) -> list[str]:
        def local(url: str) -> bool:
            parts = urlsplit(url)
            return parts.scheme in {"data", "blob", "about"} or parts.hostname == "127.0.0.1"

        return [u for u in self.requests if not local(u)]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _need(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("the playwright package is not installed")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, Recorder]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    recorder = Recorder()

    def block_external(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    # Recorded first (page.on("request") sees it), then refused, so nothing really leaves.
    context.route("**/*", block_external)
    tab = context.new_page()
    recorder.attach(tab)
    try:
        yield tab, recorder
    finally:
        context.close()


def _unique_word(skills: list[Any], target: Any) -> str:
    """A word of `target`'s description that no other skill's name or description holds."""
    others = " ".join(f"{s.name} {s.description}".lower() for s in skills if s.name != target.name)
    words = re.findall(r"[a-z]{6,}", (target.description or "").lower())
    for word in words:
        if word not in others and word not in target.name:
            return word
    raise AssertionError(f"no distinctive word in {target.name}'s description")


def test_catalog_browse_search_and_skill_page(
    page: tuple[Any, Recorder], server: str, own_skills: Path
) -> None:
    tab, rec = page
    skills = load_skills([own_skills, HOSTILE]).skills
    tab.goto(server)
    rows = tab.locator("article table tbody tr")
    assert rows.count() == len(skills)
    names = set(rows.locator("td:first-child").all_inner_texts())
    assert names == {s.name for s in skills}

    target = next(s for s in skills if s.name == "s3-object-metadata-report")
    word = _unique_word(skills, target)
    tab.fill("#skillkit-filter", word)
    visible = tab.locator("article table tbody tr:visible")
    assert visible.count() == 1
    assert visible.locator("td:first-child").inner_text() == target.name
    assert tab.locator("#skillkit-count").inner_text() == f"1 of {len(skills)} skills"
    artifacts = artifacts_dir()
    tab.screenshot(path=str(artifacts / "catalog-home-filtered.png"), full_page=True)

    # Material's own search (a local web worker) finds it by the same word.
    tab.fill("#skillkit-filter", "")
    tab.locator("input.md-search__input").click()
    tab.keyboard.type(word, delay=10)
    link = tab.locator(f'a.md-search-result__link[href*="skills/{target.name}/"]').first
    link.wait_for(state="visible", timeout=15_000)

    tab.goto(server)
    tab.fill("#skillkit-filter", word)
    tab.locator("article table tbody tr:visible a").first.click()
    tab.wait_for_url(re.compile(r"/skills/s3-object-metadata-report/$"))
    tokens = tab.locator("article table").filter(has_text="L1 metadata")
    assert tokens.count() == 1
    expected = footprint(target)
    cells = tokens.locator("tbody tr td:last-child").all_inner_texts()
    assert [int(c.replace(",", "")) for c in cells] == [expected.l1, expected.l2, expected.l3_total]
    tab.screenshot(path=str(artifacts / "skill-page.png"), full_page=True)

    assert rec.external() == []
    assert rec.errors == []


def test_tags_page(page: tuple[Any, Recorder], server: str, own_skills: Path) -> None:
    tab, rec = page
    skills = load_skills([own_skills]).skills
    tagged = next(s for s in skills if s.tags)
    tag = tagged.tags[0]
    tab.goto(server)
    tab.locator("article table tbody tr").filter(has_text=tagged.name).get_by_role(
        "link", name=tag, exact=True
    ).first.click()
    tab.wait_for_url(re.compile(r"/tags/#"))
    heading = tab.locator("article h2").filter(has_text=re.compile(rf"^{re.escape(tag)}"))
    assert heading.count() == 1
    section_links = heading.locator("xpath=following-sibling::ul[1]//a")
    expected = sorted(s.name for s in skills if tag in s.tags)
    assert sorted(section_links.all_inner_texts()) == expected
    section_links.filter(has_text=tagged.name).first.click()
    tab.wait_for_url(re.compile(rf"/skills/{tagged.name}/$"))
    assert tab.locator("article h1").first.inner_text().replace("¶", "").strip() == tagged.name
    assert rec.external() == []
    assert rec.errors == []


def test_hostile_skill_runs_nothing(page: tuple[Any, Recorder], server: str) -> None:
    tab, rec = page
    for path in (
        "",
        "skills/evil-skill/",
        "skills/evil-skill/references/notes/",
        "skills/evil-skill/scripts/run.py/",
        "tags/",
    ):
        tab.goto(server + path)
        tab.wait_for_load_state("load")
        # Hover and click everything the page shows: handlers would fire now if any survived.
        for element in tab.locator("article p, article div, article img").all()[:40]:
            if element.is_visible():
                element.hover()
        assert tab.evaluate("typeof window.__pwned") == "undefined", path
    tab.goto(server + "skills/evil-skill/")
    # The script text is shown as text, not run.
    assert "window.__pwned = 3" in tab.locator("article").inner_text()
    tab.screenshot(path=str(artifacts_dir() / "hostile-skill.png"), full_page=True)
    assert rec.dialogs == []
    assert rec.external() == []
    assert rec.errors == []
