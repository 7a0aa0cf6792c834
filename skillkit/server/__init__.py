"""``skillkit serve``: an MCP server over a published skills index.

from skillkit.server import Catalog, ServeOptions, serve
serve(ServeOptions("dist/"))                       # stdio, until the client hangs up
serve(ServeOptions("s3://bucket/skills", http=("127.0.0.1", 8000), watch=True))
"""

from __future__ import annotations

from skillkit.server.catalog import Catalog, NotFound, SkillUnavailable
from skillkit.server.run import ServeOptions, parse_address, serve
from skillkit.server.search import Document, SearchIndex, tokenize

__all__ = [
    "Catalog",
    "Document",
    "NotFound",
    "SearchIndex",
    "ServeOptions",
    "SkillUnavailable",
    "parse_address",
    "serve",
    "tokenize",
]
