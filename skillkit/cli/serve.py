"""``skillkit serve``: serve a published index to agents over MCP (stdio or streamable HTTP)."""

from __future__ import annotations

from pathlib import Path

import click

from skillkit.cli._common import handle_errors
from skillkit.cli._index_options import check_location, make_s3, s3_options


@click.command(
    "serve",
    epilog="""\b
Examples:
  skillkit serve --index dist/                      stdio (for an agent's MCP config)
  skillkit serve --index dist/ --http 127.0.0.1:8000
  skillkit serve --index s3://bucket/skills --watch --interval 30
  skillkit serve --index https://skills.example.com/ --http 0.0.0.0:8000
\b
Agent configuration (stdio), e.g. in .mcp.json:
  {"mcpServers": {"skills": {"command": "skillkit", "args": ["serve", "--index", "dist"]}}}
\b
Tools: search_skills, retrieve_skill, list_skills (read-only). Resources:
skill://NAME/VERSION/PATH. Prompts: one per skill. Every archive's sha256 is verified
before its content is served. Logs are JSON lines on stderr; stdout is the protocol.
Exit status: 0 stopped by SIGTERM, Ctrl-C or the client closing stdio, 2 the index could
not be loaded or the address is taken.""",
)
@click.option(
    "--index",
    "location",
    default="dist",
    show_default=True,
    metavar="LOCATION",
    help="The index to serve: a folder or index.json path, file://, s3://bucket/prefix, https://.",
)
@click.option(
    "--http",
    "address",
    metavar="HOST:PORT",
    help="Serve streamable HTTP at http://HOST:PORT/mcp instead of stdio "
    "(HOST defaults to 127.0.0.1; port 0 picks a free one, shown in the ready log line).",
)
@click.option("--watch", is_flag=True, help="Pick up a newly published index without restarting.")
@click.option(
    "--interval",
    default=5.0,
    show_default=True,
    type=click.FloatRange(min=0.05),
    metavar="SECONDS",
    help="How often --watch checks the index's version token (ETag).",
)
@click.option(
    "--page-size",
    default=50,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Items per page of list_skills, resources and prompts.",
)
@click.option(
    "--lock",
    "lock",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Serve exactly the versions pinned in this skills.lock.json (from `skillkit install`), "
    "yanked ones included; a version the index lacks stops start-up.",
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["debug", "info", "warning", "error"]),
    help="debug adds one line per request with its duration.",
)
@s3_options
@handle_errors
def command(
    location: str,
    address: str | None,
    watch: bool,
    interval: float,
    page_size: int,
    lock: Path | None,
    log_level: str,
    endpoint_url: str | None,
    profile: str | None,
    region: str | None,
) -> None:
    """Serve the skills index at --index to agents over MCP.

    Loads and validates the index (an invalid one stops here with exit status 2), then serves
    over stdio until the client closes the pipe, or over streamable HTTP with --http, until
    SIGTERM or Ctrl-C (exit status 0).
    """
    from skillkit.extras import require

    require("serve")
    check_location(location, "pass a built dist/ folder, its index.json or a URL")
    from skillkit.install.lock import read_lock
    from skillkit.server.log import JsonLog
    from skillkit.server.run import ServeOptions, parse_address, serve

    options = ServeOptions(
        location=location,
        http=parse_address(address) if address is not None else None,
        watch=watch,
        interval=interval,
        page_size=page_size,
        s3=make_s3(endpoint_url, profile, region),
        lock=read_lock(lock).versions if lock is not None else None,
    )
    serve(options, JsonLog(level=log_level))
