"""A sync does only the work that is needed: each touched thread derived once, at its end;
unchanged rows not rewritten; a killed sync's threads derived by the next command."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tweetdesk.store import threads
from tweetdesk.store.store import Store
from tweetdesk.x.ingest import tweet_row, user_row
from tweetdesk.x.sync import run_sync

from conftest import NOW, Sandbox, cli


def test_a_sync_derives_each_touched_thread_once(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """250 mentions (three pages) and our replies to 120 of them (two pages of the own
    timeline): each conversation is derived once, not once per page it is on."""
    state = sandbox.state
    handle = state.account["username"]
    ids = state.add_mentions(250, start=NOW - timedelta(hours=5), spacing=timedelta(minutes=1))
    for k, tweet_id in enumerate(ids[:120]):
        state.add_tweet(
            handle, "@c thanks!", created_at=NOW - timedelta(minutes=200 - k), in_reply_to=tweet_id
        )
    derived: list[int] = []
    plain = threads.derive_thread

    def counted(*args: Any, **kwargs: Any) -> Any:
        derived.append(1)
        return plain(*args, **kwargs)

    monkeypatch.setattr(threads, "derive_thread", counted)
    store = Store.memory()
    run_sync(store, sandbox.client(store), now=NOW, queries=(), since=timedelta(days=7))
    assert len(derived) == 250
    statuses = dict(store.conn.execute("SELECT status, count(*) FROM threads GROUP BY status"))
    assert statuses == {"replied": 120, "open": 130}
    assert not threads.has_pending(store)


def test_a_killed_sync_leaves_its_threads_to_the_next_command(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a page stored is kept even when the sync dies before deriving its threads."""
    from deskdata import DeskData

    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    data = DeskData(isolated / "desk.db", NOW)
    data.user(10, "kim")
    api = {
        "id": "77",
        "text": "@acme hello?",
        "author_id": "10",
        "conversation_id": "77",
        "created_at": "2026-11-23T08:50:00.000Z",
    }
    with data.store.write():  # what a page's transaction stores, then the process is killed
        data.store.upsert_tweets([tweet_row(api, found_via="mention", synced_at="x")])
        threads.defer(data.store, [77])
    data.store.close()
    listed = json.loads(cli("inbox", "--json").stdout)
    assert [(t["author"], t["status"]) for t in listed] == [("kim", "open")]
    assert not threads.has_pending(Store(isolated / "desk.db"))


def test_unchanged_rows_are_not_written_again() -> None:
    store = Store.memory()
    user = user_row({"id": "10", "username": "bob", "name": "Bob"}, updated_at="t1")
    tweet = tweet_row(
        {"id": "5", "text": "@acme hi", "author_id": "10", "created_at": "2026-11-23T08:40:00Z"},
        found_via="mention",
        synced_at="t1",
    )
    store.upsert_users([user])
    store.upsert_tweets([tweet])
    threads.refresh(store, [5], account_id=1, now=NOW)
    before = store.conn.total_changes
    store.upsert_users([{**user, "updated_at": "t2"}])
    store.upsert_tweets([{**tweet, "synced_at": "t2"}])
    threads.refresh(store, [5], account_id=1, now=NOW + timedelta(minutes=5))
    assert store.conn.total_changes == before  # X sent the same: nothing rewritten
    store.upsert_users([{**user, "name": "Bobby", "updated_at": "t3"}])
    assert store.conn.total_changes == before + 1
    assert tuple(store.conn.execute("SELECT name, updated_at FROM users").fetchone()) == (
        "Bobby",
        "t3",
    )


def test_proxy_settings_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """requests would look them up in the environment again for every page."""
    from tweetdesk.x.credentials import Credentials
    from tweetdesk.x.gateway import XClient

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost")
    creds = Credentials("k", "s", "t", "ts", source="test")
    session = XClient(creds, "https://api.x.com").client.session
    assert session.trust_env is False
    assert session.proxies.get("https") == "http://proxy.example:3128"
    assert XClient(creds, "http://localhost:8000").client.session.proxies == {}


def test_a_sync_copies_the_wal_into_the_database_less_often(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """Each copy (checkpoint) waits for two fsyncs: every 10,000 pages during a run, not 1,000."""
    sandbox.state.add_mentions(120, start=NOW - timedelta(hours=3), spacing=timedelta(minutes=1))
    store = Store(tmp_path / "d.db")
    during: list[int] = []

    def page(source: str) -> None:
        during.append(store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])

    run_sync(
        store, sandbox.client(store), now=NOW, queries=(), since=timedelta(days=7), before_page=page
    )
    assert set(during) == {10_000}
    assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1_000
