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
