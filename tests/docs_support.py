"""Helpers for the docs tests: parse a built site and check its links and assets."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

ASSET_TAGS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
              "video": "src", "embed": "src", "object": "data"}  # fmt: skip


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.assets: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if tag == "link" and found.get("href"):
            self.assets.append(str(found["href"]))
        attr = ASSET_TAGS.get(tag)
        if attr and found.get(attr):
            self.assets.append(str(found[attr]))


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def target_file(site: Path, page_file: Path, href: str) -> tuple[Path, str]:
    """The file an internal href of `page_file` points at, and its fragment."""
    base = "/" + page_file.relative_to(site).as_posix()
    parts = urlsplit(urljoin(base, href))
    path = site / unquote(parts.path).lstrip("/")
    if parts.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, parts.fragment


_A_HREF = re.compile(r"<a\b[^>]*?\shref=\"([^\"]*)\"")
_LINK_HREF = re.compile(r"<link\b[^>]*?\shref=\"([^\"]*)\"")
_ASSET = re.compile(r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*?\ssrc=\"([^\"]*)\"")
_ID = re.compile(r"\sid=\"([^\"]*)\"")


class Scanned:
    """Links, assets and ids of a page (regex scan: mkdocs writes double-quoted attributes)."""

    def __init__(self, text: str) -> None:
        self.links = [html.unescape(h) for h in _A_HREF.findall(text)]
        self.assets = [html.unescape(h) for h in _LINK_HREF.findall(text) + _ASSET.findall(text)]
        self.ids = {html.unescape(i) for i in _ID.findall(text)}


def check_site(site: Path, anchors: Callable[[str], bool] = lambda href: True) -> list[str]:
    """Problems: internal links to missing files or anchors, and remote assets.

    Anchors are checked for the hrefs `anchors` accepts (skills written for GitHub link to its
    heading slugs, which mkdocs does not reproduce: mkdocs only logs those).
    """
    problems: list[str] = []
    pages = {p: Scanned(p.read_text(encoding="utf-8")) for p in site.rglob("*.html")}
    exists: dict[Path, bool] = {}
    for file, page in pages.items():
        where = file.relative_to(site).as_posix()
        for asset in set(page.assets):
            parts = urlsplit(asset)
            if parts.scheme in {"http", "https"} or asset.startswith("//"):
                problems.append(f"{where}: remote asset {asset}")
            elif not parts.scheme:
                target = target_file(site, file, asset)[0]
                if not exists.setdefault(target, target.exists()):
                    problems.append(f"{where}: missing asset {asset}")
        for href in set(page.links):
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            target, fragment = target_file(site, file, href)
            if not exists.setdefault(target, target.exists()):
                problems.append(f"{where}: broken link {href}")
            elif fragment and target.suffix == ".html" and anchors(href):
                ids = pages[target].ids if target in pages else Scanned(target.read_text()).ids
                if fragment not in ids:
                    problems.append(f"{where}: missing anchor {href}")
    return sorted(problems)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}  # fmt: skip


class Element:
    """An HTML element with its children, for asserting what nests in what."""

    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Element | str] = []

    @property
    def elements(self) -> list[Element]:
        return [c for c in self.children if isinstance(c, Element)]

    def find_all(self, tag: str) -> list[Element]:
        """Descendants named `tag`, in document order."""
        found: list[Element] = []
        for child in self.elements:
            if child.tag == tag:
                found.append(child)
            found.extend(child.find_all(tag))
        return found

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.open[-1].children.append(element)
        if tag not in _VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching element; a stray end tag closes nothing.
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def tree(html_text: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html_text)
    builder.close()
    return builder.root


def article(page: Path) -> Element:
    articles = tree(page.read_text(encoding="utf-8")).find_all("article")
    assert len(articles) == 1, page
    return articles[0]


def items(element: Element) -> list[Element]:
    assert element.tag in {"ol", "ul"}, element.tag
    assert {e.tag for e in element.elements} == {"li"}, [e.tag for e in element.elements]
    return element.elements


def after_heading(page: Element, title: str) -> Element:
    """The element right after the heading whose text is `title`."""
    elements = page.elements
    for index, element in enumerate(elements):
        if re.fullmatch(r"h[1-6]", element.tag) and element.text().rstrip("¶").strip() == title:
            return elements[index + 1]
    raise AssertionError(f"no heading {title!r}")


def catalog_site(skills: Path, into: Path) -> Path:
    """Build the catalog site of `skills` alone with the real `skillkit docs` into `into`/site."""
    from click.testing import CliRunner

    from skillkit.cli import cli

    site = into / "site"
    result = CliRunner().invoke(cli, ["docs", str(skills), "-o", str(site), "--no-config"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return site
