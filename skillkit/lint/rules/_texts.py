"""The text of SKILL.md and of every bundled text file, for rules that scan all of a skill's text
(hidden characters, secrets, code fences). Not a rule: the registry loads only ``skNNN_*``
modules.

A text is its UTF-8 bytes first: the rules look in them for ASCII needles and for the encodings
of a few characters (one pass of `Needles` finds them all, where a ``str`` search is a pass per
needle), and decode a file only where they found something (most files, never)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from skillkit.lint.rules._helpers import per_skill
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill
from skillkit.reads import read_regular

if TYPE_CHECKING:
    from ahocorasick_rs import BytesAhoCorasick

_BOM = b"\xef\xbb\xbf"


class Text:
    """One text of a skill: its bytes, and its characters once asked for."""

    __slots__ = ("_decoded", "_text", "data", "path", "relpath")

    def __init__(self, path: Path, relpath: str, data: bytes, text: str | None = None) -> None:
        self.path = path
        self.relpath = relpath
        #: the file's bytes without their byte order mark: UTF-8 unless `text` is None
        self.data = data
        self._text = text
        self._decoded = text is not None

    @property
    def text(self) -> str | None:
        """The text; None when `data` is not UTF-8 (a file left out: it has nothing to
        report). Decoded when first asked for: decoding every file was a fifth of the time
        the rules took to read them all."""
        if not self._decoded:
            self._decoded = True
            try:
                self._text = self.data.decode("utf-8")
            except UnicodeDecodeError:
                self._text = None
        return self._text

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        text = self.text or ""
        line_start = text.rfind("\n", 0, offset) + 1
        return text.count("\n", 0, offset) + 1, offset - line_start + 1


def skill_texts(skill: Skill, ctx: RuleContext) -> list[Text]:
    """SKILL.md, then every bundled file that may be UTF-8 text (no NUL byte) and is no larger
    than `max-file-size`. Unreadable, binary and oversized files are left out, and undecodable
    ones have no `Text.text`."""
    return _texts(skill, ctx.config.max_file_size)


@per_skill
def _read_texts(skill: Skill) -> dict[int, list[Text]]:
    return {}  # limit -> texts: one run has one limit, so this holds one entry


def _texts(skill: Skill, limit: int) -> list[Text]:
    memo = _read_texts(skill)
    if limit not in memo:
        memo[limit] = _load(skill, limit)
    return memo[limit]


def _load(skill: Skill, limit: int) -> list[Text]:
    found = [Text(skill.skill_md, "SKILL.md", _skill_md_data(skill), skill.text)]
    for file in skill.files:
        if file.size > limit:
            continue
        data = read_regular(file.path)
        if data is None or b"\0" in data:
            continue
        if data.startswith(_BOM):
            data = data[len(_BOM) :]
        found.append(Text(file.path, file.relpath, data))
    return found


def _skill_md_data(skill: Skill) -> bytes:
    """SKILL.md's text in UTF-8: the bytes read, when the text is all of them decoded (the
    loader found them valid UTF-8), else encoded again."""
    if skill.raw and not any(p.kind == "encoding" for p in skill.problems):
        return skill.raw[len(_BOM) :] if skill.has_bom else skill.raw
    return skill.text.encode("utf-8", "surrogatepass")


# -- many needles at once ---------------------------------------------------------------------


class Needles:
    """Byte strings looked for all at once: one pass over a text's bytes finds any of them
    (an Aho-Corasick automaton, built on first use), where ``in`` is a pass per needle."""

    def __init__(self, wanted: Sequence[bytes]) -> None:
        self.wanted = tuple(wanted)
        self._searcher: BytesAhoCorasick | None = None

    def find(self, data: bytes) -> list[tuple[int, int, int]]:
        """(index into `wanted`, start, end) of needles found in `data`, left to right.

        Matches do not overlap: where occurrences of two needles overlap, only the one
        starting first (the longer, at the same start) is reported, so an occurrence is either
        reported or overlaps one that is (see `may_hide`)."""
        if self._searcher is None:
            from ahocorasick_rs import BytesAhoCorasick, MatchKind

            # Leftmost-longest: with it, the library runs a SIMD prefilter over the haystack
            # (its standard, overlapping search cannot), four to five times faster on skills.
            self._searcher = BytesAhoCorasick(self.wanted, matchkind=MatchKind.LeftmostLongest)
        return self._searcher.find_matches_as_indexes(data)

    def may_hide(self) -> tuple[frozenset[int], ...]:
        """For each needle, the others whose occurrence one of its matches may hide: those
        that can begin inside it (at its start, only a shorter one). An occurrence that is not
        reported begins inside a reported match: the match starts no later (it is leftmost)
        and ends after the occurrence's start (the search resumes at its end)."""

        def hides(a: bytes, b: bytes) -> bool:
            return any(
                a[k : k + len(b)] == b[: len(a) - k] for k in range(len(a)) if k or len(b) < len(a)
            )

        return tuple(
            frozenset(j for j, b in enumerate(self.wanted) if j != i and hides(a, b))
            for i, a in enumerate(self.wanted)
        )
