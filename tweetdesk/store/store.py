"""The Store: one SQLite file, migrated on construction, with named queries.

Reads go through the plain sqlite3 connection (listing commands never import sqlite-utils);
migrations and bulk writes use sqlite-utils. WAL and a busy timeout let cron's sync and the
owner's commands share the file; every write is a short `BEGIN IMMEDIATE` transaction, so a
writer waits for the lock instead of failing half-way.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tweetdesk.errors import ForeignDatabase, StoreError, UsageError
from tweetdesk.store.files import check_foreign, create_private, ensure_folder
from tweetdesk.store.upserts import TWEET_COLUMNS, TWEET_UPSERT, USER_COLUMNS, USER_UPSERT

if TYPE_CHECKING:
    from sqlite_utils import Database

SCHEMA_VERSION = 6  # = number of migrations in migrations.py (a test checks)
BUSY_TIMEOUT_MS = 30_000
PY_LOWER = "py_lower"  # SQL lower() folds ASCII only: tags compare as Python's str.lower does


def _lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


class Store:
    def __init__(self, path: Path | str, *, user_given: bool = False) -> None:
        """`user_given`: the path came from --db, TWEETDESK_DB or [storage] db, so its folder
        must exist and a path that cannot be opened is a usage error; else the folder is made."""
        self.path = str(path)
        if self.path != ":memory:":
            ensure_folder(Path(self.path), create=not user_given)
            create_private(Path(self.path))
            check_foreign(Path(self.path))
        try:
            self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._check_not_foreign()  # before any PRAGMA that writes (WAL changes the header)
            self._check_not_newer()
            self._configure()
            self._migrate()
        except sqlite3.DatabaseError as exc:
            unusable = UsageError if user_given and "unable to open" in str(exc) else StoreError
            raise unusable(f"cannot use database {self.path}: {exc}") from None
        self._db: Database | None = None

    @classmethod
    def memory(cls) -> Store:
        return cls(":memory:")

    def _check_not_foreign(self) -> None:
        names = {
            r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if names and "_sqlite_migrations" not in names:
            raise ForeignDatabase(
                f"{self.path} is another program's database, not tweetdesk's; left untouched"
            )

    def _configure(self) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if self.path != ":memory:":
            self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.create_function(PY_LOWER, 1, _lower, deterministic=True)

    def _check_not_newer(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"database {self.path} was written by a newer tweetdesk "
                f"(schema {version}, this one knows {SCHEMA_VERSION}); upgrade tweetdesk"
            )

    def _migrate(self) -> None:
        if self.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        from tweetdesk.store.migrations import migrations

        with self.write():
            migrations.apply(self.db)
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @property
    def db(self) -> Database:
        """sqlite-utils over the same connection, imported only when a write needs it."""
        if getattr(self, "_db", None) is None:
            from sqlite_utils import Database

            self._db = Database(self.conn)
        assert self._db is not None
        return self._db

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction; waits (busy timeout) for a concurrent writer."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    # --- meta ---------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # --- ingest -------------------------------------------------------------------------

    def existing_tweet_ids(self, ids: Iterable[int]) -> set[int]:
        ids = list(ids)
        if not ids:
            return set()
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(f"SELECT id FROM tweets WHERE id IN ({marks})", ids)
        return {r[0] for r in rows}

    def own_posts(self, limit: int) -> list[int]:
        """The account's newest stored posts that are not replies (what people quote)."""
        rows = self.conn.execute(
            "SELECT id FROM tweets WHERE found_via = 'own' AND replied_to_id IS NULL "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [r[0] for r in rows]

    def own_tweet_ids(self, ids: Iterable[int]) -> set[int]:
        """Those of these ids that are the account's own stored posts."""
        ids = list(ids)
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT id FROM tweets WHERE found_via = 'own' AND id IN ({marks})", ids
        )
        return {r[0] for r in rows}

    def count_newer(self, found_via: str, after_id: int) -> int:
        """Stored tweets found via `found_via` newer than `after_id` (for the 800-mentions cap)."""
        row = self.conn.execute(
            "SELECT count(*) FROM tweets WHERE found_via = ? AND id > ?", (found_via, after_id)
        ).fetchone()
        return int(row[0])

    def upsert_users(self, users: Iterable[Mapping[str, Any]]) -> None:
        rows = [tuple(map(u.get, USER_COLUMNS)) for u in users]
        with self.write() as conn:
            conn.executemany(USER_UPSERT, rows)

    def upsert_tweets(self, tweets: Iterable[Mapping[str, Any]]) -> None:
        rows = [tuple(map(t.get, TWEET_COLUMNS)) for t in tweets]
        with self.write() as conn:
            conn.executemany(TWEET_UPSERT, rows)

    # --- cursors and runs ---------------------------------------------------------------

    def cursor(self, source: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM cursors WHERE source = ?", (source,)).fetchone()
        if row is None:
            return None
        out = dict(row)
        out["gaps"] = [tuple(g) for g in json.loads(row["gaps"] or "[]")]
        return out

    def save_cursor(self, source: str, fields: Mapping[str, Any]) -> None:
        row = {"source": source, **fields}
        if "gaps" in row:
            row["gaps"] = json.dumps([list(g) for g in row["gaps"]])
        cols = ", ".join(row)
        updates = ", ".join(f"{c} = excluded.{c}" for c in row if c != "source")
        with self.write() as conn:
            conn.execute(
                f"INSERT INTO cursors ({cols}) VALUES ({', '.join('?' * len(row))}) "
                f"ON CONFLICT(source) DO UPDATE SET {updates}",
                tuple(row.values()),
            )

    def start_run(self, at: str) -> int:
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO sync_runs (started_at, status, new_tweets, requests) "
                "VALUES (?, 'running', 0, 0)",
                (at,),
            )
            return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, fields: Mapping[str, Any]) -> None:
        sets = ", ".join(f"{k} = ?" for k in fields)
        with self.write() as conn:
            conn.execute(
                f"UPDATE sync_runs SET {sets} WHERE id = ?",
                (*fields.values(), run_id),
            )

    def last_sync(self, status: str = "ok") -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT * FROM sync_runs WHERE status = ? ORDER BY id DESC LIMIT 1", (status,)
        ).fetchone()
        return None if row is None else dict(row)

    # --- request ledger -----------------------------------------------------------------

    def record_request(self, row: Mapping[str, Any]) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO requests (at, method, endpoint, status, posts, price_key, units) "
                "VALUES (:at, :method, :endpoint, :status, :posts, :price_key, :units)",
                dict(row),
            )
