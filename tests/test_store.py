"""The Store on real SQLite: migrations, upserts that keep local state, foreign files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tweetdesk.errors import StoreError
from tweetdesk.store.migrations import migrations
from tweetdesk.store.store import SCHEMA_VERSION, Store
from tweetdesk.x.ingest import tweet_row, user_row

SYNCED = "2026-11-23T09:00:00.000Z"


def mention(tweet_id: int, text: str = "@acme hello", **extra: object) -> dict[str, object]:
    return {
        "id": str(tweet_id),
        "text": text,
        "author_id": "10",
        "conversation_id": str(tweet_id),
        "created_at": "2026-11-23T08:40:00.000Z",
        **extra,
    }


def test_schema_version_matches_migrations() -> None:
    assert len(migrations._migrations) == SCHEMA_VERSION


def test_migrating_twice_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    Store(path).close()
    store = Store(path)
    applied = store.conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert applied == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")  # as a newer tweetdesk might leave it
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer tweetdesk"):
        Store(path)
    assert path.read_bytes() == before  # refused before any PRAGMA that writes


@pytest.mark.parametrize("content", [b"hello, this is not a database at all" * 4, b"\x00" * 512])
def test_garbage_file_is_left_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "d.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not a SQLite database; left untouched"):
        Store(path)
    assert path.read_bytes() == content


@pytest.mark.parametrize("user_version", [0, 2, 3, 7])
def test_foreign_database_is_left_untouched(tmp_path: Path, user_version: int) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.execute(f"PRAGMA user_version = {user_version}")  # many programs set their own
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another program's database"):
        Store(path)
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_upsert_updates_api_columns_only_and_keeps_how_it_was_found() -> None:
    store = Store.memory()
    store.upsert_tweets(
        [tweet_row(mention(5), found_via="mention", synced_at=SYNCED, sentiment=0.5)]
    )
    again = mention(5, text="@acme hello (edited)", public_metrics={"like_count": 3})
    store.upsert_tweets([tweet_row(again, found_via="search", synced_at=SYNCED, query="q")])
    row = store.conn.execute("SELECT * FROM tweets WHERE id = 5").fetchone()
    assert row["text"] == "@acme hello (edited)"
    assert row["like_count"] == 3
    assert row["found_via"] == "mention"  # search never downgrades a mention
    assert row["sentiment"] == 0.5  # kept when the re-sync did not compute one


def test_user_upsert_keeps_known_dm_setting_when_x_omits_it() -> None:
    store = Store.memory()
    store.upsert_users(
        [user_row({"id": "10", "username": "bob", "receives_your_dm": False}, updated_at=SYNCED)]
    )
    store.upsert_users([user_row({"id": "10", "username": "bobby"}, updated_at=SYNCED)])
    row = store.conn.execute("SELECT * FROM users WHERE id = 10").fetchone()
    assert row["username"] == "bobby"
    assert row["receives_your_dm"] == 0


def test_ids_are_integers_inside() -> None:
    store = Store.memory()
    store.upsert_tweets(
        [tweet_row(mention(1990000000000000001), found_via="mention", synced_at=SYNCED)]
    )
    assert store.conn.execute("SELECT typeof(id) FROM tweets").fetchone()[0] == "integer"


def test_older_tweet_shapes_parse() -> None:
    """X's older documentation examples have no conversation_id and no edit history."""
    row = tweet_row(
        {"id": "1364398068313903104", "text": "hi"}, found_via="mention", synced_at=SYNCED
    )
    assert row["conversation_id"] == 1364398068313903104
    assert row["created_at"] == SYNCED


def test_cursor_round_trip() -> None:
    store = Store.memory()
    assert store.cursor("mentions") is None
    store.save_cursor("mentions", {"top_id": 9, "gaps": [(1, 5)], "floor": SYNCED})
    cursor = store.cursor("mentions")
    assert cursor is not None and cursor["top_id"] == 9 and cursor["gaps"] == [(1, 5)]


def test_thread_numbers_are_dense_and_never_reused() -> None:
    from datetime import UTC, datetime

    from tweetdesk.store import threads

    store = Store.memory()
    now = datetime(2026, 11, 23, 9, tzinfo=UTC)
    for tweet_id in (101, 102, 103):
        store.upsert_tweets([tweet_row(mention(tweet_id), found_via="mention", synced_at=SYNCED)])
        # every page refreshes the threads it touched, old ones included
        threads.refresh(store, [101, 102, 103][: tweet_id - 100], account_id=1, now=now)
    numbers = [r[0] for r in store.conn.execute("SELECT number FROM threads ORDER BY number")]
    assert numbers == [1, 2, 3]


def test_sentiment_is_scored_for_open_reply_targets_only() -> None:
    from datetime import UTC, datetime

    from tweetdesk.store import threads
    from tweetdesk.store.listing import Listing
    from tweetdesk.triage.clock import Clock, cutoffs

    store = Store.memory()
    now = datetime(2026, 11, 23, 9, tzinfo=UTC)
    angry = mention(201, "@acme this is the worst service, I am furious")
    answered = mention(202, "@acme terrible, awful, broken")
    old = mention(204, "@acme awful", created_at="2026-11-21T08:40:00.000Z")  # stale on arrival
    ours = {
        "id": "203",
        "text": "@bob sorted!",
        "author_id": "1",
        "conversation_id": "202",
        "created_at": "2026-11-23T08:50:00.000Z",
    }
    rows = [tweet_row(t, found_via="mention", synced_at=SYNCED) for t in (angry, answered, old)]
    store.upsert_tweets([*rows, tweet_row(ours, found_via="own", synced_at=SYNCED)])
    threads.refresh(store, [201, 202, 204], account_id=1, now=now)
    listing = Listing(store, cutoffs(now, Clock()), Clock(), {})
    assert listing.score("open") == 1  # what sync does at its end
    scores = dict(store.conn.execute("SELECT id, sentiment FROM tweets").fetchall())
    assert scores[201] is not None and scores[201] < -0.5
    assert scores[202] is None  # answered history never pays for VADER
    assert scores[204] is None  # nor what was stale when it arrived
    store.conn.execute("DELETE FROM tweets WHERE id = 203")  # e.g. `undo`
    threads.refresh(store, [202], account_id=1, now=now)
    assert listing.score("open") == 1
    assert store.conn.execute("SELECT sentiment FROM tweets WHERE id = 202").fetchone()[0] < -0.5
