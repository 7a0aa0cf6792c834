"""Compare-and-swap updates of a stored index: read, change, write only if nobody wrote since.

Concurrent writers (two publishers, a publish and a yank) each retry on conflict, re-applying
their change to the newer index, so no one's versions are lost.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from skillkit.index.errors import StoreError
from skillkit.index.load import parse, serialize
from skillkit.index.model import Index
from skillkit.index.store import Store

MAX_ATTEMPTS = 50


@dataclass
class UpdateResult:
    index: Index
    written: bool
    attempts: int


def update_index(
    store: Store,
    key: str,
    change: Callable[[Index | None], Index | None],
    *,
    now: Callable[[], str],
    attempts: int = MAX_ATTEMPTS,
) -> UpdateResult:
    """Apply `change` to the stored index (None when there is none yet) and write it with CAS.

    `change` returns the new index content, or None when nothing needs writing. Generation and
    ``generated_at`` are set here: the generation only grows when the content really changes.
    """
    for attempt in range(1, attempts + 1):
        found = store.read_versioned(key)
        current = (
            parse(found[0], store.describe(key), store=store, etag=found[1]) if found else None
        )
        updated = change(current)
        if updated is None or (current is not None and updated.content_equal(current)):
            if current is None:
                raise StoreError(f"{store.describe(key)}: there is no index to update")
            return UpdateResult(current, False, attempt)
        generation = (current.generation if current else 0) + 1
        updated = replace(updated, generation=generation, generated_at=now())
        etag = store.write_if(key, serialize(updated), found[1] if found else None)
        if etag is not None:
            return UpdateResult(replace(updated, etag=etag, store=store), True, attempt)
        # Lost the race: someone wrote the index in between. Back off with jitter, re-read.
        time.sleep(random.uniform(0.01, 0.05) * min(attempt, 10))
    raise StoreError(
        f"{store.describe(key)}: gave up after {attempts} attempts: the index kept changing "
        "under us (too many concurrent writers?); try again"
    )
