"""Replies and DMs exactly once: queue -> send -> reconcile.

Every outgoing item is written (queued) before its request and marked `sending` in its own
committed transaction just before the POST. A crash, a timeout or a 5xx after that point leaves
the item `sending`: in doubt. Before any retry, an in-doubt reply is looked for in the account's
own timeline (a reply to that tweet with that text means it went out); an in-doubt DM in the DM
events. A 403 duplicate-content answer is reconciled the same way. Nothing is sent twice.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from tweetdesk import threads
from tweetdesk.db import Store
from tweetdesk.errors import (
    ApiError,
    DuplicateContent,
    NetworkError,
    RateLimited,
    ServerError,
)
from tweetdesk.ingest import tweet_row
from tweetdesk.sync import Account
from tweetdesk.timeutil import to_iso
from tweetdesk.twitter import Page

AMBIGUOUS = (ServerError, NetworkError)
RECONCILE_PAGES = 5


class SendApi(Protocol):
    def create_tweet(self, text: str, in_reply_to: int | None = None) -> dict[str, Any]: ...
    def send_dm(self, participant_id: int, text: str) -> dict[str, Any]: ...
    def own_tweets(self, user_id: int, **window: Any) -> Page: ...
    def dm_events(self, **window: Any) -> Page: ...
    def delete_tweet(self, tweet_id: int) -> bool: ...


@dataclass
class Item:
    id: int
    kind: str  # reply | note | dm
    conversation_id: int
    target_tweet_id: int
    recipient_id: int | None
    text: str
    state: str  # queued | sending | sent | failed | undone
    attempts: int
    remote_id: str | None
    error: str | None
    batch: str | None


def _item(row: Any) -> Item:
    return Item(**{k: row[k] for k in Item.__dataclass_fields__})


def same_text(sent: str, seen: str) -> bool:
    """Compare what a person would read: X HTML-escapes &, < and >, wraps links in t.co, and
    puts the replied-to @handles in front of a reply's text."""

    def norm(text: str) -> str:
        text = re.sub(r"^(?:@\w+\s+)+", "", html.unescape(text).lstrip())
        text = re.sub(r"https?://\S+", "<url>", text)
        return " ".join(text.split())

    return norm(sent) == norm(seen)


def replies_to(store: Any, tweet_id: int) -> list[str]:
    """Texts of the replies tweetdesk sent (or may have sent: in doubt) to a tweet."""
    rows = store.conn.execute(
        "SELECT text FROM outbox WHERE kind = 'reply' AND target_tweet_id = ? "
        "AND state IN ('sent', 'sending')",
        (tweet_id,),
    )
    return [r[0] for r in rows]


