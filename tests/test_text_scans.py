"""The byte scans of the whole-text rules against the ``str`` checks they replaced.

SK801 (secrets), SK115 (hidden Unicode) and SK204 (unclosed fences) look for needles in a
text's UTF-8 bytes, with one pass of `Needles`, and decode and match a text only where they
found one. Each scan must answer as its ``str`` check did, kept here as the reference: on every
text of the corpus, and on generated text built to reach the edges (needles that overlap,
secrets of every kind in noise, hidden characters at every position, fences in lists and
quotes, any Unicode case and space)."""

from __future__ import annotations

import os
import re
import string
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from skillkit.lint.rules import sk115_hidden_unicode as sk115
from skillkit.lint.rules import sk204_unclosed_code_fence as sk204
from skillkit.lint.rules import sk801_secret as sk801
from skillkit.lint.rules._texts import Needles, Text, _texts
from skillkit.loader import load_skill, load_skills
from tests.rules_support import write_skill

SETTINGS = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _text(text: str) -> Text:
    return Text(Path("x.md"), "x.md", text.encode("utf-8"))


def _corpus_texts(corpus: Path) -> Iterator[Text]:
    for skill in load_skills([corpus / "skills"]).skills:
        yield from _texts(skill, 1 << 20)


# -- SK801 ----------------------------------------------------------------------------------


def _kind_index(kind: object) -> int:
    return next(i for i, k in enumerate(sk801._KINDS) if k is kind)


def _secrets_exact(text: str) -> list[tuple[int, list[tuple[int, int]]]]:
    """The check as it was: each kind's needles tested with ``in`` (a folded kind's in the
    text's lower case, once "ecret" or "ECRET" is in it), then its pattern over all the text."""
    folded = text.lower() if "ecret" in text or "ECRET" in text else None
    found = []
    for index, kind in enumerate(sk801._KINDS):
        haystack = folded if kind.fold and folded is not None else text
        if any(n in haystack for n in kind.needles):
            found.append((index, [m.span() for m in kind.pattern.finditer(text)]))
    return found


def _secrets_fast(text: str) -> list[tuple[int, list[tuple[int, int]]]]:
    return [
        (_kind_index(kind), [m.span() for m in sk801._matches(kind, text, held)])
        for kind, held in sk801._open(_text(text))
    ]


def _cased(draw: st.DrawFn, word: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if up else c for c, up in zip(word, flips, strict=True))


def _run(alphabet: str, low: int, high: int) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(alphabet), min_size=low, max_size=high)


ALNUM = string.ascii_letters + string.digits
B32 = string.ascii_uppercase + "234567"


