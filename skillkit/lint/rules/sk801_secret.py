"""A skill's text holds a secret (an access key, a private key, an API or bot token).

SKILL.md and every bundled text file are checked.

Why: published skills are public: every archive `skillkit build` packs ends up in an index
anyone with the URL can read, and the text goes into agents' prompts. A key in a skill is a
leaked key. The message masks the secret, so the finding itself (CI logs, SARIF uploads)
does not leak it again.

Detected: AWS access key IDs (with their secret keys when they sit beside them), private key
blocks (PEM/OpenSSH/PGP with a key body), GitHub, GitLab, Slack, OpenAI, Anthropic, Google,
Stripe, npm and PyPI tokens, Slack webhook URLs. Not reported: documentation placeholders, such
as AWS's own `AKIAIOSFODNN7EXAMPLE`, values containing `EXAMPLE`, `XXXX` or `<…>`, and
strings made of one repeated character.

Bad: `export AWS_ACCESS_KEY_ID=AKIA…` with a real key in `scripts/deploy.sh`.
Good: `export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:?set it}"`, or the AWS example key.

Fix: remove the secret from the file (and from history), revoke it, and have the skill read
credentials from the environment or the agent's credential store at run time.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.lint.rules._texts import Needles, Text, skill_texts
from skillkit.lint.rules.base import RuleContext
from skillkit.model import Skill

CODE = "SK801"
NAME = "secret"
SEVERITY = Severity.ERROR


@dataclass(frozen=True)
class _Kind:
    what: str
    #: the secret is the pattern's group "s"; the pattern runs only on a text holding one of
    #: the needles (when `fold`: a text holding "ecret" or "ECRET", whose `str.lower()` holds
    #: one of the needles): most files hold none, and one pass finds them all (`_open`).
    pattern: re.Pattern[str]
    needles: tuple[str, ...]
    fold: bool = False
    #: how many characters before a needle (when `fold`, before "ecret" in any case) a match
    #: can begin: the pattern is tried there only (`_matches`), not at every character.
    reach: int = 0


def _kind(what: str, pattern: str, *needles: str, fold: bool = False, reach: int = 0) -> _Kind:
    return _Kind(what, re.compile(pattern), needles, fold, reach)


_KINDS = (
    _kind(
        "AWS access key ID",
        r"(?<![A-Za-z0-9])(?P<s>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])",
        "AKIA",
        "ASIA",
        "ABIA",
        "ACCA",
    ),
    _kind(
        "AWS secret access key",
        r"(?i:(?:aws_?)?secret_?(?:access_?)?key)[\"']?\s*[:=]\s*[\"']?"
        r"(?P<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])",
        "secret_access_key",
        "secretaccesskey",
        "aws_secret",
        "awssecret",
        "secret_key",
        fold=True,
        reach=len("aws_s"),
    ),
    _kind(
        "private key",
        r"-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"
        r"[ \t]*\r?\n(?:[A-Za-z0-9-]+:[^\n]*\n|[ \t]*\r?\n)*[ \t]*(?P<s>[A-Za-z0-9+/=]{40,})",
        "PRIVATE KEY",
        reach=len("-----BEGIN ENCRYPTED "),
    ),
    _kind(
        "GitHub token",
        r"\b(?P<s>gh[pousr]_[A-Za-z0-9]{36,255})\b",
        *("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    ),
    _kind("GitHub token", r"\b(?P<s>github_pat_[A-Za-z0-9_]{60,255})\b", "github_pat_"),
    _kind("GitLab token", r"\b(?P<s>glpat-[A-Za-z0-9_-]{20,})", "glpat-"),
    _kind("Slack token", r"\b(?P<s>xox[abposr]-[A-Za-z0-9-]{10,})", "xox"),
    _kind(
        "Slack webhook URL",
        r"(?P<s>https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,})",
        "hooks.slack.com",
        reach=len("https://"),
    ),
    _kind("Anthropic API key", r"\b(?P<s>sk-ant-[a-z]+\d{2}-[A-Za-z0-9_-]{80,})", "sk-ant-"),
    _kind(
        "OpenAI API key",
        r"\b(?P<s>sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,})",
        "sk-proj-",
        "sk-svcacct-",
        "sk-admin-",
    ),
    _kind(
        "OpenAI API key",
        r"\b(?P<s>sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})\b",
        "T3BlbkFJ",
        reach=len("sk-") + 20,
    ),
    _kind("Google API key", r"\b(?P<s>AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])", "AIza"),
    _kind("Stripe secret key", r"\b(?P<s>(?:sk|rk)_live_[0-9A-Za-z]{24,})\b", "_live_", reach=2),
    _kind("npm token", r"\b(?P<s>npm_[A-Za-z0-9]{36})\b", "npm_"),
    _kind("PyPI token", r"\b(?P<s>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})", "pypi-AgEI"),
)
_PLACEHOLDER = re.compile(r"EXAMPLE|example|XXXX|xxxx|<|>|\.\.\.|…|\*\*\*")


def _placeholder(secret: str) -> bool:
    if _PLACEHOLDER.search(secret):
        return True
    body = secret[-16:]
    # One character over half the tail ("AKIA0000000000000000", "sk-proj-aaaa…"): a stand-in.
    return max(body.count(c) for c in set(body)) > len(body) // 2


def mask(secret: str) -> str:
    """Enough to find the secret again (its kind prefix and length), never enough to use it."""
    shown = 4 if len(secret) >= 16 else 0
    return f"{secret[:shown]}{'*' * 8}… ({len(secret)} characters)"


#: What a folded needle holds, in some mix of cases: every folded needle holds it (a test checks).
_ANCHOR = "ecret"
#: The needles searched in a text's bytes: every needle of a kind that is not folded, then the
#: anchor in each of its 32 mixes of cases (so that where a folded needle may be is known).
_NEEDLES = Needles(
    [
        *dict.fromkeys(n.encode() for k in _KINDS if not k.fold for n in k.needles),
        *(bytes(p) for p in itertools.product(*((ord(c), ord(c.upper())) for c in _ANCHOR))),
    ]
)
_INDEX = {n: i for i, n in enumerate(_NEEDLES.wanted)}
#: per kind, the index of each of its needles (none for a folded kind)
_NEEDLE_IDS = tuple(() if k.fold else tuple(_INDEX[n.encode()] for n in k.needles) for k in _KINDS)
_FIRST_ANCHOR = _INDEX[_ANCHOR.encode()]
#: the anchor as `check` has always looked for it before folding a text
_GATES = frozenset({_FIRST_ANCHOR, _INDEX[_ANCHOR.upper().encode()]})
_MAY_HIDE = _NEEDLES.may_hide()
#: needles whose matches may hide another's occurrence (none may hide an anchor's: a test
#: checks, so every anchor is reported, and with it where a folded needle may be)
_HIDING = frozenset(i for i, hidden in enumerate(_MAY_HIDE) if hidden)
#: how far a folded needle reaches before and after its anchor, in bytes: three per character,
#: as U+212A KELVIN SIGN (three bytes) lowers to "k".
_BEFORE = 3 * max(n.index(_ANCHOR) for k in _KINDS if k.fold for n in k.needles)
_AFTER = 3 * max(len(n) - n.index(_ANCHOR) for k in _KINDS if k.fold for n in k.needles)
_KELVIN = "\u212a".encode()
#: the one character whose lower case is two characters (U+0130: "i" and a combining dot)
_LONGER_LOWER = "\u0130"


def _open(item: Text) -> list[tuple[_Kind, tuple[str, ...]]]:
    """The kinds whose needles `item` holds, as `in` over its text (and over its text's
    `str.lower()` for a folded kind, once "ecret" or "ECRET" is in it) finds them, each with
    the needles held (a folded kind: its anchor)."""
    matches = _NEEDLES.find(item.data)
    if not matches:
        return []
    reported = {i for i, _, _ in matches}
    found = _with_hidden(item.data, matches, reported) if reported & _HIDING else reported
    folded = False
    if found & _GATES:
        starts = [start for i, start, _ in matches if i >= _FIRST_ANCHOR]
        folded = _folded_holds(_near(item.data, starts))
    opened: list[tuple[_Kind, tuple[str, ...]]] = []
    for kind, ids in zip(_KINDS, _NEEDLE_IDS, strict=True):
        if kind.fold:
            held: tuple[str, ...] = (_ANCHOR,) if folded else ()
        else:
            held = tuple(n for n, i in zip(kind.needles, ids, strict=True) if i in found)
        if held:
            opened.append((kind, held))
    return opened if opened and item.text is not None else []  # (not UTF-8: nothing to report)


def _with_hidden(data: bytes, matches: list[tuple[int, int, int]], reported: set[int]) -> set[int]:
    """`reported` and the needles whose occurrences begin inside a match, and so were not."""
    found = set(reported)
    for i, start, end in matches:
        for j in _MAY_HIDE[i] - found:
            if data.find(_NEEDLES.wanted[j], start, end - 1 + len(_NEEDLES.wanted[j])) >= 0:
                found.add(j)
    return found


def _near(data: bytes, starts: list[int]) -> str:
    """The bytes around each anchor, folded as `str.lower()` folds the ASCII letters they can
    hold (U+212A lowers to "k"; U+0130 to "i" and a combining dot, and no needle holds an "i"),
    one line each: a folded needle in a text's `str.lower()` is in one of them, and a needle
    found in them is in the text's `str.lower()`."""
    windows = b"\n".join(data[max(0, at - _BEFORE) : at + _AFTER] for at in starts)
    return windows.replace(_KELVIN, b"k").lower().decode("ascii", "replace")


