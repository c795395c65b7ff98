"""Sync through the real tweepy code path over HTTP against the sandbox simulator."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tweetdesk.db import Store
from tweetdesk.errors import RateLimited, ServerError
from tweetdesk.sandbox import Fault
from tweetdesk.sync import run_sync

from conftest import NOW, Sandbox


def sync(sandbox: Sandbox, store: Store, **kw: object) -> object:
    return run_sync(
        store,
        sandbox.client(store),
        now=NOW,
        queries=kw.pop("queries", ()),  # type: ignore[arg-type]
        since=timedelta(days=7),
        **kw,  # type: ignore[arg-type]
    )


def mention_requests(sandbox: Sandbox) -> list[object]:
    return sandbox.requests_to("/mentions")


def mentions_path(sandbox: Sandbox) -> str:
    return f"GET /2/users/{sandbox.state.account['id']}/mentions"


def stored(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM tweets").fetchone()[0])


def test_450_mentions_in_5_requests_then_one_with_since_id(sandbox: Sandbox) -> None:
    ids = sandbox.state.add_mentions(
        450, start=NOW - timedelta(hours=10), spacing=timedelta(minutes=1)
    )
    store = Store.memory()
    report = sync(sandbox, store)
    assert len(mention_requests(sandbox)) == 5
    assert stored(store) == 450
    assert report.new_tweets == 450  # type: ignore[attr-defined]
    before = len(sandbox.state.exchanges)
    sync(sandbox, store)
    again = mention_requests(sandbox)
    assert len(again) == 6
    newest = max(int(i) for i in ids)
    assert again[-1].query["since_id"] == [str(newest)]
    # one request per source when nothing is new: mentions + own timeline
    assert len(sandbox.state.exchanges) - before == 2


def test_first_sync_reaches_back_since(sandbox: Sandbox) -> None:
    sandbox.state.add_mentions(3, start=NOW - timedelta(days=9), spacing=timedelta(days=1))
    store = Store.memory()
    sync(sandbox, store)
    assert stored(store) == 1  # only the one inside the 7-day window
    assert "start_time" in mention_requests(sandbox)[0].query


def test_interrupted_sync_keeps_pages_and_fetches_only_the_gap(sandbox: Sandbox) -> None:
    sandbox.state.add_mentions(450, start=NOW - timedelta(hours=10), spacing=timedelta(minutes=1))
    # Two pages go through, then X fails on every retry.
    sandbox.state.add_fault(Fault(match=mentions_path(sandbox), status=503, after=2, times=1))
    store = Store.memory()
    with pytest.raises(ServerError):
        sync(sandbox, store)
    assert stored(store) == 200
    cursor = store.cursor("mentions")
    assert cursor is not None and len(cursor["gaps"]) == 1
    # New mentions arrive meanwhile.
    sandbox.state.add_mentions(20, start=NOW - timedelta(minutes=30), spacing=timedelta(seconds=30))
    sync(sandbox, store)
    assert stored(store) == 470
    pages = [e for e in mention_requests(sandbox) if e.status == 200]
    returned = sum(len(e.response_body.get("data", [])) for e in pages)
    assert returned == 470  # nothing read (and paid for) twice
    gap_requests = [e for e in pages if "until_id" in e.query]
    assert gap_requests, "the gap is fetched with until_id"
    assert store.cursor("mentions")["gaps"] == []  # type: ignore[index]


def test_rate_limited_sync_keeps_what_it_stored(sandbox: Sandbox) -> None:
    sandbox.state.add_mentions(250, start=NOW - timedelta(hours=5), spacing=timedelta(minutes=1))
    sandbox.state.add_fault(Fault(match=mentions_path(sandbox), status=429, after=1, reset_in=600))
    store = Store.memory()
    with pytest.raises(RateLimited) as err:
        sync(sandbox, store)
    assert err.value.reset_at is not None
    assert "retry after" in str(err.value)
    assert stored(store) == 100
    sync(sandbox, store)
    assert stored(store) == 250
    last = store.last_sync("failed")
    assert last is not None and "rate-limited" in last["error"]


def test_phone_reply_answers_the_thread(sandbox: Sandbox) -> None:
    state = sandbox.state
    customer = state.add_tweet(
        "sam",
        f"@{state.account['username']} where is my order?",
        created_at=NOW - timedelta(hours=1),
    )
    state.add_tweet(
        state.account["username"],
        "@sam it's out for delivery today!",
        created_at=NOW - timedelta(minutes=50),
        in_reply_to=customer["id"],
        source="Twitter for iPhone",
    )
    store = Store.memory()
    sync(sandbox, store)
    row = store.conn.execute("SELECT status, first_response_at FROM threads").fetchone()
    assert row["status"] == "replied"
    assert row["first_response_at"] is not None


def test_brand_talk_from_search_is_a_search_thread(sandbox: Sandbox) -> None:
    sandbox.state.add_tweet(
        "fan", "Best flat white in town is at Acme Roasters", created_at=NOW - timedelta(hours=2)
    )
    store = Store.memory()
    sync(sandbox, store, queries=('"Acme Roasters"',))
    row = store.conn.execute("SELECT source, status FROM threads").fetchone()
    assert row["source"] == "search"
    assert row["status"] == "open"
    search = sandbox.requests_to("/search/recent")
    assert (
        search and "next_token" not in search[0].query and search[0].query["max_results"] == ["100"]
    )


def test_mentions_cap_warns(sandbox: Sandbox) -> None:
    sandbox.state.add_mentions(10, start=NOW - timedelta(hours=30), spacing=timedelta(minutes=1))
    store = Store.memory()
    sync(sandbox, store)
    sandbox.state.add_mentions(900, start=NOW - timedelta(hours=20), spacing=timedelta(minutes=1))
    report = sync(sandbox, store)
    assert any("800 newest" in w for w in report.warnings)  # type: ignore[attr-defined]