@st.composite
def secret(draw: st.DrawFn) -> str:
    """A string of one of SK801's kinds, at its pattern's edges (its longest prefixes, one
    character short or long), or a needle alone."""
    n = draw(st.integers(-1, 1))  # a length one short, exact or one long
    which = draw(st.integers(0, 16))
    if which == 0:
        return draw(st.sampled_from(["AKIA", "ASIA", "ABIA", "ACCA"])) + draw(_run(B32, 15, 17))
    if which == 1:
        name = draw(
            st.sampled_from(
                [
                    "aws_secret_access_key",
                    "awssecretaccesskey",
                    "secret_key",
                    "secretkey",
                    "secretaccess_key",
                    "aws_secretkey",
                    "secret_\u212aey",  # KELVIN SIGN: "k" in lower case
                    "\u017fecret_key",  # LONG S: "s" to a case-blind pattern
                    "aws_secret",
                ]
            )
        )
        sep = draw(st.sampled_from(["=", ": ", " = ", '": "', "='", "\n=\n", ":"]))
        return _cased(draw, name) + sep + draw(_run(ALNUM + "/+", 39, 41))
    if which == 2:
        kind = draw(st.sampled_from(["", "RSA ", "DSA ", "EC ", "OPENSSH ", "ENCRYPTED ", "PGP "]))
        block = draw(st.sampled_from(["", " BLOCK"]))
        header = draw(st.sampled_from(["", "Proc-Type: 4,ENCRYPTED\n", "\n", "  \r\n"]))
        body = draw(_run(ALNUM + "+/=", 39, 64))
        return f"-----BEGIN {kind}PRIVATE KEY{block}-----\n{header}{body}\n-----END"
    if which == 3:
        return "gh" + draw(st.sampled_from("pousr")) + "_" + draw(_run(ALNUM, 35, 37))
    if which == 4:
        return "github_pat_" + draw(_run(ALNUM + "_", 59 + n, 62))
    if which == 5:
        return "glpat-" + draw(_run(ALNUM + "_-", 19, 22))
    if which == 6:
        return "xox" + draw(st.sampled_from("abposrz")) + "-" + draw(_run(ALNUM + "-", 9, 12))
    if which == 7:
        ids = draw(_run(B32, 1, 4)), draw(_run(B32, 1, 4))
        return f"https://hooks.slack.com/services/T{ids[0]}/B{ids[1]}/" + draw(_run(ALNUM, 15, 17))
    if which == 8:
        return "sk-ant-api03-" + draw(_run(ALNUM + "_-", 79, 81))
    if which == 9:
        prefix = draw(st.sampled_from(["proj", "svcacct", "admin"]))
        return f"sk-{prefix}-" + draw(_run(ALNUM + "_-", 39, 41))
    if which == 10:
        return "sk-" + draw(_run(ALNUM, 19, 21)) + "T3BlbkFJ" + draw(_run(ALNUM, 19, 21))
    if which == 11:
        return "AIza" + draw(_run(ALNUM + "_-", 34, 36))
    if which == 12:
        return draw(st.sampled_from(["sk", "rk", "xk"])) + "_live_" + draw(_run(ALNUM, 23, 25))
    if which == 13:
        return "npm_" + draw(_run(ALNUM, 35, 37))
    if which == 14:
        return "pypi-AgEIcHlwaS5vcmc" + draw(_run(ALNUM + "_-", 49, 51))
    if which == 15:  # needles that overlap each other or the anchor
        return draw(
            st.sampled_from(
                ["ghp_live_", "npm_live_", "ASIAKIA", "ACCAIza", "secreT3BlbkFJ", "ecret", "ECRET"]
            )
        )
    return _cased(draw, draw(st.sampled_from(["secret", "aws_secret", "private key", "xox"])))


NOISE = " \n\t\r=:'\"-_/+.,aeszAZ09\u00e9\u0130\u212a\u017f\u4e2d\U0001f600"
noise = _run(NOISE, 0, 12)


@st.composite
def secret_text(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(st.one_of(noise, secret()), min_size=1, max_size=8)))


@SETTINGS
@given(secret_text())
@example("aws_secret_access_key = " + "A" * 20 + "b" * 20 + " ECRET")
@example("SECRET_\u212aEY=" + "Ab1/" * 10)  # the Kelvin sign: "k" in lower case
@example("SECRET_ACCESS_\u212aEY=" + "Ab1/" * 10)  # (three bytes) at a needle's far end
@example("\u0130 ecret aws_secret_key=" + "Ab1/" * 10)  # a lower case two characters long
@example("ghp_live_" + "a1" * 20 + " sk_live_" + "a1" * 12)
@example("secreT3BlbkFJ sk-" + "a" * 17 + "secreT3BlbkFJ" + "b" * 20)
def test_secret_scan_agrees_with_the_str_check(text: str) -> None:
    assert _secrets_fast(text) == _secrets_exact(text)


def test_secret_scan_agrees_on_the_corpus(corpus: Path) -> None:
    checked = 0
    for item in _corpus_texts(corpus):
        assert item.text is not None
        assert _secrets_fast(item.text) == _secrets_exact(item.text), item.path
        checked += 1
    assert checked > 400


def test_no_needle_hides_the_anchor() -> None:
    """So every occurrence of "ecret", in any case, is reported: where a folded needle may be
    is known from the one pass over the bytes."""
    anchors = range(sk801._FIRST_ANCHOR, len(sk801._NEEDLES.wanted))
    assert all(j not in sk801._MAY_HIDE[i] for i in range(len(sk801._MAY_HIDE)) for j in anchors)


def test_every_folded_needle_holds_the_anchor_and_no_i() -> None:
    folded = [n for k in sk801._KINDS if k.fold for n in k.needles]
    assert folded
    assert all(sk801._ANCHOR in n and "i" not in n for n in folded)


