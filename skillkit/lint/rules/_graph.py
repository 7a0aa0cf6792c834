"""The link graph of a skill: which bundled files SKILL.md reaches, how deep, and the links of
every bundled Markdown file (for SK305 broken links, SK306 orphans, SK307 deep references).

A file is reached when a reached text links to it (Markdown links, images, ``src``/``href`` in
HTML, resolved from the linking file's folder) or names it: its path from the skill folder or
from the naming file's folder, or its bare file name, anywhere in the text (scripts are run
from code blocks, not links). A named folder (``references/``) reaches every file under it.
Reached text files are read in turn: a script that SKILL.md names may name its data file.

Links written from the skill folder rather than from the linking file
(``references/a.md`` linking ``references/b.md``) are taken as meant: agents open bundled files
by their path in the skill, and the spec writes every path from the skill root. Such a link
reaches its file and is not broken; one that resolves from neither place is.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections import OrderedDict
from dataclasses import dataclass, field

from skillkit.lint.rules._helpers import per_skill
from skillkit.lint.rules._links import Target, block_targets, escapes, targets
from skillkit.markdown import outline
from skillkit.model import Skill, SkillFile

#: Text larger than this is not read for names (a data dump names nothing an agent follows).
MAX_SOURCE_BYTES = 1 << 20
#: Files no agent is meant to load, which SK306 does not ask to be linked.
_NOT_LOADED = re.compile(r"^(?:license|licence|copying|notice|readme|changelog)(?:[.-].*)?$", re.I)
#: Characters without which a text holds no link, image or HTML (so it needs no parse).
_LINK_MARKERS = ("[", "<")


@dataclass(frozen=True)
class BrokenLink:
    file: SkillFile
    target: Target
    escapes: bool


@dataclass
class LinkGraph:
    #: relpath -> levels from SKILL.md (1: linked or named by SKILL.md itself).
    depth: dict[str, int] = field(default_factory=dict)
    #: relpath -> the bundled file through which it was first reached (depth > 1).
    via: dict[str, str] = field(default_factory=dict)
    broken: list[BrokenLink] = field(default_factory=list)

    def orphans(self, skill: Skill) -> list[SkillFile]:
        return [f for f in skill.files if f.relpath not in self.depth and meant_to_load(f)]


def meant_to_load(file: SkillFile) -> bool:
    """Whether an agent is meant to load `file` (not a licence, readme, changelog, ...)."""
    return not _NOT_LOADED.match(posixpath.basename(file.relpath))


class _ByContent:
    """Link targets of Markdown texts by content hash: a file copied between skills (or the
    same version linted again in one run) is parsed once."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self.known: OrderedDict[bytes, tuple[Target, ...]] = OrderedDict()

    def targets(self, data: bytes, text: str) -> tuple[Target, ...]:
        if not any(marker in text for marker in _LINK_MARKERS):
            return ()  # no link, image or HTML can be written without these: no parse
        key = hashlib.blake2b(data, digest_size=16).digest()
        found = self.known.get(key)
        if found is None:
            found = tuple(
                t for t in block_targets(outline(text), text, 1, None) if t.kind != "code"
            )
            self.known[key] = found
            if len(self.known) > self.size:
                self.known.popitem(last=False)
        else:
            self.known.move_to_end(key)
        return found


_BY_CONTENT = _ByContent()


def _read(file: SkillFile) -> tuple[bytes, str] | None:
    if file.size > MAX_SOURCE_BYTES:
        return None
    try:
        data = file.read_bytes()
    except OSError:
        return None  # reported by the loader
    if b"\0" in data:
        return None  # binary
    return data, data.decode("utf-8", errors="replace").removeprefix("\ufeff")


def _is_markdown(file: SkillFile) -> bool:
    return file.relpath.lower().endswith(".md")


#: A path-like word of a text (with a ``.`` or a ``/``): what can name a bundled file or folder.
_WORD = re.compile(r"(?<![\w./-])[\w.-]*[./][\w./-]*")


def _words(lowered: str) -> set[str]:
    """Every path-like word of a text, and each of its tails after a ``/`` (so that
    ``python scripts/run.py`` names ``scripts/run.py`` and ``run.py``)."""
    words: set[str] = set()
    for word in _WORD.findall(lowered):
        word = word.rstrip(".")  # the end of a sentence
        if not word:
            continue
        words.add(word)
        if "/" in word:
            cut = word.find("/")
            while cut >= 0:
                words.add(word[cut + 1 :])
                cut = word.find("/", cut + 1)
    return words