class Outbox:
    def __init__(
        self,
        store: Store,
        api: SendApi,
        account: Account,
        now: datetime,
        *,
        retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.api = api
        self.account = account
        self.now = now
        self.retries = retries
        self.sleep = sleep

    # --- queue ----------------------------------------------------------------------------

    def find(self, kind: str, target: int, text: str) -> Item | None:
        row = self.store.conn.execute(
            "SELECT * FROM outbox WHERE kind = ? AND target_tweet_id = ? AND text = ? "
            "AND state != 'undone' ORDER BY id DESC LIMIT 1",
            (kind, target, text),
        ).fetchone()
        return None if row is None else _item(row)

    def enqueue(
        self,
        kind: str,
        conversation_id: int,
        target: int,
        text: str,
        *,
        recipient: int | None = None,
        batch: str | None = None,
    ) -> Item:
        """The existing item for the same kind, target and text, or a new queued one."""
        existing = self.find(kind, target, text)
        if existing is not None:
            return existing
        stamp = to_iso(self.now)
        with self.store.write() as conn:
            cur = conn.execute(
                "INSERT INTO outbox (kind, conversation_id, target_tweet_id, recipient_id, text, "
                "state, batch, attempts, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, 'queued', ?, 0, ?, ?)",
                (kind, conversation_id, target, recipient, text, batch, stamp, stamp),
            )
        return self.get(int(cur.lastrowid or 0))

    def get(self, item_id: int) -> Item:
        row = self.store.conn.execute("SELECT * FROM outbox WHERE id = ?", (item_id,)).fetchone()
        return _item(row)

    def _set(self, item: Item, state: str, **fields: Any) -> Item:
        values = {"state": state, "updated_at": to_iso(self.now), **fields}
        sets = ", ".join(f"{k} = ?" for k in values)
        with self.store.write() as conn:
            conn.execute(
                f"UPDATE outbox SET {sets} WHERE id = ?",
                (*values.values(), item.id),
            )
        return self.get(item.id)

    # --- send -----------------------------------------------------------------------------

    def deliver(self, item: Item) -> Item:
        """Send once. Returns the item `sent`; raises on refusal or lasting doubt."""
        last: ApiError | None = None
        for attempt in range(self.retries + 1):
            if item.state == "sent":
                return item
            if item.state == "sending":
                found = self.reconcile(item)
                if found is not None:
                    return self._sent(item, found, reconciled=True)
            if attempt:
                self.sleep(min(0.5 * 2 ** (attempt - 1), 8.0))
            item = self._set(item, "sending", attempts=item.attempts + 1)
            try:
                return self._sent(item, self._post(item))
            except DuplicateContent as exc:
                found = self.reconcile(item)
                if found is not None:
                    return self._sent(item, found, reconciled=True)
                self._set(item, "failed", error=str(exc))
                raise
            except RateLimited:
                self._set(item, "queued")  # a 429 means X did not take it
                raise
            except AMBIGUOUS as exc:
                last = exc
            except ApiError as exc:
                self._set(item, "failed", error=str(exc))
                raise
        assert last is not None
        raise type(last)(
            f"{last} — X did not confirm the {item.kind} after {self.retries + 1} tries, so it "
            "may or may not have gone out; run the same command again: tweetdesk checks the "
            "account's timeline before sending again",
            status=last.status,
        )

    def _post(self, item: Item) -> dict[str, Any]:
        if item.kind == "dm":
            assert item.recipient_id is not None
            data = self.api.send_dm(item.recipient_id, item.text)
            return {"id": data["dm_event_id"], "text": item.text}
        return self.api.create_tweet(item.text, in_reply_to=item.target_tweet_id)

    def _sent(self, item: Item, posted: dict[str, Any], *, reconciled: bool = False) -> Item:
        with self.store.write():
            if reconciled:
                self._bill(item)
            item = self._set(item, "sent", remote_id=str(posted["id"]), sent_at=to_iso(self.now))
            if item.kind != "dm":
                self._store_own_tweet(item, posted)
        return item

    def _store_own_tweet(self, item: Item, posted: dict[str, Any]) -> None:
        """Our reply counts at once; the next sync of our timeline brings X's own copy."""
        tweet = {
            "id": posted["id"],
            "text": posted.get("text", item.text),
            "author_id": self.account.id,
            "conversation_id": item.conversation_id,
            "created_at": posted.get("created_at") or to_iso(self.now),
            "referenced_tweets": [{"type": "replied_to", "id": str(item.target_tweet_id)}],
            "source": posted.get("source", "tweetdesk"),
        }
        self.store.upsert_tweets([tweet_row(tweet, found_via="own", synced_at=to_iso(self.now))])
        threads.refresh(
            self.store, [item.conversation_id], account_id=self.account.id, now=self.now
        )

    def delete(self, tweet_id: int) -> bool:
        return self.api.delete_tweet(tweet_id)

    def _bill(self, item: Item) -> None:
        """X charged for a post whose answer we never saw: put it in the ledger once found."""
        from tweetdesk.twitter import ledger_price

        body: dict[str, Any]
        if item.kind == "dm":
            endpoint, body = "POST /2/dm_conversations/with/:id/messages", {"text": item.text}
        else:
            endpoint = "POST /2/tweets"
            body = {"text": item.text, "reply": {"in_reply_to_tweet_id": str(item.target_tweet_id)}}
        price_key, units = ledger_price(endpoint, body, 1)
        self.store.record_request(
            {
                "at": to_iso(self.now),
                "method": "POST",
                "endpoint": f"{endpoint} (reconciled)",
                "status": 201,
                "posts": 0,
                "price_key": price_key,
                "units": units,
            }
        )

    # --- reconcile ------------------------------------------------------------------------

    def reconcile(self, item: Item) -> dict[str, Any] | None:
        """Did an in-doubt item go out? Look for it where X shows it."""
        if item.kind == "dm":
            return self._reconcile_dm(item)
        token: str | None = None
        for _ in range(RECONCILE_PAGES):
            page = self.api.own_tweets(self.account.id, since_id=item.target_tweet_id, token=token)
            for tweet in page.tweets:
                replied = [
                    r.get("id")
                    for r in tweet.get("referenced_tweets") or ()
                    if r.get("type") == "replied_to"
                ]
                if str(item.target_tweet_id) in replied and same_text(item.text, tweet["text"]):
                    return dict(tweet)
            if not page.next_token:
                return None
            token = page.next_token
        return None

    def _reconcile_dm(self, item: Item) -> dict[str, Any] | None:
        page = self.api.dm_events()
        for event in page.tweets:
            between = str(event.get("dm_conversation_id", "")).split("-")
            if (
                str(event.get("sender_id")) == str(self.account.id)
                and str(item.recipient_id) in between
                and same_text(item.text, str(event.get("text", "")))
            ):
                return {"id": event["id"], "text": event.get("text")}
        return None