def test_the_unicode_facts_the_secret_scan_relies_on() -> None:
    """Lower case turns only U+0130 and U+212A into ASCII, only U+0130 into two characters,
    and no character but ASCII's is "e", "c", "r" or "t" to a case-blind pattern."""
    to_ascii, longer, anchor_like = set(), set(), set()
    anchor = re.compile("(?i)[ecrt]")
    for code in range(0x80, sys.maxunicode + 1):
        c = chr(code)
        low = c.lower()
        if any(x < "\x80" for x in low):
            to_ascii.add(c)
        if len(low) != 1:
            longer.add(c)
        if anchor.fullmatch(c):
            anchor_like.add(c)
    assert to_ascii == {"\u0130", "\u212a"}
    assert longer == {sk801._LONGER_LOWER}
    assert anchor_like == set()


# -- Needles ---------------------------------------------------------------------------------


MAY_HIDE = sk801._NEEDLES.may_hide()


@SETTINGS
@given(st.lists(st.sampled_from([*sk801._NEEDLES.wanted, b"x", b" ", b"A", b"_"]), max_size=12))
def test_an_unreported_occurrence_overlaps_a_match_that_may_hide_it(pieces: list[bytes]) -> None:
    data = b"".join(pieces)
    wanted = sk801._NEEDLES.wanted
    matches = sk801._NEEDLES.find(data)
    may_hide = MAY_HIDE
    reported = {(i, start) for i, start, _ in matches}
    for j, needle in enumerate(wanted):
        at = data.find(needle)
        while at >= 0:
            assert (j, at) in reported or any(
                j in may_hide[i] and start <= at < end for i, start, end in matches
            )
            at = data.find(needle, at + 1)


def test_needles_report_leftmost_matches_without_overlap() -> None:
    needles = Needles([b"ab", b"bc", b"abc"])
    assert needles.find(b"xabcbc") == [(2, 1, 4), (1, 4, 6)]
    # "abc" hides "ab" (at its start, shorter) and "bc"; "ab" hides "bc" (in "abc", "ab" and
    # "bc" would both begin inside it); "bc" hides none of them: none begins with "c"
    assert needles.may_hide() == (frozenset({1}), frozenset(), frozenset({0, 1}))


# -- SK115 ----------------------------------------------------------------------------------


def _hidden_fast(text: str) -> bool:
    data = text.encode("utf-8")
    return not data.isascii() and bool(sk115._NEEDLES.find(data))


def _hidden_exact(text: str) -> bool:
    return sk115._HIDDEN.search(text) is not None


HIDDEN = [*sk115._chars(sk115._BIDI + sk115._ZERO_WIDTH), *sk115._chars(sk115._TAGS)]


def test_every_hidden_character_is_found_at_every_position() -> None:
    base = "a\u00e9\u20ac\U0001f600\u200a\u2065\U000e0080b"  # 1 to 4 bytes; hidden's neighbours
    assert not _hidden_fast(base) and not _hidden_exact(base)
    for c in HIDDEN:
        for at in range(len(base) + 1):
            assert _hidden_fast(base[:at] + c + base[at:]), (hex(ord(c)), at)


def test_no_other_character_is_taken_for_a_hidden_one() -> None:
    planes = [range(0x80, 0xD800), range(0xE000, 0x10000), range(0xDFF00, 0xE1000)]
    for code in (c for r in planes for c in r):
        c = chr(code)
        assert _hidden_fast(c) == _hidden_exact(c), hex(code)


@SETTINGS
@given(st.text(st.sampled_from([*HIDDEN[:40], *"a \n\u00e9\u2010\u202f\u2070\ufefe\U000e0100"])))
def test_hidden_scan_agrees_with_the_str_check(text: str) -> None:
    assert _hidden_fast(text) == _hidden_exact(text)


def test_hidden_scan_agrees_on_the_corpus(corpus: Path) -> None:
    for item in _corpus_texts(corpus):
        assert item.text is not None
        assert _hidden_fast(item.text) == _hidden_exact(item.text), item.path


# -- SK204 ----------------------------------------------------------------------------------

_FENCE_LINE = re.compile(r"^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)?(`{3,}|~{3,})(.*)$", re.M)


