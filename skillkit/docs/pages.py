"""Render the catalog into Markdown pages with jinja2 templates (shipped, or the user's).

Every page path is built from slugs and checked file names (`safe`), and every piece of skill
text reaches a page through a filter that escapes it, so a template cannot forget to.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markdown.extensions.toc import slugify as toc_slugify  # type: ignore[import-untyped]

from skillkit.docs.catalog import Catalog, CatalogSkill
from skillkit.docs.lists import reindent_lists
from skillkit.docs.safe import (
    neutralize_html,
    page_for_file,
    resolve_relative,
    rewrite_links,
)
from skillkit.docs.site import Progress
from skillkit.errors import SkillkitError
from skillkit.markdown import block_parser

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"
TEMPLATE_NAMES = (
    "home.md.j2",
    "skill.md.j2",
    "file.md.j2",
    "tags.md.j2",
    "rules.md.j2",
    "rule.md.j2",
)

#: catalogs with more skills than this list them on the home page only, not in the nav.
NAV_SKILL_LIMIT = 150

_LANGUAGES = {
    ".py": "python", ".sh": "bash", ".js": "javascript", ".ts": "typescript", ".json": "json",
    ".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".html": "html", ".css": "css",
    ".sql": "sql", ".xml": "xml", ".txt": "text", ".csv": "text",
}  # fmt: skip


@dataclass
class Pages:
    """What was generated: docs-relative paths, nav entries, and what was skipped."""

    written: list[str] = field(default_factory=list)
    #: nav entries (mkdocs ``nav`` syntax) of the catalog pages and of the rules reference.
    catalog_nav: list[Any] = field(default_factory=list)
    rules_nav: list[Any] = field(default_factory=list)
    #: generated pages that stay out of the nav on purpose (file and rule pages).
    not_in_nav: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def md_text(value: object) -> str:
    """Any value as inert inline Markdown text (safe in tables and headings)."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|#!{}])", r"\\\1", text)


def md_code(value: object) -> str:
    """Any value as an inline code span, safe in tables (as skill names are shown)."""
    text = " ".join(("" if value is None else str(value)).split()).replace("`", "'")
    return f"`{text}`" if text else ""


def plural(count: int, noun: str) -> str:
    """``1 skill``, ``2 skills``: the template's wording for a count."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def html_text(value: object) -> str:
    text = "" if value is None else str(value)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def yaml_text(value: object) -> str:
    """A YAML (JSON) string; HTML-escaped because themes print titles unescaped."""
    return json.dumps(html_text(" ".join(str(value).split())))


def fence(text: str, language: str = "") -> str:
    """`text` in a fenced code block longer than any backtick run inside it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{language}\n{text.rstrip()}\n{ticks}"


def anchor(text: str) -> str:
    return str(toc_slugify(text, "-"))


def number(value: object) -> str:
    return "n/a" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def relative(target: str, page: str) -> str:
    """Link from docs-relative `page` to docs-relative `target`."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def demote_headings(markdown: str) -> str:
    """Push ATX headings down one level so a body's ``#`` sits under the page title."""
    lines = markdown.split("\n")
    for token in block_parser().parse(markdown):
        if token.type == "heading_open" and token.map and token.markup.startswith("#"):
            line = token.map[0]
            if len(token.markup) < 6:
                lines[line] = re.sub(r"^(\s{0,3})#", r"\1##", lines[line], count=1)
    return "\n".join(lines)


def environment(templates: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        if not templates.is_dir():
            raise SkillkitError(f"--templates {templates}: no such folder")
        loaders.append(jinja2.FileSystemLoader(str(templates)))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES)))
    # Markdown output: no HTML autoescape; values go through md_text/html_text/fence instead.
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        md=md_text,
        html=html_text,
        yaml=yaml_text,
        fence=fence,
        anchor=anchor,
        num=number,
        code=md_code,
        plural=plural,
    )
    env.globals.update(relative=relative)
    return env


