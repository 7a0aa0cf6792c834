"""Helpers for the `skillkit serve` tests: build real indexes with the CLI, start the server as
a subprocess, and talk to it with the MCP SDK's own client over stdio or streamable HTTP."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

import anyio
from click.testing import CliRunner
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

from skillkit.cli import cli

HERE = Path(__file__).resolve().parent
FIXTURE_SKILLS = HERE / "data" / "serve" / "skills"
SKILLKIT = str(Path(sys.executable).parent / "skillkit")
EPOCH = "1700000000"

T = TypeVar("T")


def cli_ok(*args: str) -> str:
    """Run the real click command in process; fail the test with its output if it fails."""
    result = CliRunner().invoke(
        cli, list(args), env={"SOURCE_DATE_EPOCH": EPOCH}, catch_exceptions=False
    )
    assert result.exit_code == 0, (
        f"skillkit {' '.join(args)} -> {result.exit_code}\n{result.output}"
    )
    return result.output


def build(skills: Path, dist: Path, *extra: str) -> Path:
    cli_ok("build", str(skills), "-o", str(dist), "-q", *extra)
    return dist


def set_version(skill: Path, version: str, body_extra: str = "") -> None:
    skill_md = skill / "SKILL.md"
    text = skill_md.read_text(encoding="utf-8")
    head, _, rest = text.partition('  version: "')
    _, _, tail = rest.partition('"')
    skill_md.write_text(f'{head}  version: "{version}"{tail}{body_extra}', encoding="utf-8")


def make_catalog(root: Path) -> tuple[Path, Path]:
    """The fixture skills built into ROOT/dist, with changelog-writer 1.0.0 and a yanked 2.0.0.

    Returns (skills folder as last built, dist).
    """
    skills = root / "skills"
    shutil.copytree(FIXTURE_SKILLS, skills)
    # A binary asset, so resources are served as blobs too.
    (skills / "pdf-form-filler" / "assets").mkdir()
    (skills / "pdf-form-filler" / "assets" / "blank.bin").write_bytes(bytes(range(256)) * 4)
    dist = build(skills, root / "dist")
    set_version(skills / "changelog-writer", "2.0.0", "\nVersion two adds emoji headings.\n")
    build(skills, dist)
    cli_ok(
        "yank", "changelog-writer@2.0.0", "--reason", "emoji break renderers", "--index", str(dist)
    )
    return skills, dist


def read_events(path: Path) -> list[dict[str, Any]]:
    """The JSON log lines in `path`; any other line fails the test (logs must be JSON only)."""
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            events.append(json.loads(line))
        except ValueError:
            raise AssertionError(f"non-JSON line on the server's stderr: {line!r}") from None
    return events


def wait_for_event(path: Path, event: str, timeout: float = 15.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            for record in read_events_lenient(path):
                if record.get("event") == event:
                    return record
        time.sleep(0.05)
    text = path.read_text(encoding="utf-8") if path.exists() else "(no log)"
    raise AssertionError(f"no {event!r} event within {timeout} s; log:\n{text}")


def read_events_lenient(path: Path) -> list[dict[str, Any]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with suppress(ValueError):
            out.append(json.loads(line))
    return out


async def await_event(path: Path, event: str, timeout: float = 15.0) -> dict[str, Any]:
    with anyio.fail_after(timeout):
        while True:
            for record in read_events_lenient(path) if path.exists() else []:
                if record.get("event") == event:
                    return record
            await anyio.sleep(0.05)


def serve_args(location: Path | str, *extra: str) -> list[str]:
    return ["serve", "--index", str(location), *extra]


@asynccontextmanager
async def stdio_session(
    location: Path | str,
    log: Path,
    *extra: str,
    on_message: Callable[[Any], Awaitable[None]] | None = None,
    env: dict[str, str] | None = None,
) -> AsyncIterator[ClientSession]:
    """A subprocess ``skillkit serve`` over stdio, with an initialized SDK client session."""
    params = StdioServerParameters(
        command=SKILLKIT,
        args=serve_args(location, *extra),
        env={**(env or {})},
    )
    with log.open("w", encoding="utf-8") as errlog:
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write, message_handler=on_message) as session,
        ):
            await session.initialize()
            yield session


class HttpServer:
    """``skillkit serve --http 127.0.0.1:0`` as a subprocess; the URL comes from its ready line."""

    def __init__(self, dist: Path, log: Path, *extra: str) -> None:
        self.log = log
        self._errlog = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [SKILLKIT, *serve_args(dist, "--http", "127.0.0.1:0", *extra)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._errlog,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            ready = wait_for_event(log, "ready")
        except AssertionError:
            self.stop()
            raise
        self.url: str = ready["url"]
        self.ready = ready

    def terminate(self, timeout: float = 15.0) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        finally:
            self._errlog.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._errlog.close()


@asynccontextmanager
async def http_session(
    url: str, on_message: Callable[[Any], Awaitable[None]] | None = None
) -> AsyncIterator[ClientSession]:
    async with (
        streamable_http_client(url) as (read, write),
        ClientSession(read, write, message_handler=on_message) as session,
    ):
        await session.initialize()
        yield session


def run_async(func: Callable[[], Awaitable[T]]) -> T:
    return anyio.run(func)