def _unclosed_exact(text: str) -> bool:
    """The pre-scan as it was, over the text: a regular expression for each fence line."""
    open_char, open_len = "", 0
    for m in _FENCE_LINE.finditer(text):
        fence, rest = m.group(1), m.group(2)
        if not open_char:
            if fence[0] == "`" and "`" in rest:
                continue
            open_char, open_len = fence[0], len(fence)
        elif fence[0] == open_char and len(fence) >= open_len and not rest.strip():
            open_char = ""
    return bool(open_char)


LEADS = ["", " ", "   ", "    ", "\t", "> ", ">>", " > - ", "- ", "* ", "+ ", "1. ", "12) ",
         "-", "1.", "\u0663. ", "\uff11) ", "  - ", "x "]  # fmt: skip
FENCES = ["```", "````", "~~~", "~~~~", "``", "~~", "`````", "~~```", "``~~~"]
RESTS = ["", "python", " ", "  \t", "\u3000", "\x85", "\x1c", "\xa0x", "`x`", "~", "\r", "```"]
LINES = ["text", "", "    code", "> quote", "\u00e9\u4e2d", "- item", "   ", "\r"]


@st.composite
def fenced_markdown(draw: st.DrawFn) -> str:
    fence_line = st.tuples(
        st.sampled_from(LEADS), st.sampled_from(FENCES), st.sampled_from(RESTS)
    ).map("".join)
    lines = draw(st.lists(st.one_of(fence_line, st.sampled_from(LINES)), max_size=14))
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["", "\n"]))


@SETTINGS
@given(fenced_markdown())
@example("- a\n  ```\nb\n```\n")
@example("```\n``` \u3000\n")
@example("\u0663. ```\nx\n")
def test_fence_scan_agrees_with_the_str_check(text: str) -> None:
    assert sk204._maybe_unclosed(text.encode("utf-8")) == _unclosed_exact(text)


def test_fence_scan_agrees_on_the_corpus(corpus: Path) -> None:
    files = sorted(corpus.rglob("*.md"))
    assert len(files) > 100
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert sk204._maybe_unclosed(text.encode("utf-8")) == _unclosed_exact(text), path


def test_the_body_bytes_are_the_body_in_utf8(tmp_path: Path, corpus: Path) -> None:
    roots = [write_skill(tmp_path, "plain")]
    bom = write_skill(tmp_path, "bom")
    (bom / "SKILL.md").write_bytes(b"\xef\xbb\xbf" + (bom / "SKILL.md").read_bytes())
    broken = write_skill(tmp_path, "broken")
    (broken / "SKILL.md").write_bytes((broken / "SKILL.md").read_bytes() + b"caf\xe9 ```\n")
    roots += [bom, broken, *(s.root for s in load_skills([corpus / "skills"]).skills)]
    for root in roots:
        skill = load_skill(root)
        texts = _texts(skill, 1 << 20)
        assert texts[0].data == skill.text.encode("utf-8"), root
        assert sk204._body_data(skill, texts[0]) == skill.body.encode("utf-8"), root


# -- reading ---------------------------------------------------------------------------------


def test_every_text_is_its_bytes_decoded(corpus: Path) -> None:
    for item in _corpus_texts(corpus):
        assert item.text is not None and item.text.encode("utf-8") == item.data, item.path


def test_an_undecodable_file_has_no_text(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "mixed")
    (folder / "latin1.txt").write_bytes("caf\xe9 \u200b".encode("latin-1", "replace"))
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbfok")
    texts = {t.relpath: t for t in _texts(load_skill(folder), 1 << 20)}
    assert texts["latin1.txt"].text is None
    assert (texts["bom.txt"].data, texts["bom.txt"].text) == (b"ok", "ok")


@pytest.mark.timeout(30)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_file_replaced_by_a_named_pipe_is_not_read(tmp_path: Path) -> None:
    folder = write_skill(tmp_path, "piped", notes_md="notes\n")
    skill = load_skill(folder)  # the file is regular when the skill is loaded...
    (folder / "notes_md").unlink()
    os.mkfifo(folder / "notes_md")  # ...and a pipe when it is read
    assert [t.relpath for t in _texts(skill, 1 << 20)] == ["SKILL.md"]
