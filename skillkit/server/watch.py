"""`--watch`: poll the index's version token (ETag / content hash) and swap in new catalogs.

The new catalog is loaded and indexed off to the side (in a worker thread); only then does the
server's single reference change, so requests in flight finish on the catalog they started
with and none of them fails because of the update. A broken new index is logged and the old
catalog keeps being served, and so is an older one: an index whose ``generation`` is lower than
the one being served is a rollback (a stale replica, or an attacker replaying an old index with
a since-yanked version), refused as TUF clients refuse one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

import anyio
import anyio.to_thread

from skillkit.errors import SkillkitError
from skillkit.index import S3Options, open_location
from skillkit.server.catalog import Catalog, Log


async def watch(
    location: str,
    current: Callable[[], Catalog],
    swap: Callable[[Catalog], Awaitable[None]],
    *,
    interval: float,
    s3: S3Options | None,
    log: Log,
    lock: Mapping[str, str] | None = None,
) -> None:
    """Run until cancelled: every `interval` seconds, load and swap in a changed index."""
    store, key = open_location(location, s3)
    failed_tag: str | None = None
    while True:
        await anyio.sleep(interval)
        try:
            tag = await anyio.to_thread.run_sync(store.etag, key)
        except SkillkitError as exc:
            log("watch_error", "warning", location=location, error=str(exc))
            continue
        if tag is None:
            if failed_tag != "<missing>":
                log(
                    "watch_error",
                    "warning",
                    location=location,
                    error="the index disappeared; still serving the last one loaded",
                )
                failed_tag = "<missing>"
            continue
        serving = current().index
        if tag == serving.etag or tag == failed_tag:
            continue
        try:
            catalog = await anyio.to_thread.run_sync(
                lambda: Catalog.open(location, s3=s3, log=log, lock=lock)
            )
        except SkillkitError as exc:
            failed_tag = tag
            log(
                "reload_failed",
                "error",
                location=location,
                error=str(exc),
                serving_generation=serving.generation,
            )
            continue
        failed_tag = None
        if catalog.index.etag == serving.etag:
            continue
        if catalog.index.generation < serving.generation:
            failed_tag = tag  # logged once, not at every poll
            log(
                "rollback_refused",
                "warning",
                location=location,
                generation=catalog.index.generation,
                serving_generation=serving.generation,
                etag=tag,
                error="the index's generation is lower than the one being served; "
                "still serving the newer one",
            )
            continue
        await swap(catalog)
        log(
            "reloaded",
            location=location,
            generation=catalog.index.generation,
            previous_generation=serving.generation,
            skills=len(catalog.index.skills),
            versions=catalog.version_count,
            etag=catalog.index.etag,
        )
