"""Reading the texts the whole-text rules scan (SK801, SK115, SK204): each file's bytes, its
characters when a rule asks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from skillkit.lint.rules._texts import Text, _texts
from skillkit.loader import load_skill, load_skills
from tests.rules_support import write_skill


def _corpus_texts(corpus: Path) -> Iterator[Text]:
    for skill in load_skills([corpus / "skills"]).skills:
        yield from _texts(skill, 1 << 20)


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
