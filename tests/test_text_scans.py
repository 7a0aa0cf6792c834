"""The byte scans of the whole-text rules against the ``str`` checks they replaced.

SK115 (hidden Unicode) looks for needles in a text's UTF-8 bytes, with one pass of `Needles`,
and decodes and matches a text only where it found one. The scan must answer as its ``str``
check did, kept here as the reference: on every text of the corpus, and on generated text built
to reach the edges (hidden characters at every position, their neighbours in the encoding).
Reading the texts is checked at the end."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillkit.lint.rules import sk115_hidden_unicode as sk115
from skillkit.lint.rules._texts import Needles, Text, _texts
from skillkit.loader import load_skill, load_skills
from tests.rules_support import write_skill

SETTINGS = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _corpus_texts(corpus: Path) -> Iterator[Text]:
    for skill in load_skills([corpus / "skills"]).skills:
        yield from _texts(skill, 1 << 20)


# -- Needles ---------------------------------------------------------------------------------


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
