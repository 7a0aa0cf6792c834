"""Token footprints of skills per loading level, counted offline with tiktoken.

>>> from skillkit.tokens import footprint
>>> fp = footprint(skill)            # doctest: +SKIP
>>> fp.l1, fp.l2, fp.l3_total        # doctest: +SKIP
"""

from __future__ import annotations

from skillkit.tokens.catalog import (
    catalog_block,
    render_available_skills,
    render_entry,
    skill_entry,
    skill_location,
)
from skillkit.tokens.encoding import DEFAULT_ENCODING, count_tokens, get_encoding
from skillkit.tokens.levels import (
    FileTokens,
    Footprint,
    catalog_tokens,
    footprint,
    footprints,
    footprints_and_catalog,
)

__all__ = [
    "DEFAULT_ENCODING",
    "FileTokens",
    "Footprint",
    "catalog_block",
    "catalog_tokens",
    "count_tokens",
    "footprint",
    "footprints",
    "footprints_and_catalog",
    "get_encoding",
    "render_available_skills",
    "render_entry",
    "skill_entry",
    "skill_location",
]