def _folded_holds(folded: str) -> bool:
    return any(n in folded for k in _KINDS if k.fold for n in k.needles)


def _matches(kind: _Kind, text: str, held: tuple[str, ...]) -> Iterator[re.Match[str]]:
    """The matches of ``kind.pattern.finditer(text)``, found by trying the pattern only where
    a match can begin, up to `reach` characters before a needle: a pattern without a literal
    prefix is otherwise tried at every character (20 ns each: 0.08 s for the texts of 1,000
    skills, where no pattern matched)."""
    haystack = text
    if kind.fold:
        if _LONGER_LOWER in text:  # offsets in the lower case would not be the text's
            yield from kind.pattern.finditer(text)
            return
        haystack = text.lower()  # (the anchor's letters have no other case than ASCII's)
    starts = sorted(at for needle in held for at in _occurrences(haystack, needle))
    end = 0
    for at in _candidates(starts, kind.reach):
        if at >= end and (m := kind.pattern.match(text, at)) is not None:
            yield m
            end = m.end()


def _occurrences(text: str, needle: str) -> Iterator[int]:
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


def _candidates(starts: list[int], reach: int) -> Iterator[int]:
    """Each offset at most `reach` before one of `starts` (sorted), once, in order."""
    after = 0
    for start in starts:
        yield from range(max(after, start - reach), start + 1)
        after = max(after, start + 1)


def check(skill: Skill, ctx: RuleContext) -> Iterator[Diagnostic]:
    for item in skill_texts(skill, ctx):
        seen: set[int] = set()
        for kind, held in _open(item):
            for m in _matches(kind, item.text or "", held):  # (`_open` decoded it)
                secret = m.group("s")
                start = m.start("s")
                if start in seen or _placeholder(secret):
                    continue
                seen.add(start)
                line, column = item.position(start)
                yield ctx.diagnostic(
                    f"{kind.what} in {item.relpath}: {mask(secret)}; published skills are "
                    "public: remove and revoke it",
                    item.path,
                    line,
                    column,
                )
