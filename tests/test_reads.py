"""Bundled files read once per linted skill (`skillkit.reads`): remembered inside the block
only, bounded, and never for something that is not a regular file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from skillkit import reads


def test_a_file_is_read_once_inside_the_block_and_afresh_outside(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"first")
    with reads.remembered():
        assert reads.read_bytes(path) == b"first"
        path.write_bytes(b"second")
        assert reads.read_bytes(path) == b"first"
        assert reads.read_regular(path) == b"first"
    assert reads.read_bytes(path) == b"second"
    assert reads.recall(path) is None


def test_what_is_kept_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reads, "MAX_KEPT_BYTES", 10)
    small, large = tmp_path / "small", tmp_path / "large"
    small.write_bytes(b"12345")
    large.write_bytes(b"0123456789")
    with reads.remembered():
        reads.read_bytes(small)
        reads.read_bytes(large)
        assert reads.recall(small) == b"12345"
        assert reads.recall(large) is None  # over what is left of the bound: read again


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_neither_read_nor_remembered(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)
    with reads.remembered():
        assert reads.read_regular(pipe) is None
        assert reads.recall(pipe) is None