class Renderer:
    """Writes pages under `docs_dir`/`prefix` (the catalog) and `docs_dir`/`rules_prefix`."""

    def __init__(
        self,
        docs_dir: Path,
        *,
        templates: Path | None = None,
        prefix: str = "",
        rules_prefix: str = "rules",
    ) -> None:
        self.docs_dir = docs_dir
        self.env = environment(templates)
        self.prefix = prefix.strip("/")
        self.rules_prefix = rules_prefix.strip("/")
        self.pages = Pages()

    def path(self, *parts: str) -> str:
        return posixpath.join(self.prefix, *parts) if self.prefix else posixpath.join(*parts)

    def write(self, relpath: str, template: str, **context: Any) -> None:
        target = (self.docs_dir / relpath).resolve()
        if not target.is_relative_to(self.docs_dir.resolve()):
            raise SkillkitError(f"refusing to write {relpath!r}: outside the docs folder")
        try:
            text = self.env.get_template(template).render(page=relpath, **context)
        except jinja2.TemplateError as exc:
            where = f" (line {exc.lineno})" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
            raise SkillkitError(f"template {template}{where}: {exc}") from None
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.pages.written.append(relpath)

    # -- the catalog -------------------------------------------------------------------------
    def catalog(self, catalog: Catalog, progress: Progress | None = None) -> Pages:
        home = self.path("index.md")
        tags = self.path("tags.md")
        rules_index = posixpath.join(self.rules_prefix, "index.md")
        skill_pages = {s.name: self.path("skills", s.slug, "index.md") for s in catalog.skills}
        common = {
            "catalog": catalog,
            "home": home,
            "tags_page": tags,
            "rules_page": rules_index,
            "skill_pages": skill_pages,
        }
        self.write(home, "home.md.j2", **common)
        self.write(tags, "tags.md.j2", tags=catalog.tags(), **common)
        for done, skill in enumerate(catalog.skills, 1):
            self.skill(skill, common)
            if progress is not None:
                progress(done, len(catalog.skills), f"render {skill.name}")
        self.write_assets()
        self.pages.catalog_nav = [{"Catalog": home}, {"Tags": tags}]
        if len(catalog.skills) <= NAV_SKILL_LIMIT:
            entries = [{s.name: skill_pages[s.name]} for s in catalog.skills]
            self.pages.catalog_nav.append({"Skills": entries})
        else:
            # Every page renders the whole nav: listing thousands of skills in it makes the
            # build quadratic. Big catalogs are browsed from the home table and search.
            self.pages.not_in_nav.extend(skill_pages.values())
        return self.pages

    def skill(self, skill: CatalogSkill, common: dict[str, Any]) -> None:
        folder = self.path("skills", skill.slug)
        page = posixpath.join(folder, "index.md")
        # skill-relative path -> page path relative to the skill's folder in the docs
        known = {"SKILL.md": "index.md"}
        for f in skill.files:
            if f.text is not None:
                known[f.relpath] = page_for_file(f.relpath)
            else:
                self.pages.warnings.append(f"{skill.name}: {f.relpath} not rendered ({f.skipped})")
        body = self.untrusted_markdown(skill.body, "", known)
        # Last: the passes before it read the body as CommonMark, and reindented lists are
        # written for Python-Markdown.
        body = reindent_lists(demote_headings(body))
        from skillkit.docs.permissions import permissions

        self.write(page, "skill.md.j2", skill=skill, body=body, known=known,
                   permissions=permissions(skill.frontmatter), **common)  # fmt: skip
        for f in skill.files:
            if f.text is None:
                continue
            file_page = posixpath.join(folder, known[f.relpath])
            base = posixpath.dirname(f.relpath)
            if f.relpath.endswith(".md"):
                content = reindent_lists(self.untrusted_markdown(f.text, base, known))
                self.write(file_page, "file.md.j2", skill=skill, file=f, markdown=content,
                           code=None, skill_page=page, **common)  # fmt: skip
            else:
                language = _LANGUAGES.get(posixpath.splitext(f.relpath)[1].lower(), "text")
                self.write(file_page, "file.md.j2", skill=skill, file=f, markdown=None,
                           code=fence(f.text, language), skill_page=page, **common)  # fmt: skip
            self.pages.not_in_nav.append(file_page)

    @staticmethod
    def untrusted_markdown(text: str, base: str, known: dict[str, str]) -> str:
        rewritten = rewrite_links(text, lambda target: resolve_relative(target, base, known))
        return neutralize_html(rewritten)

    def write_assets(self) -> None:
        for asset in sorted(ASSETS.iterdir()):
            target = self.docs_dir / "assets" / "skillkit" / asset.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(asset.read_bytes())

    # -- the rules reference -------------------------------------------------------------------
    def rules(self) -> Pages:
        from skillkit.lint.registry import all_rules

        rules = all_rules()
        index = posixpath.join(self.rules_prefix, "index.md")
        pages = {r.code: posixpath.join(self.rules_prefix, f"{r.code}.md") for r in rules}
        self.write(index, "rules.md.j2", rules=rules, rule_pages=pages)
        for rule in rules:
            self.write(pages[rule.code], "rule.md.j2", rule=rule, rules_page=index)
            self.pages.not_in_nav.append(pages[rule.code])
        self.pages.rules_nav = [{"Rules": index}]
        return self.pages


def asset_paths() -> Sequence[str]:
    """docs-relative paths of the CSS and JavaScript the catalog pages need."""
    return [f"assets/skillkit/{p.name}" for p in sorted(ASSETS.iterdir())]
