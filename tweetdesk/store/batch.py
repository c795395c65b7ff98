"""Many short write transactions in a row (a sync's pages, each committed with its cursor).

SQLite copies the WAL into the database every 1,000 pages by default, and each copy waits for
two fsyncs; a first sync writes tens of thousands of WAL pages. During such a run the copy waits
for ~40 MB instead, and happens once more at the end. Every commit stays as durable as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tweetdesk.store.store import Store

RUN_CHECKPOINT_PAGES = 10_000
DEFAULT_CHECKPOINT_PAGES = 1_000  # SQLite's


@contextmanager
def many_commits(store: Store) -> Iterator[None]:
    store.conn.execute(f"PRAGMA wal_autocheckpoint = {RUN_CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        store.conn.execute(f"PRAGMA wal_autocheckpoint = {DEFAULT_CHECKPOINT_PAGES}")
        store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # never waits for a reader