class _Names:
    """Which bundled files (and folders) a text names, by path or bare file name."""

    def __init__(self, skill: Skill) -> None:
        self.files = {f.relpath: f for f in skill.files}
        self.by_lower: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        folders: set[str] = set()
        for relpath in self.files:
            self.by_lower.setdefault(relpath.lower(), []).append(relpath)
            self.by_name.setdefault(posixpath.basename(relpath).lower(), []).append(relpath)
            parts = relpath.split("/")[:-1]
            folders.update("/".join(parts[: i + 1]) for i in range(len(parts)))
        self.folders = folders
        self.folders_lower = {f.lower(): f for f in folders}

    def under(self, folder: str) -> list[str]:
        prefix = folder.rstrip("/") + "/"
        return [r for r in self.files if r.startswith(prefix)]

    def named_in(self, text: str, source_dir: str) -> set[str]:
        """Files named in `text` (held by a file of folder `source_dir`): by their path from
        the skill folder or from `source_dir`, by bare name, or by their folder's path
        written with a trailing ``/``."""
        found: set[str] = set()
        base = source_dir.lower() + "/" if source_dir else ""
        by_lower, by_name, folders = self.by_lower, self.by_name, self.folders_lower
        for word in _words(text.lower()):
            word = word.removeprefix("./")
            if word.endswith("/"):
                for candidate in (word, base + word):
                    folder = folders.get(candidate.rstrip("/"))
                    if folder is not None:
                        found.update(self.under(folder))
                continue
            for hit in (by_lower.get(word), by_lower.get(base + word), by_name.get(word)):
                if hit:
                    found.update(hit)
        return found

    def resolve(self, relpath: str) -> list[str]:
        """The bundled files a resolved path stands for (a folder: all under it)."""
        if relpath in self.files:
            return [relpath]
        if relpath in self.folders:
            return self.under(relpath)
        return []


def inside(source_dir: str, path: str) -> str | None:
    """`path` written in a file of folder `source_dir`, as a path from the skill folder (None:
    absolute, or out of the skill)."""
    if escapes(path) and not path.replace("\\", "/").startswith("../"):
        return None  # absolute, a drive or a home folder
    joined = posixpath.normpath(posixpath.join(source_dir, path.replace("\\", "/")))
    return None if joined == ".." or joined.startswith("../") else joined


@per_skill
def link_graph(skill: Skill) -> LinkGraph:
    graph = LinkGraph()
    names = _Names(skill)
    # Level 0 is SKILL.md: its links as SK301 reads them, and every name in its text.
    reached = names.named_in(skill.text, "")
    for t in targets(skill):
        reached.update(names.resolve(inside("", t.path) or ".."))
    frontier = sorted(reached)
    for relpath in frontier:
        graph.depth[relpath] = 1
    texts: dict[str, tuple[bytes, str] | None] = {}
    for f in skill.files:
        if _is_markdown(f):
            texts[f.relpath] = _read(f)
    level = 1
    while frontier:
        following: list[str] = []
        for relpath in frontier:
            file = names.files[relpath]
            if relpath not in texts:
                texts[relpath] = _read(file)
            content = texts[relpath]
            if content is None:
                continue
            source_dir = posixpath.dirname(relpath)
            found = names.named_in(content[1], source_dir)
            if _is_markdown(file):
                for t in _BY_CONTENT.targets(*content):
                    found.update(names.resolve(inside(source_dir, t.path) or ".."))
                    found.update(names.resolve(inside("", t.path) or ".."))
            for other in sorted(found):
                if other not in graph.depth:
                    graph.depth[other] = level + 1
                    graph.via[other] = relpath
                    following.append(other)
        frontier = following
        level += 1
    # Every bundled Markdown file's links are checked, reached or not.
    for relpath, content in texts.items():
        file = names.files[relpath]
        if content is None or not _is_markdown(file):
            continue
        source_dir = posixpath.dirname(relpath)
        for t in _BY_CONTENT.targets(*content):
            here = inside(source_dir, t.path)
            if here is not None and (skill.root / here).exists():
                continue
            from_root = inside("", t.path)
            if from_root is not None and (skill.root / from_root).exists():
                continue  # written from the skill folder (see the module's docstring)
            graph.broken.append(BrokenLink(file, t, here is None))
    graph.broken.sort(key=lambda b: (b.file.relpath, b.target.line, b.target.column))
    return graph
