"""Helpers for the docs tests: parse a built site and check its links and assets."""

from __future__ import annotations

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


def check_site(site: Path, anchors: Callable[[str], bool] = lambda href: True) -> list[str]:
    """Problems: internal links to missing files or anchors, and remote assets.

    Anchors are checked for the hrefs `anchors` accepts (skills written for GitHub link to its
    heading slugs, which mkdocs does not reproduce: mkdocs only logs those).
    """
    problems: list[str] = []
    pages = {p: parse(p) for p in site.rglob("*.html")}
    for file, page in pages.items():
        where = file.relative_to(site).as_posix()
        for asset in page.assets:
            parts = urlsplit(asset)
            if parts.scheme in {"http", "https"} or asset.startswith("//"):
                problems.append(f"{where}: remote asset {asset}")
            elif not parts.scheme and not target_file(site, file, asset)[0].exists():
                problems.append(f"{where}: missing asset {asset}")
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            target, fragment = target_file(site, file, href)
            if not target.exists():
                problems.append(f"{where}: broken link {href}")
            elif fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if fragment not in ids and anchors(href):
                    problems.append(f"{where}: missing anchor {href}")
    return problems
