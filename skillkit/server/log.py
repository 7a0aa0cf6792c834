"""Structured logs: one JSON object per line on stderr (stdout carries the MCP protocol).

Every line has ``ts`` (UTC, ISO 8601), ``level`` and ``event``; the rest are event fields.
Library loggers (the MCP SDK, uvicorn) are routed through the same format.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from typing import IO, Any

_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}


def _now() -> str:
    now = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z"


class JsonLog:
    """Write events as JSON lines; thread-safe, never raises (a closed stderr loses logs only)."""

    def __init__(self, stream: IO[str] | None = None, level: str = "info") -> None:
        self.stream = stream
        self.threshold = _LEVELS.get(level, logging.INFO)
        self._lock = threading.Lock()

    def __call__(self, event: str, level: str = "info", **fields: Any) -> None:
        if _LEVELS.get(level, logging.INFO) < self.threshold:
            return
        record = {"ts": _now(), "level": level, "event": event, **fields}
        line = json.dumps(record, ensure_ascii=False, default=str)
        stream = self.stream or sys.stderr
        with self._lock:
            try:
                stream.write(line + "\n")
                stream.flush()
            except (OSError, ValueError):
                pass

    def capture_library_logs(self) -> None:
        """Send warnings and errors of stdlib loggers (mcp, uvicorn, ...) through this log."""
        handler = _Handler(self)
        root = logging.getLogger()
        for old in list(root.handlers):
            root.removeHandler(old)
        root.addHandler(handler)
        root.setLevel(logging.WARNING)
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "mcp"):
            lib = logging.getLogger(name)
            lib.handlers = []
            lib.propagate = True
        logging.getLogger("uvicorn.access").setLevel(logging.WARNING)


class _Handler(logging.Handler):
    def __init__(self, log: JsonLog) -> None:
        super().__init__()
        self.log = log

    def emit(self, record: logging.LogRecord) -> None:
        fields: dict[str, Any] = {"logger": record.name, "message": record.getMessage()}
        if record.exc_info and record.exc_info[1] is not None:
            fields["error"] = repr(record.exc_info[1])
        self.log("library", record.levelname.lower(), **fields)
