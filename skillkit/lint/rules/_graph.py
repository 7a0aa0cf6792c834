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
from pathlib import Path

from skillkit.lint.rules._helpers import per_skill
from skillkit.lint.rules._links import Target, block_targets, escapes, targets
from skillkit.markdown import links, may_link_files
from skillkit.model import Skill, SkillFile

#: Text larger than this is not read for names (a data dump names nothing an agent follows).
MAX_SOURCE_BYTES = 1 << 20
#: Files no agent is meant to load, which SK306 does not ask to be linked.
_NOT_LOADED = re.compile(r"^(?:license|licence|copying|notice|readme|changelog)(?:[.-].*)?$", re.I)


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
        if not may_link_files(text):
            return ()  # only anchors and URLs, if any: no hash, no parse
        key = hashlib.blake2b(data, digest_size=16).digest()
        found = self.known.get(key)
        if found is None:
            found = tuple(block_targets(links(text), text, 1, None))
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


class _Names:
    """Which bundled files (and folders) a text names, by path or bare file name."""

    def __init__(self, skill: Skill) -> None:
        self.files = {f.relpath: f for f in skill.files}
        #: folder -> the files under it, at any depth, in the skill's order
        self.folders: dict[str, list[str]] = {}
        for relpath in self.files:
            parts = relpath.split("/")[:-1]
            for i in range(len(parts)):
                self.folders.setdefault("/".join(parts[: i + 1]), []).append(relpath)

    @staticmethod
    def _named(needle: str, lowered: str) -> bool:
        # A whole path-like word, or its tail after a "/": `python scripts/run.py` names
        # `scripts/run.py` and `run.py`, not `my-run.py` nor `run.py.bak`. (str.find, not a
        # regex: a pattern opening with a look-behind is tried at every character.)
        folder = needle.endswith("/")
        at = lowered.find(needle)
        while at >= 0:
            before = lowered[at - 1] if at else " "
            if _bounded(before, lowered[at + len(needle) : at + len(needle) + 2], folder):
                return True
            at = lowered.find(needle, at + 1)
        return False

    def named_in(
        self, text: str, source_dir: str, wanted: set[str], data: bytes | None = None
    ) -> set[str]:
        """Those of `wanted` named in `text` (held by a file of folder `source_dir`; `data`:
        the bytes it was decoded from, if at hand): by their path from the skill folder or
        from `source_dir`, by bare name, or by a folder of theirs written with a trailing
        ``/``.

        Each is looked for by its shortest name: a longer one ends in it after a "/", so
        wherever the longer one is named, so is the shorter (files sharing a bare name are
        looked for once)."""
        if not wanted:
            return set()
        lowered = _Lowered(text, data)
        base = source_dir.lower() + "/" if source_dir else ""
        found: set[str] = set()
        by_name: dict[str, list[str]] = {}
        for relpath in wanted:
            by_name.setdefault(posixpath.basename(relpath.lower()), []).append(relpath)
        for name, relpaths in by_name.items():
            if lowered.names(name):
                found.update(relpaths)
        for folder, under in self.folders.items():
            inner = [r for r in under if r in wanted and r not in found]
            if not inner:
                continue
            low = folder.lower() + "/"
            if base and low.startswith(base) and low != base:
                low = low[len(base) :]  # a folder below the text's own
            if lowered.names(low):
                found.update(inner)
        return found

    def exists(self, relpath: str, root: Path) -> bool:
        """Whether `relpath` (from the skill folder `root`) exists: a bundled file or folder
        does (it was listed), anything else is asked of the file system."""
        return relpath in self.files or relpath in self.folders or (root / relpath).exists()

    def resolve(self, relpath: str) -> list[str]:
        """The bundled files a resolved path stands for (a folder: all under it)."""
        if relpath in self.files:
            return [relpath]
        return self.folders.get(relpath, [])


