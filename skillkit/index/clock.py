"""Timestamps for the index: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""

from __future__ import annotations

import time

from skillkit.index.archive import source_date_epoch


def utc_now() -> str:
    epoch = source_date_epoch()
    seconds = time.time() if epoch is None else epoch
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
