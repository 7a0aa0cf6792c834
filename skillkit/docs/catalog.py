"""The catalog a docs site shows: one `CatalogSkill` per skill, from a skills tree or an index."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillkit.docs.safe import safe_relpath, slugify
from skillkit.errors import SkillkitError
from skillkit.fsutil import file_message, missing_message
from skillkit.index.model import Tokens, VersionEntry
from skillkit.model import Skill

if TYPE_CHECKING:
    from skillkit.index.store import S3Options

#: bundled text files larger than this are listed but not rendered as pages.
MAX_RENDERED_FILE = 256 * 1024


@dataclass(frozen=True)
class CatalogFile:
    """A file bundled with a skill. `text` is None for binary, unsafe-named or huge files."""

    relpath: str
    size: int
    text: str | None
    tokens: int | None
    #: why it is not rendered as its own page (None: it is).
    skipped: str | None = None


@dataclass(frozen=True)
class Dependency:
    name: str
    range: str


@dataclass
class CatalogSkill:
    name: str
    slug: str
    description: str
    version: str | None
    tags: tuple[str, ...]
    frontmatter: Mapping[str, Any]
    body: str
    tokens: Tokens
    files: tuple[CatalogFile, ...]
    requires: tuple[Dependency, ...]
    versions: tuple[VersionEntry, ...] = ()
    required_by: list[str] = field(default_factory=list)
    #: problems met while reading it (shown on its page).
    notes: tuple[str, ...] = ()

    @property
    def shown(self) -> VersionEntry | None:
        """The index entry of the version the pages show (None: built from a skills folder)."""
        return next((e for e in self.versions if e.version == self.version), None)

    @property
    def status(self) -> str | None:
        """Whether the version shown is "yanked" or "deprecated" (None: neither)."""
        entry = self.shown
        if entry is None:
            return None
        return "yanked" if entry.yanked else "deprecated" if entry.deprecated else None

    @property
    def status_reason(self) -> str | None:
        entry = self.shown
        if entry is None:
            return None
        return entry.yanked_reason if entry.yanked else entry.deprecated_reason

    @property
    def version_label(self) -> str:
        """The version as every page shows it, marked when yanked or deprecated."""
        shown = self.version or "n/a"
        return f"{shown} ({self.status})" if self.status else shown


@dataclass
class Catalog:
    skills: list[CatalogSkill]
    encoding: str = "cl100k_base"
    #: where it came from, for the home page ("skills/" or the index location).
    source: str = ""

    def by_name(self) -> dict[str, CatalogSkill]:
        return {s.name: s for s in self.skills}

    def tags(self) -> dict[str, list[CatalogSkill]]:
        found: dict[str, list[CatalogSkill]] = {}
        for skill in self.skills:
            for tag in skill.tags:
                found.setdefault(tag, []).append(skill)
        return dict(sorted(found.items()))


_TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._+-]{0,39}$")


def clean_tags(tags: Sequence[str]) -> tuple[str, ...]:
    """Tags safe to show and link (others are dropped): short words of plain characters."""
    return tuple(dict.fromkeys(t for t in tags if _TAG.match(t)))


def _requires(skill: Skill) -> tuple[tuple[Dependency, ...], tuple[str, ...]]:
    from skillkit.requires import RequiresError, parse_requires

    text = skill.metadata.get("requires")
    if not isinstance(text, str):
        return (), ()
    try:
        parsed = parse_requires(text)
    except RequiresError as exc:
        return (), (f"metadata.requires is invalid: {exc}",)
    return tuple(Dependency(r.name, r.range.text) for r in parsed), ()


def _file(relpath: str, data: bytes, tokens: int | None) -> CatalogFile:
    if safe_relpath(relpath) is None:
        return CatalogFile(relpath, len(data), None, tokens, "unusual file name")
    if len(data) > MAX_RENDERED_FILE:
        return CatalogFile(relpath, len(data), None, tokens, "too large to render")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return CatalogFile(relpath, len(data), None, tokens, "binary file")
    if "\x00" in text:
        return CatalogFile(relpath, len(data), None, tokens, "binary file")
    return CatalogFile(relpath, len(data), text, tokens)


def skill_entry(
    skill: Skill, tokens: Tokens, versions: Sequence[VersionEntry] = ()
) -> CatalogSkill:
    """One catalog entry for a loaded skill."""
    requires, notes = _requires(skill)
    files = []
    for f in skill.files:
        try:
            data = f.read_bytes()
        except OSError as exc:
            files.append(CatalogFile(f.relpath, f.size, None, None, f"unreadable: {exc.strerror}"))
            continue
        files.append(_file(f.relpath, data, tokens.files.get(f.relpath)))
    name = skill.name or skill.dir_name
    return CatalogSkill(
        name=name,
        slug=slugify(name, "skill"),
        description=skill.description or "",
        version=skill.version,
        tags=clean_tags(skill.tags),
        frontmatter=skill.frontmatter.data,
        body=skill.body,
        tokens=tokens,
        files=tuple(sorted(files, key=lambda f: f.relpath)),
        requires=requires,
        versions=tuple(versions),
        notes=notes + tuple(p.message for p in skill.problems),
    )


def _finish(catalog: Catalog) -> Catalog:
    """Sort, give every skill a unique slug, and link required-by."""
    catalog.skills.sort(key=lambda s: (s.name, s.slug))
    seen: dict[str, int] = {}
    for skill in catalog.skills:
        count = seen.get(skill.slug, 0)
        seen[skill.slug] = count + 1
        if count:
            skill.slug = f"{skill.slug}-{count + 1}"
    names = catalog.by_name()
    for skill in catalog.skills:
        for dep in skill.requires:
            target = names.get(dep.name)
            if target is not None and skill.name not in target.required_by:
                target.required_by.append(skill.name)
    for skill in catalog.skills:
        skill.required_by.sort()
    return catalog


def from_skills(
    paths: Sequence[Path], *, encoding: str = "cl100k_base", exclude: Sequence[str] = ()
) -> Catalog:
    """The catalog of every skill under `paths` (unreadable ones are shown with their problems)."""
    from skillkit.index.footprint import measure
    from skillkit.loader import load_skills

    for path in paths:
        if not path.exists():
            raise SkillkitError(f"{missing_message(path)}; give a skills folder or --index")
        if not path.is_dir():
            raise SkillkitError(f"{file_message(path)}; give a skills folder or --index")
    result = load_skills(paths, exclude=exclude)
    skills = [skill_entry(skill, measure(skill, encoding)) for skill in result.skills]
    source = ", ".join(folder_label(str(p)) for p in paths)
    return _finish(Catalog(skills, encoding, source))


def folder_label(location: str) -> str:
    """`location` as the home page names it: a local folder with its trailing slash
    (``skills/``), so that "8 skills from skills" does not read as a noun."""
    if "://" in location:
        return location
    path = Path(location)
    if path.is_absolute():
        # Where it was built on this machine means nothing to a reader (and leaks a home
        # folder): relative to the working folder when under it, else not at all.
        try:
            location = path.relative_to(Path.cwd()).as_posix() or "."
        except ValueError:
            return ""
    if location.endswith("/") or not Path(location).is_dir():
        return location
    return f"{location}/"


def from_index(location: str, *, s3: S3Options | None = None) -> Catalog:
    """The catalog of an index: the latest version of each skill, read from its verified archive.

    Every version is listed with its digest and yanked mark. Skills whose versions are all
    yanked are shown at their latest yanked version.
    """
    from skillkit.index import load
    from skillkit.loader import load_skill

    index = load(location, s3=s3)
    skills: list[CatalogSkill] = []
    with tempfile.TemporaryDirectory(prefix="skillkit-docs-") as tmp:
        for name in sorted(index.skills):
            entry = index.skills[name]
            latest = entry.latest() or entry.latest(include_yanked=True)
            if latest is None:
                continue
            files = index.read_archive(name, latest.version)
            root = Path(tmp) / slugify(name, "skill")
            for relpath, data in files.items():
                if safe_relpath(relpath) is None:
                    continue
                target = root / relpath
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            skill = load_skill(root)
            item = skill_entry(skill, latest.tokens, entry.versions)
            item.name = name
            item.slug = slugify(name, "skill")
            item.version = latest.version
            item.tags = clean_tags(latest.tags)
            skills.append(item)
    return _finish(Catalog(skills, index.encoding, folder_label(location)))
