"""Incremental sync of the account's DMs (GET /2/dm_events, MessageCreate only).

X's DM read has no since_id or until_id: it pages newest first with a pagination token and
reaches back 30 days, and bills every event it returns ($0.010) within 15 requests per 15
minutes. So the cursor `dms` keeps `top_id`, the newest event a sync stored, and a walk stops
at the first event at or below it. The first page after that asks for one event: a sync with
nothing new reads exactly one (the newest, already stored). When it is new, each further page
asks for twice as many (1, 2, 4, ... 100): never more than about twice the new events are read,
in a handful of requests. A first sync reads whole pages back to its floor (`--since`, at most
30 days).

Each page is stored with the cursor in one transaction. A walk cut short (killed, rate-limited,
the budget) leaves a gap `[since_id, until_id, token]`: the events between the last stored
`top_id` and the oldest event stored, and X's token for the page after it. The next sync walks
what is newer than its new top, then resumes each gap from its token (X's tokens are cursors, so
new events do not shift them); a token X no longer takes starts that gap again from the newest,
reading past what is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from tweetdesk.errors import ApiError, Forbidden
from tweetdesk.store import dms, threads
from tweetdesk.store.account import Account
from tweetdesk.store.store import Store
from tweetdesk.values.times import to_iso
from tweetdesk.x.ingest import dm_event_row, users_of
from tweetdesk.x.page import Page

SOURCE = "dms"
WINDOW = timedelta(days=30)  # "Events from up to 30 days ago are available" (X's DM docs)
FIRST_PAGE = 1  # max_results is 1..100: the fewest events a read can return
FULL_PAGE = 100
Gap = tuple[int | None, int | None, str | None]  # since_id, until_id (exclusive), token


class DmApi(Protocol):
    def dm_events(self, **window: Any) -> Page: ...


@dataclass
class DmCount:
    new: int = 0
    pages: int = 0


class DmSync:
    """One sync's walk over the account's DM events (see the module's docstring)."""

    def __init__(
        self,
        store: Store,
        api: DmApi,
        account: Account,
        now: datetime,
        *,
        progress: Callable[[str, int], None],
        before_page: Callable[..., None],
    ) -> None:
        self.store = store
        self.api = api
        self.account = account
        self.now = now
        self.progress = progress
        self.before_page = before_page
        self.count = DmCount()
        self.warnings: list[str] = []

    def run(self, since: timedelta) -> DmCount:
        cursor = self.store.cursor(SOURCE) or {}
        oldest = to_iso(self.now - WINDOW)
        floor = max(cursor.get("floor") or to_iso(self.now - min(since, WINDOW)), oldest)
        top: int | None = cursor.get("top_id")
        last_ok = cursor.get("last_ok_at")
        if top is not None and last_ok is not None and last_ok < oldest:
            self.warnings.append(
                "DMs: the last complete DM sync is more than 30 days old, and X keeps DM events "
                "only 30 days: older DMs may have been missed"
            )
        pending: list[Gap] = [(top, None, None), *(_gap(g) for g in cursor.get("gaps", []))]
        try:
            while pending:
                top = self._walk(pending.pop(0), pending, top, floor)
        except Forbidden as exc:
            self.warnings.append(
                f"DMs not synced: {exc} (the app needs the Direct message permission; "
                "or set [dms] sync = false)"
            )
            return self.count
        self.store.save_cursor(SOURCE, {"last_ok_at": to_iso(self.now)})
        return self.count

    def _walk(self, gap: Gap, pending: list[Gap], top: int | None, floor: str) -> int | None:
        since_id, until_id, token = gap
        size = FULL_PAGE if since_id is None else FIRST_PAGE
        while True:
            self.before_page(SOURCE, size)
            try:
                page = self.api.dm_events(max_results=size, token=token)
            except ApiError as exc:
                if token is None or exc.status != 400:
                    raise
                token, size = None, FIRST_PAGE  # X refused an old token: from the newest again
                continue
            self.count.pages += 1
            ids = [int(e["id"]) for e in page.tweets]
            if until_id is None and token is None and ids:
                top = max(top or 0, max(ids))
            keep = [
                e
                for e in page.tweets
                if (since_id is None or int(e["id"]) > since_id)
                and (until_id is None or int(e["id"]) < until_id)
                and str(e.get("created_at") or "9") >= floor
            ]
            ended = not page.next_token or not ids or len(keep) < _below(ids, until_id)
            rest: list[Gap] = [] if ended else [(since_id, min(ids), page.next_token)]
            self._store_page(page, keep, top, rest + pending, floor)
            if ended:
                return top
            token = page.next_token
            size = min(size * 2, FULL_PAGE)

    def _store_page(
        self, page: Page, events: list[dict[str, Any]], top: int | None, gaps: list[Gap], floor: str
    ) -> None:
        synced_at = to_iso(self.now)
        account_id = self.account.id
        convs = {
            str(e["dm_conversation_id"]): dms.participant_of(
                str(e["dm_conversation_id"]), account_id
            )
            for e in events
            if e.get("dm_conversation_id")
        }
        with self.store.write():
            keys = dms.keys_for(self.store, convs)
            rows = [
                dm_event_row(
                    e, conversation=keys[str(e["dm_conversation_id"])], synced_at=synced_at
                )
                for e in events
                if e.get("dm_conversation_id")
            ]
            new = len(rows) - len(self.store.existing_tweet_ids(r["id"] for r in rows))
            self.store.upsert_users(users_of(page.users, updated_at=synced_at))
            self.store.upsert_tweets(rows)
            self.store.save_cursor(
                SOURCE, {"top_id": top, "gaps": gaps, "floor": floor, "updated_at": synced_at}
            )
            threads.refresh(self.store, set(keys.values()), account_id=account_id, now=self.now)
        self.count.new += new
        self.progress(SOURCE, len(rows))


def _below(ids: list[int], until_id: int | None) -> int:
    """How many of a page's events lie below the gap's upper bound (all, for no bound)."""
    return sum(1 for i in ids if until_id is None or i < until_id)


def _gap(raw: tuple[Any, ...]) -> Gap:
    since_id, until_id, token = [*raw, None, None, None][:3]
    return since_id, until_id, token
