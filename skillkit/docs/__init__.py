"""``skillkit docs``: a browsable, offline docs site of a skills catalog, built with mkdocs.

from skillkit.docs import from_skills, from_index, generate
catalog = from_skills([Path("skills")])          # or from_index("dist/index.json")
result = generate(catalog, Path("site"))          # or project=Path("mkdocs.yml")

Pages are rendered from jinja2 templates (``skillkit/docs/templates``, overridable one by one),
then built by mkdocs with the material theme in strict mode: a broken link fails the build.
Skill content is untrusted: see `skillkit.docs.safe`.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillkit.docs.catalog import Catalog, CatalogFile, CatalogSkill, from_index, from_skills
from skillkit.docs.pages import TEMPLATE_NAMES, Pages, Renderer, asset_paths
from skillkit.docs.site import Progress, SiteBuildError, build_site
from skillkit.errors import SkillkitError

__all__ = [
    "TEMPLATE_NAMES",
    "Catalog",
    "CatalogFile",
    "CatalogSkill",
    "DocsResult",
    "SiteBuildError",
    "from_index",
    "from_skills",
    "generate",
    "render_pages",
]


@dataclass
class DocsResult:
    site_dir: Path
    pages: list[str]
    skills: int
    #: content that was listed but not rendered, and mkdocs' non-fatal messages.
    warnings: list[str] = field(default_factory=list)


def render_pages(
    catalog: Catalog,
    docs_dir: Path,
    *,
    templates: Path | None = None,
    prefix: str = "",
    rules_prefix: str = "rules",
    progress: Progress | None = None,
) -> Pages:
    """Write the catalog's Markdown pages (and the rules reference) under `docs_dir`."""
    renderer = Renderer(docs_dir, templates=templates, prefix=prefix, rules_prefix=rules_prefix)
    renderer.catalog(catalog, progress)
    return renderer.rules()


def _read_project(config_file: Path) -> tuple[Path, Any]:
    from mkdocs.utils.yaml import yaml_load

    try:
        with config_file.open("rb") as fd:
            data = yaml_load(fd) or {}
    except Exception as exc:
        raise SkillkitError(
            f"{config_file}: cannot read it as mkdocs configuration: {exc}"
        ) from None
    if not isinstance(data, dict):
        raise SkillkitError(f"{config_file}: expected a mapping of mkdocs settings")
    docs = config_file.parent / str(data.get("docs_dir", "docs"))
    if not docs.is_dir():
        raise SkillkitError(f"{config_file}: docs_dir {docs} does not exist")
    return docs, data.get("nav")


def generate(
    catalog: Catalog,
    site_dir: Path,
    *,
    templates: Path | None = None,
    project: Path | None = None,
    progress: Progress | None = None,
) -> DocsResult:
    """Render `catalog` and build the site into `site_dir` (replaced only when complete).

    With `project` (a mkdocs.yml), its docs folder (the hand-written guide) is built together
    with the catalog, which goes under ``catalog/`` (and the rules under ``rules/``).
    """
    with tempfile.TemporaryDirectory(prefix="skillkit-docs-") as tmp:
        docs = Path(tmp) / "docs"
        trusted: list[str] = []
        nav: Any = None
        if project is not None:
            guide, nav = _read_project(project)
            shutil.copytree(guide, docs)
            trusted = [p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()]
            for reserved in ("catalog", "rules"):
                if (docs / reserved).exists():
                    raise SkillkitError(
                        f"{guide}/{reserved} exists: skillkit generates that folder; rename yours"
                    )
            pages = render_pages(
                catalog, docs, templates=templates, prefix="catalog", progress=progress
            )
        else:
            docs.mkdir()
            pages = render_pages(catalog, docs, templates=templates, progress=progress)
        overrides: dict[str, Any] = {"not_in_nav": "\n".join(f"/{p}" for p in pages.not_in_nav)}
        if project is None:
            overrides["nav"] = [*pages.catalog_nav, *pages.rules_nav]
        elif nav is not None:
            overrides["nav"] = [*nav, {"Catalog": pages.catalog_nav}, *pages.rules_nav]
        css = [p for p in asset_paths() if p.endswith(".css")]
        js = [p for p in asset_paths() if p.endswith(".js")]
        warnings = build_site(
            docs,
            site_dir,
            config_file=project,
            overrides=overrides,
            trusted=trusted,
            extra_css=css,
            extra_javascript=js,
            progress=progress,
        )
    return DocsResult(site_dir, pages.written, len(catalog.skills), pages.warnings + warnings)
