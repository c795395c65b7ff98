"""Sync through the real tweepy code path over HTTP against the sandbox simulator."""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from tweetdesk.errors import ConfigError, RateLimited, ServerError
from tweetdesk.sandbox.model import Fault
from tweetdesk.store.store import Store
from tweetdesk.values.times import from_iso, to_iso
from tweetdesk.x.account import ensure_account
from tweetdesk.x.credentials import Credentials
from tweetdesk.x.gateway import XClient
from tweetdesk.x.reach import SEARCH_WINDOW
from tweetdesk.x.sync import run_sync

from conftest import NOW, SANDBOX_KEYS, Sandbox


def sync(sandbox: Sandbox, store: Store, **kw: object) -> object:
    return run_sync(
        store,
        kw.pop("client", None) or sandbox.client(store),
        now=kw.pop("now", NOW),  # type: ignore[arg-type]
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


def test_first_sync_warns_when_it_reaches_the_800_cap(sandbox: Sandbox) -> None:
    sandbox.state.add_mentions(900, start=NOW - timedelta(hours=20), spacing=timedelta(minutes=1))
    store = Store.memory()
    report = sync(sandbox, store)
    assert stored(store) == 800
    assert report.warnings == [  # type: ignore[attr-defined]
        "the first sync reached X's limit of the 800 newest mentions; "
        "older ones within --since may be missing"
    ]


def test_gap_that_reaches_past_the_800_cap_warns(sandbox: Sandbox) -> None:
    sandbox.state.add_mentions(450, start=NOW - timedelta(hours=10), spacing=timedelta(minutes=1))
    sandbox.state.add_fault(Fault(match=mentions_path(sandbox), status=503, after=2, times=1))
    store = Store.memory()
    with pytest.raises(ServerError):
        sync(sandbox, store)
    # 500 newer mentions push the oldest 150 of the gap out of X's 800 newest.
    sandbox.state.add_mentions(500, start=NOW - timedelta(hours=2), spacing=timedelta(seconds=10))
    report = sync(sandbox, store)
    assert stored(store) == 800
    assert report.warnings == [  # type: ignore[attr-defined]
        "part of an interrupted sync reaches past X's 800-newest-mentions limit; "
        "its oldest mentions may be missing"
    ]


# --- recent search: X's 7-day window moves on ------------------------------------------------

QUERY = '"Acme Roasters"'


def later(sandbox: Sandbox, delta: timedelta) -> datetime:
    """Move the simulator's clock; the next sync runs at the same moment."""
    sandbox.state.advance(delta.total_seconds())
    now: datetime = sandbox.state.now()
    return now


def brand_talk(sandbox: Sandbox, when: datetime) -> None:
    sandbox.state.add_tweet("fan", "Acme Roasters makes a great flat white", created_at=when)


def search_statuses(sandbox: Sandbox) -> list[int]:
    return [e.status for e in sandbox.requests_to("/search/recent")]


def test_search_without_hits_keeps_working_as_the_window_moves(sandbox: Sandbox) -> None:
    store = Store.memory()
    sync(sandbox, store, queries=(QUERY,))
    now = later(sandbox, timedelta(minutes=5))
    brand_talk(sandbox, now - timedelta(minutes=1))
    report = sync(sandbox, store, queries=(QUERY,), now=now)
    assert search_statuses(sandbox) == [200, 200]
    assert stored(store) == 1
    start = sandbox.requests_to("/search/recent")[-1].query["start_time"][0]
    assert from_iso(start) >= now - SEARCH_WINDOW
    assert report.warnings == []  # type: ignore[attr-defined]


def test_since_id_that_left_the_window_is_dropped_without_loss(sandbox: Sandbox) -> None:
    brand_talk(sandbox, NOW - timedelta(days=6))
    store = Store.memory()
    sync(sandbox, store, queries=(QUERY,))
    now = later(sandbox, timedelta(days=2))  # the stored hit is 8 days old; last sync 2 days ago
    brand_talk(sandbox, now - timedelta(hours=1))
    report = sync(sandbox, store, queries=(QUERY,), now=now)
    assert search_statuses(sandbox) == [200, 200]
    assert "since_id" not in sandbox.requests_to("/search/recent")[-1].query
    assert stored(store) == 2
    assert report.warnings == []  # type: ignore[attr-defined]


def test_search_idle_for_more_than_7_days_warns_and_goes_on(sandbox: Sandbox) -> None:
    brand_talk(sandbox, NOW - timedelta(hours=1))
    store = Store.memory()
    sync(sandbox, store, queries=(QUERY,))
    now = later(sandbox, timedelta(days=8))
    brand_talk(sandbox, now - timedelta(hours=1))
    report = sync(sandbox, store, queries=(QUERY,), now=now)
    assert search_statuses(sandbox) == [200, 200]
    assert stored(store) == 2
    assert report.warnings == [  # type: ignore[attr-defined]
        f"search {QUERY!r}: recent search reaches back only 7 days and the last complete "
        "search sync was on 2026-11-23; brand talk older than 7 days may have been missed"
    ]


def test_interrupted_search_gap_is_cut_to_the_window(sandbox: Sandbox) -> None:
    for n in range(250):
        brand_talk(
            sandbox, NOW - timedelta(days=5, hours=12, minutes=7) + n * timedelta(minutes=30)
        )
    sandbox.state.add_fault(Fault(match="GET /2/tweets/search/recent", status=503, after=1))
    store = Store.memory()
    with pytest.raises(ServerError):
        sync(sandbox, store, queries=(QUERY,))
    assert stored(store) == 100
    now = later(sandbox, timedelta(days=3))
    report = sync(sandbox, store, queries=(QUERY,), now=now)
    assert search_statuses(sandbox)[-1] == 200 and 400 not in search_statuses(sandbox)
    oldest = to_iso(now - SEARCH_WINDOW)  # what X still finds
    reachable = [t for t in sandbox.state.data.newest_first() if t["created_at"] >= oldest]
    assert 100 < len(reachable) < 250
    assert stored(store) == len(reachable)
    assert report.warnings == [  # type: ignore[attr-defined]
        f"search {QUERY!r}: recent search reaches back only 7 days and an interrupted sync "
        "left a gap older than that; brand talk older than 7 days may have been missed"
    ]
    assert store.cursor(f"search:{QUERY}")["gaps"] == []  # type: ignore[index]


# --- the cached account follows the login ---------------------------------------------------


def login_as(sandbox: Sandbox, username: str, token: str) -> XClient:
    """`auth login` as `username`: the simulator now answers for that account, and the client
    signs with another access token."""
    state = sandbox.state
    user = state.data.users.get(state.data.names.get(username.lower(), ""))
    user = user or state.add_user(username, name=username.title())
    state.account = {k: user[k] for k in ("id", "username", "name")}
    creds = Credentials(*SANDBOX_KEYS.values(), source="test")
    creds = replace(creds, access_token=token)
    state.issued_tokens[token] = creds.access_token_secret  # as the PIN flow issues it
    return XClient(creds, sandbox.url, retries=0, sleep=lambda s: None)


def me_requests(sandbox: Sandbox) -> int:
    return len(sandbox.requests_to("/2/users/me"))


def test_login_as_another_account_is_noticed_before_syncing(sandbox: Sandbox) -> None:
    store = Store.memory()
    first = sandbox.state.account["username"]
    ensure_account(store, sandbox.client(store), None)  # e.g. a reply before any sync
    client = login_as(sandbox, "beanbar", "token-of-beanbar")
    mention = sandbox.state.add_tweet("sam", "@beanbar hello?", created_at=NOW)
    sync(sandbox, store, client=client)
    assert store.conn.execute("SELECT id FROM tweets").fetchall()[0][0] == int(mention["id"])
    assert store.get_meta("account").split("\t")[1] == "beanbar"  # type: ignore[union-attr]
    fingerprint = store.get_meta("account_login") or ""
    assert fingerprint and "token" not in fingerprint  # a digest, never the token
    asked = me_requests(sandbox)
    sync(sandbox, store, client=client)
    assert me_requests(sandbox) == asked  # same login: the cache answers
    again = login_as(sandbox, first, "a-fresh-token")  # the first account again
    with pytest.raises(
        ConfigError, match=f"holds @beanbar's mentions but the credentials are for @{first}"
    ):
        sync(sandbox, store, client=again)


def test_new_token_for_the_same_account_keeps_the_desk(sandbox: Sandbox) -> None:
    store = Store.memory()
    sandbox.state.add_tweet("sam", f"@{sandbox.state.account['username']} hi", created_at=NOW)
    sync(sandbox, store)
    client = login_as(sandbox, sandbox.state.account["username"], "renewed-token")
    before = me_requests(sandbox)
    sync(sandbox, store, client=client)
    assert me_requests(sandbox) == before + 1
    assert stored(store) == 1


# --- progress on stderr, on a terminal only -------------------------------------------------


class FakeTerminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("tty", "quiet", "shown"), [(True, False, True), (False, False, False), (True, True, False)]
)
def test_progress_is_shown_on_a_terminal_only(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tty: bool, quiet: bool, shown: bool
) -> None:
    from tweetdesk.output import console as render

    sandbox.state.add_mentions(3, start=NOW - timedelta(hours=1), spacing=timedelta(minutes=1))
    stderr = FakeTerminal(tty)
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setenv("TERM", "xterm")
    with render.sync_progress(enabled=not quiet) as progress:
        sync(sandbox, Store.memory(), progress=progress)
    assert ("syncing mentions 3" in stderr.getvalue()) is shown
    assert stderr.getvalue() == "" or shown
