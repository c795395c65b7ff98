"""Incremental sync: mentions, the account's own tweets, and each [listen] search query.

Each source keeps a cursor: `top_id` (newest id stored) and `gaps` ([since_id, until_id] ranges
still to fetch). A run fetches everything newer than `top_id`, then each gap, newest first. Each
page is stored together with the updated cursor and thread rows in one transaction, so a run
killed or rate-limited at any point keeps what it stored and the next run asks only for the
gap (`until_id`) and what is newer: nothing lost, nothing read (and paid for) twice.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from tweetdesk.errors import TweetdeskError
from tweetdesk.store import threads
from tweetdesk.store.account import Account
from tweetdesk.store.batch import many_commits
from tweetdesk.store.ledger import last_request_id, spent_after
from tweetdesk.store.store import Store
from tweetdesk.values.times import from_iso, to_iso
from tweetdesk.x.account import ensure_account, ensure_same_api
from tweetdesk.x.dm_sync import SOURCE as DM_SOURCE
from tweetdesk.x.dm_sync import DmSync
from tweetdesk.x.ingest import tweet_row, users_of
from tweetdesk.x.page import Page
from tweetdesk.x.reach import (
    SEARCH_MARGIN,
    SEARCH_WINDOW,
    Range,
    cap_warning,
    search_start,
    search_warning,
    within_search_window,
)
from tweetdesk.x.recent import QUOTED_POSTS, QUOTES_LABEL, quotes_query, search_fetch


class Api(Protocol):
    api_url: str  # the base URL every request goes to
    credentials_fingerprint: str  # one-way digest of the login (Credentials.fingerprint)

    def me(self) -> dict[str, Any]: ...
    def mentions(self, user_id: int, **window: Any) -> Page: ...
    def own_tweets(self, user_id: int, **window: Any) -> Page: ...
    def search(self, query: str, **window: Any) -> Page: ...
    def dm_events(self, **window: Any) -> Page: ...


@dataclass
class SyncReport:
    new_tweets: int = 0
    new_dms: int = 0
    pages: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


Progress = Callable[[str, int], None]


class Syncer:
    def __init__(
        self,
        store: Store,
        api: Api,
        account: Account,
        now: datetime,
        *,
        progress: Progress | None = None,
        before_page: Callable[..., None] | None = None,
    ) -> None:
        self.store = store
        self.api = api
        self.account = account
        self.now = now
        self.progress = progress or (lambda source, n: None)
        self.before_page = before_page or (lambda source, posts=0: None)
        self.report = SyncReport()

    def run(
        self, queries: tuple[str, ...], since: timedelta, *, dms: bool = False, quotes: bool = True
    ) -> SyncReport:
        """Every source, then the threads of what was stored (also when a source fails)."""
        uid = self.account.id
        try:
            self._source("mentions", lambda **w: self.api.mentions(uid, **w), "mention", since)
            self._source("own", lambda **w: self.api.own_tweets(uid, **w), "own", since)
            if quotes:
                self._quotes(since)
            for query in queries:
                window = min(since, SEARCH_WINDOW - SEARCH_MARGIN)
                fetch = self._search_fetch(query)
                self._source(f"search:{query}", fetch, "search", window, query=query)
            if dms:
                self._dms(since)
        finally:
            threads.refresh_pending(self.store, account_id=uid, now=self.now)
        return self.report

    def _dms(self, since: timedelta) -> None:
        walk = DmSync(
            self.store,
            self.api,
            self.account,
            self.now,
            progress=self.progress,
            before_page=self.before_page,
        )
        try:
            walk.run(since)
        finally:
            self.report.new_dms += walk.count.new
            self.report.pages += walk.count.pages
            self.report.by_source[DM_SOURCE] = walk.count.new
            self.report.warnings += walk.warnings

    def _quotes(self, since: timedelta) -> None:
        """Posts that quote one of the account's own posts without @mentioning it: X lets the
        app reply to them, but the mentions timeline is not known to list them, so one recent
        search asks for quotes of the newest posts (`quotes_of_tweet_id:`, as many as fit X's
        512-character query). An empty answer costs nothing but the request."""
        posts = self.store.own_posts(QUOTED_POSTS)
        if not posts:
            return
        query = quotes_query(posts)
        window = min(since, SEARCH_WINDOW - SEARCH_MARGIN)
        fetch = self._search_fetch(query, label=QUOTES_LABEL)
        self._source("quotes", fetch, "quote", window, query=QUOTES_LABEL)

    def _search_fetch(self, query: str, label: str | None = None) -> Callable[..., Page]:
        return search_fetch(self.api, query, self.now, self.report.warnings, label)

    def _source(
        self,
        source: str,
        fetch: Callable[..., Page],
        found_via: str,
        since: timedelta,
        query: str | None = None,
    ) -> None:
        cursor = self.store.cursor(source) or {}
        top: int | None = cursor.get("top_id")
        floor = cursor.get("floor") or to_iso(self.now - since)
        pending: list[Range] = [(top, None), *cursor.get("gaps", [])]
        if query is not None:
            last_ok = cursor.get("last_ok_at")
            pending, lost = within_search_window(pending, floor, last_ok, self.now)
            if lost:
                self.report.warnings.append(search_warning(query, lost))
            floor = max(floor, to_iso(search_start(self.now)))
        while pending:
            current = pending.pop(0)
            top = self._fetch_range(source, fetch, found_via, query, current, pending, top, floor)
        self.store.save_cursor(source, {"last_ok_at": to_iso(self.now)})

    def _fetch_range(
        self,
        source: str,
        fetch: Callable[..., Page],
        found_via: str,
        query: str | None,
        current: Range,
        pending: list[Range],
        top: int | None,
        floor: str,
    ) -> int | None:
        since_id, until_id = current
        window = {
            "since_id": since_id,
            "until_id": until_id,
            "start_time": from_iso(floor) if since_id is None else None,
        }
        token: str | None = None
        fetched = 0
        while True:
            self.before_page(source)
            page = fetch(token=token, **window)
            self.report.pages += 1
            fetched += len(page.tweets)
            if until_id is None and page.tweets and not token:
                top = max(top or 0, max(int(t["id"]) for t in page.tweets))
            rest: list[Range] = []
            if page.next_token and page.tweets:
                rest = [(since_id, min(int(t["id"]) for t in page.tweets))]
            self._store_page(source, page, found_via, query, top, rest + pending, floor)
            if not page.next_token or not page.tweets:
                break
            token = page.next_token
        self._warn_cap(source, current, fetched)
        return top

    def _store_page(
        self,
        source: str,
        page: Page,
        found_via: str,
        query: str | None,
        top: int | None,
        gaps: list[Range],
        floor: str,
    ) -> None:
        synced_at = to_iso(self.now)
        rows = [self._row(t, found_via, query, synced_at) for t in page.tweets]
        if found_via == "search":  # brand talk that quotes one of our posts can be answered
            ours = self.store.own_tweet_ids(r["quoted_id"] for r in rows if r["quoted_id"])
            for row in rows:
                if row["quoted_id"] in ours:
                    row["found_via"] = "quote"
        new = len(rows) - len(self.store.existing_tweet_ids(r["id"] for r in rows))
        with self.store.write():
            self.store.upsert_users(users_of(page.users, updated_at=synced_at))
            self.store.upsert_tweets(rows)
            self.store.save_cursor(
                source, {"top_id": top, "gaps": gaps, "floor": floor, "updated_at": synced_at}
            )
            threads.defer(self.store, (r["conversation_id"] for r in rows))
        self.report.new_tweets += new
        self.report.by_source[source] = self.report.by_source.get(source, 0) + new
        self.progress(source, len(rows))

    def _row(
        self, tweet: dict[str, Any], found_via: str, query: str | None, synced_at: str
    ) -> dict[str, Any]:
        own = str(tweet.get("author_id")) == str(self.account.id)
        return tweet_row(
            tweet, found_via="own" if own else found_via, synced_at=synced_at, query=query
        )

    def _warn_cap(self, source: str, current: Range, fetched: int) -> None:
        if source != "mentions":
            return
        above = functools.partial(self.store.count_newer, "mention")
        if warning := cap_warning(current, fetched, above):
            self.report.warnings.append(warning)


def run_sync(
    store: Store,
    api: Api,
    *,
    now: datetime,
    queries: tuple[str, ...],
    since: timedelta,
    handle: str | None = None,
    dms: bool = False,
    quotes: bool = True,
    progress: Progress | None = None,
    before_page: Callable[..., None] | None = None,
) -> SyncReport:
    """One sync run, recorded in sync_runs (ok, or failed with the error)."""
    run_id = store.start_run(to_iso(now))
    before = last_request_id(store)
    syncer: Syncer | None = None
    try:
        ensure_same_api(store, api.api_url)
        account = ensure_account(store, api, handle)
        syncer = Syncer(store, api, account, now, progress=progress, before_page=before_page)
        with many_commits(store):
            report = syncer.run(queries, since, dms=dms, quotes=quotes)
    except (TweetdeskError, KeyboardInterrupt) as exc:
        partial = syncer.report if syncer else SyncReport()
        error = str(exc) or type(exc).__name__
        warned = "\n".join(partial.warnings) or None  # kept: the next run may not repeat them
        _finish(
            store, run_id, before, now, "failed", partial.new_tweets, error=error, warnings=warned
        )
        raise
    warnings = "\n".join(report.warnings) or None
    _finish(store, run_id, before, now, "ok", report.new_tweets, warnings=warnings)
    return report


def _finish(
    store: Store,
    run_id: int,
    before: int,
    now: datetime,
    status: str,
    new_tweets: int,
    **more: str | None,
) -> None:
    """Close the run with the requests it made: the ledger rows added since it started
    (failed requests and retries included, as X counts them)."""
    requests, _ = spent_after(store, before, {})
    fields = {"finished_at": to_iso(now), "status": status, "new_tweets": new_tweets}
    store.finish_run(run_id, {**fields, "requests": requests, **more})
