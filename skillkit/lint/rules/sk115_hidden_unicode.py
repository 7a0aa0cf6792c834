"""A skill's text holds invisible Unicode (bidi controls, zero-width or tag characters).

SKILL.md and every bundled text file are checked.

Why: these characters do not show in an editor or a review diff, but they reach the agent's
prompt unchanged. Tag characters (U+E0000 to U+E007F) can spell out a whole hidden instruction;
bidi controls reorder what a reviewer sees (the "Trojan Source" trick); zero-width characters
split words so that a reviewed phrase and the text the model reads differ.

Not reported: a zero-width joiner or non-joiner between two non-ASCII characters (emoji
sequences, Persian and Indic scripts need them), the tag characters of a subdivision flag
(U+1F3F4, tag letters, U+E007F), and a byte order mark at the very start of a file (that is
SK004's).

Bad: `Summarise the file.` followed by U+200B (zero width space), or text with U+202E
(right-to-left override) in it.
Good: plain text; emoji sequences joined with U+200D.

Fix: delete the characters (the message says which and where); if the text needs
right-to-left runs, write them in a file the agent does not read as instructions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._texts import Needles, Text, skill_texts
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK115"
NAME = "hidden-unicode"
SEVERITY = Severity.ERROR

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060-\u2064\ufeff\u180e"
_TAGS = "\U000e0000-\U000e007f"
#: a run of hidden characters (one finding per run, not per character).
_HIDDEN = re.compile(f"[{_BIDI}{_ZERO_WIDTH}{_TAGS}]+")


def _chars(ranges: str) -> list[str]:
    """The characters of a character class's ranges ("a-c" and single characters)."""
    found: list[str] = []
    at = 0
    while at < len(ranges):
        if ranges[at + 1 : at + 2] == "-":
            found += map(chr, range(ord(ranges[at]), ord(ranges[at + 2]) + 1))
            at += 3
        else:
            found.append(ranges[at])
            at += 1
    return found


#: Whether there is any, in a text's UTF-8: each character's encoding, and for the tags
#: (U+E0000 to U+E007F: F3 A0 80 80 to F3 A0 81 BF) their first three bytes. One pass of
#: `Needles` over the bytes costs a tenth of a regular expression over the text.
_NEEDLES = Needles(
    [
        *(c.encode() for c in _chars(_BIDI + _ZERO_WIDTH)),
        *dict.fromkeys(c.encode()[:3] for c in _chars(_TAGS)),
    ]
)
_JOINERS = frozenset("\u200c\u200d")
_BLACK_FLAG = "\U0001f3f4"
_CANCEL_TAG = "\U000e007f"
#: how many findings one file gets before the rest are summed up in the last one.
_PER_FILE = 5


def _legitimate(text: str, start: int, end: int) -> bool:
    run = text[start:end]
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if set(run) <= _JOINERS:
        return before > "\x7f" and after > "\x7f"
    # A subdivision flag: the black flag, tag letters, then the cancel tag.
    return (
        before == _BLACK_FLAG
        and run.endswith(_CANCEL_TAG)
        and all(0xE0020 <= ord(c) <= 0xE007E for c in run[:-1])
    )


def _describe(run: str) -> str:
    tags = "".join(chr(ord(c) - 0xE0000) for c in run if 0xE0020 <= ord(c) <= 0xE007E)
    if len(tags) >= 2:
        return f"{len(run)} tag characters spelling {tags!r}"
    names = []
    for c in dict.fromkeys(run):
        names.append(f"U+{ord(c):04X} {unicodedata.name(c, 'UNNAMED').lower()}")
    count = f"{len(run)} characters: " if len(run) > 1 else ""
    return count + ", ".join(names)


def _findings(item: Text, ctx: RuleContext) -> Iterator[Diagnostic]:
    text = item.text
    if text is None:
        return
    hits = [m for m in _HIDDEN.finditer(text) if not _legitimate(text, m.start(), m.end())]
    for n, m in enumerate(hits[:_PER_FILE], 1):
        line, column = item.position(m.start())
        more = len(hits) - _PER_FILE
        tail = f" ({more} more in this file)" if n == _PER_FILE and more > 0 else ""
        yield ctx.diagnostic(
            f"hidden Unicode in {item.relpath}: {_describe(m.group())}; invisible to a "
            f"reviewer, read by the agent{tail}",
            item.path,
            line,
            column,
            line,
            column + len(m.group()),
        )


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    for item in skill_texts(skill, ctx):
        # Every hidden character is outside ASCII, and many files are ASCII: a C-speed test.
        if not item.data.isascii() and _NEEDLES.find(item.data):
            yield from _findings(item, ctx)
