"""Build a site with mkdocs' Python API: strict, offline, material theme, sanitised pages."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from skillkit.docs.safe import sanitize_html, strip_tags
from skillkit.errors import SkillkitError
from skillkit.fsutil import atomic_directory

#: (done, total, what): pages rendered, then mkdocs' stages (see `_plugin`).
Progress = Callable[[int, int, str], None]

#: mkdocs link checks, all raised to warnings so that strict mode fails on them.
VALIDATION: dict[str, Any] = {
    "nav": {"omitted_files": "info", "not_found": "warn", "absolute_links": "warn"},
    "links": {
        "not_found": "warn",
        "absolute_links": "warn",
        "unrecognized_links": "warn",
        # Skills are written for GitHub, whose heading anchors differ from mkdocs' ones.
        "anchors": "info",
    },
}

#: the theme settings that keep the site offline (no web fonts; nothing from a CDN).
THEME: dict[str, Any] = {
    "name": "material",
    "font": False,
    "features": ["navigation.sections", "search.highlight"],
}


#: Markdown extensions of a catalog-only site (a project's mkdocs.yml chooses its own).
MARKDOWN_EXTENSIONS: list[Any] = [
    {"toc": {"permalink": True}},
    "tables",
    "admonition",
    # Fenced code inside list items, which skills use a lot.
    "pymdownx.superfences",
    # Closer to CommonMark: "1." and "-" lists stay apart, and "3." starts a list at 3.
    "sane_lists",
]


class SiteBuildError(SkillkitError):
    """mkdocs refused the site (broken links in strict mode, bad configuration)."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        listed = "\n".join(f"  {m}" for m in self.messages) or "  (no details)"
        super().__init__(f"the docs site did not build:\n{listed}")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _captured_mkdocs_logs() -> Iterator[_Collect]:
    """Collect mkdocs' log records instead of letting them reach the root logger."""
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    saved = (logger.propagate, logger.level)
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = saved


def _plugin(trusted: frozenset[str], progress: Progress | None = None) -> Any:
    from mkdocs.plugins import BasePlugin

    class SanitizePlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
        """Sanitises the HTML of every page that is not trusted (the hand-written guide), and
        reports mkdocs' progress through its stages."""

        pages = 0
        built = 0

        def on_files(self, files: Any, *, config: Any) -> Any:
            self.pages = sum(1 for f in files if f.is_documentation_page())
            if progress is not None:
                progress(0, self.pages, "mkdocs: reading the pages")
            return files

        def on_post_build(self, *, config: Any) -> None:
            if progress is not None and self.built < self.pages:
                progress(self.pages, self.pages, "mkdocs: done")

        def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
            self.built += 1
            if progress is not None:
                progress(self.built, self.pages, f"mkdocs: build {page.file.src_uri}")
            if page.file.src_uri in trusted:
                return html
            for item in _walk_toc(page.toc):
                item.title = strip_tags(item.title)
            return sanitize_html(html)

    return SanitizePlugin()


def _walk_toc(items: Any) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _walk_toc(item.children)


def is_site_folder(path: Path) -> bool:
    """True for a folder a previous build wrote (safe to replace), or an empty one."""
    if not path.exists():
        return True
    if not path.is_dir():
        return False
    return (path / "search" / "search_index.json").is_file() or not any(path.iterdir())


def build_site(
    docs_dir: Path,
    site_dir: Path,
    *,
    config_file: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    trusted: Sequence[str] = (),
    extra_css: Sequence[str] = (),
    extra_javascript: Sequence[str] = (),
    progress: Progress | None = None,
) -> list[str]:
    """Build `docs_dir` into `site_dir` strictly; returns mkdocs' warnings (none on success).

    `config_file` (a project's mkdocs.yml) supplies the site's settings; skillkit enforces the
    theme's offline settings, strict link validation and sanitisation on top. The site is built
    beside `site_dir` and swapped in only when complete.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    if not is_site_folder(site_dir):
        raise SkillkitError(
            f"{site_dir} exists and is not a site skillkit built (no search/search_index.json); "
            "choose another --output or remove it"
        )
    # mkdocs consumes these structures while validating: give it fresh copies every time.
    options: dict[str, Any] = copy.deepcopy(
        {"site_name": "Skill catalog", "theme": THEME, "markdown_extensions": MARKDOWN_EXTENSIONS}
    )
    options.update(copy.deepcopy(dict(overrides or {})))
    # mkdocs resolves relative paths against its configuration file, not the working folder.
    site_dir = site_dir.absolute()
    with _captured_mkdocs_logs() as logs, atomic_directory(site_dir, replace=True) as tmp:
        try:
            if config_file is not None:
                config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(tmp),
                                     strict=True, **_project_overrides(options))  # fmt: skip
            else:
                config = load_config(_empty_config(docs_dir), docs_dir=str(docs_dir),
                                     site_dir=str(tmp), strict=True, **options)  # fmt: skip
        except MkDocsException as exc:
            # The configuration is wrong (exit 2), not the content: say which setting.
            where = f"{config_file}: " if config_file else ""
            details = _warnings(logs) or [str(exc)]
            raise SkillkitError(
                f"{where}invalid mkdocs configuration:" + "".join(f"\n  {d}" for d in details)
            ) from None
        _enforce(config, extra_css, extra_javascript)
        config.plugins["skillkit-sanitize"] = _plugin(frozenset(trusted), progress)
        try:
            build(config)
        except MkDocsException as exc:  # Abort (strict mode: broken links), BuildError
            raise SiteBuildError(_warnings(logs) or [str(exc)]) from None
        return _warnings(logs)


def _warnings(logs: _Collect) -> list[str]:
    return [r.getMessage() for r in logs.records if r.levelno >= logging.WARNING]


def _project_overrides(options: Mapping[str, Any]) -> dict[str, Any]:
    # A project's own mkdocs.yml keeps its name and theme; skillkit adds only nav entries.
    keep = {"site_name", "theme", "markdown_extensions"}
    return {k: v for k, v in options.items() if k not in keep}


def _empty_config(docs_dir: Path) -> str:
    path = docs_dir.parent / "mkdocs.yml"
    path.write_text("site_name: Skill catalog\n", encoding="utf-8")
    return str(path)


def _enforce(config: Any, extra_css: Sequence[str], extra_javascript: Sequence[str]) -> None:
    """Offline theme, strict validation, our assets; applied after the user's configuration."""
    from mkdocs.config.defaults import MkDocsConfig

    theme = config.theme
    if theme.name != "material":
        raise SkillkitError(f"the docs theme must be material (the configuration has {theme.name})")
    theme["font"] = False
    for level, checks in VALIDATION.items():
        for name, value in checks.items():
            setattr(getattr(config.validation, level), name, _level(value))
    config.extra_css.extend(p for p in extra_css if p not in config.extra_css)
    config.extra_javascript.extend(
        p for p in extra_javascript if p not in [str(s) for s in config.extra_javascript]
    )
    config.extra.setdefault("generator", False)
    _ = MkDocsConfig


def _level(name: str) -> int:
    return {"info": logging.INFO, "warn": logging.WARNING}[name]