class _Lowered:
    """A text as `_Names` searches it, lowered: ``str.lower`` costs several times
    ``bytes.lower`` (which lowers ASCII alone) on a text with any non-ASCII letter, so an
    ASCII name is looked for in the lowered UTF-8 bytes, and only the characters around
    where it is found are decoded."""

    def __init__(self, text: str, data: bytes | None) -> None:
        self._text = text
        self._lowered: str | None = None
        # Of all letters, only U+0130 and U+212A lower to ASCII ("i" and a combining dot,
        # "k"): without them, an ASCII name is in the lowered text just where it is in the
        # lowered bytes (a replaced invalid byte never takes an ASCII byte with it), between
        # the same characters.
        self._ascii = None
        if data is not None and "\u0130" not in text and "\u212a" not in text:
            self._ascii = data.lower()

    def names(self, name: str) -> bool:
        """Whether the text names `name` (lowered; see `_Names._named`)."""
        raw = self._ascii
        if raw is None or not name.isascii():
            if self._lowered is None:
                self._lowered = self._text.lower()
            return _Names._named(name, self._lowered)
        needle = name.encode()
        folder = name.endswith("/")
        at = raw.find(needle)
        while at >= 0:
            # A character is 4 bytes at most: these hold the one before and the two after
            # whole (and what a cut leaves undecoded is further off).
            before = raw[max(0, at - 4) : at].decode("utf-8", errors="replace").lower()[-1:]
            end = at + len(needle)
            after = raw[end : end + 8].decode("utf-8", errors="replace").lower()[:2]
            if _bounded(before or " ", after, folder):
                return True
            at = raw.find(needle, at + 1)
        return False


def _bounded(before: str, after: str, folder: bool) -> bool:
    """Whether a name found between the (lowered) character `before` and the two `after`
    stands whole: not inside a longer word or path (see `_Names._named`)."""
    if before.isalnum() or before in "_.-":
        return False
    nxt = after[:1]
    if folder:
        return not nxt or not (nxt.isalnum() or nxt in "_./-")
    return not nxt or not (nxt.isalnum() or nxt in "_/-" or (nxt == "." and _wordy(after[1:])))


def _wordy(char: str) -> bool:
    return bool(char) and (char.isalnum() or char == "_")


@dataclass(frozen=True, slots=True)
class _Link:
    target: Target
    here: str | None  # its path from the skill folder, written from the linking file's
    from_root: str | None  # the same, written from the skill folder


def _resolved(relpath: str, content: tuple[bytes, str]) -> list[_Link]:
    """The links of the Markdown file `relpath` (its bytes and text), resolved."""
    source_dir = posixpath.dirname(relpath)
    return [
        _Link(t, inside(source_dir, t.path), inside("", t.path))
        for t in _BY_CONTENT.targets(*content)
    ]


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
    reached = names.named_in(skill.text, "", set(names.files), skill.raw)
    for t in targets(skill):
        reached.update(names.resolve(inside("", t.path) or ".."))
    frontier = sorted(reached)
    for relpath in frontier:
        graph.depth[relpath] = 1
    texts: dict[str, tuple[bytes, str] | None] = {}
    for f in skill.files:
        if _is_markdown(f):
            texts[f.relpath] = _read(f)
    # Each Markdown file's links, resolved once for the walk and the check below.
    resolved = {r: _resolved(r, content) for r, content in texts.items() if content is not None}
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
            unreached = {r for r in names.files if r not in graph.depth}
            found = names.named_in(content[1], source_dir, unreached, content[0])
            for link in resolved.get(relpath, ()):
                found.update(names.resolve(link.here or ".."))
                found.update(names.resolve(link.from_root or ".."))
            for other in sorted(found):
                if other not in graph.depth:
                    graph.depth[other] = level + 1
                    graph.via[other] = relpath
                    following.append(other)
        frontier = following
        level += 1
    # Every bundled Markdown file's links are checked, reached or not.
    for relpath, file_links in resolved.items():
        for link in file_links:
            if link.here is not None and names.exists(link.here, skill.root):
                continue
            if link.from_root is not None and names.exists(link.from_root, skill.root):
                continue  # written from the skill folder (see the module's docstring)
            graph.broken.append(BrokenLink(names.files[relpath], link.target, link.here is None))
    graph.broken.sort(key=lambda b: (b.file.relpath, b.target.line, b.target.column))
    return graph
