"""Run the server: load the catalog, pick the transport, watch, and shut down cleanly.

`serve(options)` is what ``skillkit serve`` calls; it returns normally on SIGTERM/SIGINT or
when the stdio client closes the pipe, after logging why it stopped.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import socket
import stat
import sys
import time
from collections.abc import Awaitable, Callable, Generator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import anyio
import anyio.abc
import anyio.to_thread

from skillkit.errors import SkillkitError
from skillkit.index import S3Options
from skillkit.server.catalog import DEFAULT_PAGE_SIZE, Catalog
from skillkit.server.log import JsonLog
from skillkit.server.watch import watch

if TYPE_CHECKING:
    # The MCP SDK takes most of a second to import: only after the index loaded fine.
    from skillkit.server.app import SkillServer

DEFAULT_INTERVAL = 5.0
HTTP_PATH = "/mcp"


@dataclass(frozen=True)
class ServeOptions:
    location: str
    #: (host, port) for streamable HTTP; None for stdio.
    http: tuple[str, int] | None = None
    watch: bool = False
    interval: float = DEFAULT_INTERVAL
    page_size: int = DEFAULT_PAGE_SIZE
    s3: S3Options | None = None
    #: index bodies for search in the background after start-up.
    index_bodies: bool = True
    #: serve exactly these versions (name -> version, from skills.lock.json).
    lock: Mapping[str, str] | None = None


def parse_address(value: str) -> tuple[str, int]:
    """``HOST:PORT``, ``[IPv6]:PORT``, ``:PORT`` or ``PORT`` (host defaults to 127.0.0.1)."""
    host, sep, port = value.rpartition(":")
    if not sep:
        host, port = "", value
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise SkillkitError(
            f"--http {value!r}: expected HOST:PORT with a port from 0 to 65535, "
            "e.g. --http 127.0.0.1:8000"
        )
    return host, int(port)


def open_catalog(options: ServeOptions, log: JsonLog) -> Catalog:
    """Load the index or raise `SkillkitError` with a one-line message."""
    try:
        return Catalog.open(options.location, s3=options.s3, log=log, lock=options.lock)
    except SkillkitError as exc:
        lines = [line.strip(" -") for line in str(exc).splitlines() if line.strip()]
        raise SkillkitError(
            "cannot serve: " + (lines[0] + (" " + "; ".join(lines[1:4]) if lines[1:] else ""))
        ) from None


def serve(options: ServeOptions, log: JsonLog | None = None) -> None:
    """Serve until a signal or end of input. Raises `SkillkitError` on a bad index/address."""
    log = log or JsonLog()
    log.capture_library_logs()
    started = time.monotonic()
    catalog = open_catalog(options, log)
    from skillkit.server.app import SkillServer

    app = SkillServer(
        catalog,
        page_size=options.page_size,
        log=log,
        watch_interval=options.interval if options.watch else None,
    )
    # Freeze only (no full collection: little garbage exists yet, and it would delay ready).
    gc.freeze()
    # Bound before serving, so a taken port is a one-line error (exit 2) like a bad index.
    sock = _listen(*options.http) if options.http is not None else None
    try:
        anyio.run(_main, app, options, log, started, sock)
    except* SkillkitError as group:
        # An expected failure while serving (the CLI prints it as one line, exit 2).
        raise SkillkitError(str(group.exceptions[0])) from None
    except* _GONE:
        # The stdio client went away without closing stdin first (it stopped reading):
        # a normal end for a server, not an error.
        log(
            "stopped",
            reason="the client closed the connection",
            uptime_seconds=round(time.monotonic() - started, 3),
        )


#: what writing to a client that has gone away raises.
_GONE = (
    BrokenPipeError,
    ConnectionResetError,
    anyio.BrokenResourceError,
    anyio.ClosedResourceError,
)


async def _main(
    app: SkillServer,
    options: ServeOptions,
    log: JsonLog,
    started: float,
    sock: socket.socket | None,
) -> None:
    reason = "end of input"
    # How to stop the transport gracefully; without one, cancel everything.
    stop: list[Callable[[], None]] = []
    async with anyio.create_task_group() as tg:

        async def on_signal(*, task_status: anyio.abc.TaskStatus[None]) -> None:
            nonlocal reason
            with anyio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
                task_status.started()
                async for signum in signals:
                    reason = signal.Signals(signum).name
                    log("shutdown", signal=reason)
                    if stop:
                        stop[0]()
                    else:
                        tg.cancel_scope.cancel()
                    return

        # Started (handlers installed) before the ready line: a signal right after it is ours.
        await tg.start(on_signal)
        if options.index_bodies:
            tg.start_soon(_index_bodies, app, app.catalog)
        if options.watch:

            async def swap(catalog: Catalog) -> None:
                await app.swap(catalog)
                if options.index_bodies:
                    tg.start_soon(_index_bodies, app, catalog)

            tg.start_soon(
                lambda: watch(
                    options.location,
                    lambda: app.catalog,
                    swap,
                    interval=options.interval,
                    s3=options.s3,
                    log=log,
                    lock=options.lock,
                )
            )
        if options.http is None:
            await _run_stdio(app, options, log, started)
        else:
            await _run_http(app, options, log, started, stop, sock)
        tg.cancel_scope.cancel()
    log("stopped", reason=reason, uptime_seconds=round(time.monotonic() - started, 3))


async def _index_bodies(app: SkillServer, catalog: Catalog) -> None:
    # A catalog replaced by --watch stops its pass early: nobody will search it any more.
    await catalog.index_in_background(
        should_stop=lambda: app.catalog is not catalog, idle=app.wait_idle
    )
    _settle()


def _settle() -> None:
    """Exempt the long-lived catalog objects from cyclic GC passes.

    A full collection walks every object; with a 10,000-skill index that is a pause of tens
    of milliseconds in the middle of some request. Frozen objects are still freed by
    reference counting when a new catalog replaces them.
    """
    gc.collect()
    gc.freeze()


def _ready(
    app: SkillServer, options: ServeOptions, log: JsonLog, started: float, **where: str
) -> None:
    index = app.catalog.index
    log(
        "ready",
        skills=len(index.skills),
        versions=app.catalog.version_count,
        generation=index.generation,
        location=index.location or options.location,
        etag=index.etag,
        watch=options.interval if options.watch else False,
        seconds=round(time.monotonic() - started, 3),
        **where,
    )


async def _run_stdio(app: SkillServer, options: ServeOptions, log: JsonLog, started: float) -> None:
    from mcp.server.stdio import stdio_server

    lines = _StdinLines(sys.stdin.fileno(), on_data=app.touch)
    try:
        async with stdio_server(stdin=cast(Any, lines)) as (read_stream, write_stream):
            lines.reject = _rejecter(write_stream, log)
            _ready(app, options, log, started, transport="stdio")
            await app.server.run(
                read_stream, write_stream, app.server.create_initialization_options()
            )
    finally:
        lines.close()


class _StdinLines:
    """Lines of stdin that a signal can interrupt.

    The SDK's default stdin reader blocks a worker thread in ``readline``, so a SIGTERM could
    not stop the server until the client closed the pipe. This waits for readability on the
    event loop instead (pipes, sockets, terminals); regular files and /dev/null, which never
    block, are read in a worker thread.
    """

    def __init__(self, fd: int, on_data: Callable[[], None] | None = None) -> None:
        self.fd = fd
        self.on_data = on_data
        #: answers a line that is not a JSON-RPC message (the SDK would drop it silently).
        self.reject: Callable[[int, str], Awaitable[None]] | None = None
        self.buffer = bytearray()
        self.eof = False
        mode = os.fstat(fd).st_mode
        self.pollable = stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or os.isatty(fd)
        self.was_blocking = os.get_blocking(fd)
        if self.pollable:
            os.set_blocking(fd, False)

    def close(self) -> None:
        if self.pollable:
            with contextlib.suppress(OSError):
                os.set_blocking(self.fd, self.was_blocking)

    def __aiter__(self) -> _StdinLines:
        return self

    async def __anext__(self) -> str:
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                line = bytes(self.buffer[: end + 1])
                del self.buffer[: end + 1]
                if await self._accepted(line):
                    return line.decode("utf-8", errors="replace")
                continue
            if self.eof:
                if self.buffer:
                    rest = bytes(self.buffer)
                    self.buffer.clear()
                    if await self._accepted(rest):
                        return rest.decode("utf-8", errors="replace")
                raise StopAsyncIteration
            chunk = await self._read()
            if chunk is None:
                continue
            if self.on_data is not None:
                self.on_data()  # a request is arriving: background work steps aside
            if not chunk:
                self.eof = True
            self.buffer += chunk

    async def _accepted(self, line: bytes) -> bool:
        """Whether `line` goes on to the SDK: blank lines are skipped, and a line that is not
        JSON-RPC is answered here with the JSON-RPC error for it."""
        if not line.strip():
            return False
        if self.reject is None:
            return True
        problem = _not_json_rpc(line)
        if problem is None:
            return True
        await self.reject(*problem)
        return False

    async def _read(self) -> bytes | None:
        if not self.pollable:
            return await anyio.to_thread.run_sync(os.read, self.fd, 1 << 16)
        await anyio.wait_readable(self.fd)
        try:
            return os.read(self.fd, 1 << 16)
        except BlockingIOError:
            return None


#: JSON-RPC 2.0's codes for a line that is not JSON, and for JSON that is not a request.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600


def _not_json_rpc(line: bytes) -> tuple[int, str] | None:
    """(code, message) when `line` is not a JSON-RPC 2.0 message (None: it looks like one; the
    SDK checks the rest and answers a bad request with an error itself)."""
    try:
        message = json.loads(line)
    except ValueError as exc:
        return PARSE_ERROR, f"Parse error: {exc}"
    if isinstance(message, list):
        return INVALID_REQUEST, "Invalid Request: JSON-RPC batches are not supported by MCP"
    if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
        return INVALID_REQUEST, 'Invalid Request: expected a JSON object with "jsonrpc": "2.0"'
    return None


def _rejecter(write_stream: Any, log: JsonLog) -> Callable[[int, str], Awaitable[None]]:
    import mcp_types as types
    from mcp.shared.message import SessionMessage

    async def reject(code: int, problem: str) -> None:
        log("bad_message", "warning", error=problem, code=code)
        error = types.JSONRPCError(
            jsonrpc="2.0", id=None, error=types.ErrorData(code=code, message=problem)
        )
        await write_stream.send(SessionMessage(error))

    return reject


async def _run_http(
    app: SkillServer,
    options: ServeOptions,
    log: JsonLog,
    started: float,
    stop: list[Callable[[], None]],
    sock: socket.socket | None,
) -> None:
    import uvicorn

    assert options.http is not None
    host = options.http[0]
    starlette_app = app.server.streamable_http_app(streamable_http_path=HTTP_PATH, host=host)
    assert sock is not None
    config = uvicorn.Config(
        starlette_app,
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=2,
    )
    server = _quiet_uvicorn(config)
    stop.append(lambda: setattr(server, "should_exit", True))
    bound = sock.getsockname()
    shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]

    async def announce() -> None:
        while not server.started:
            await anyio.sleep(0.01)
        _ready(
            app,
            options,
            log,
            started,
            transport="streamable-http",
            url=f"http://{shown}:{bound[1]}{HTTP_PATH}",
        )

    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(announce)
            await server.serve(sockets=[sock])
            tg.cancel_scope.cancel()
    finally:
        sock.close()


def _listen(host: str, port: int) -> socket.socket:
    try:
        return _bind(host, port)
    except OSError as exc:
        raise SkillkitError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc} "
            "(is another server using the port? try another --http port)"
        ) from None


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _quiet_uvicorn(config: Any) -> Any:
    """uvicorn's Server without its own signal capture (which re-raises the signal after
    shutdown, so the process would die by SIGTERM instead of exiting 0)."""
    import uvicorn

    class Quiet(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Generator[None, None, None]:
            yield

    return Quiet(config)
