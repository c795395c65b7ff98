"""Replies and DMs exactly once: queue -> send -> reconcile.

Every outgoing item is written (queued) before its request and marked `sending` in its own
committed transaction just before the POST. A crash, a timeout, a 5xx or an answer that is not
JSON after that point leaves the item `sending`: in doubt. Before any retry, an in-doubt reply
is looked for in the account's own timeline (a reply to that tweet with that text, not already
another item's, means it went out), looking again a few times, since X's timeline can lag a new
post by seconds. An in-doubt DM is looked for in **its conversation's** events (GET
/2/dm_conversations/:id/dm_events), never the account-wide /2/dm_events: that read has been seen
answering with no events seconds after a DM was sent, and X never refuses a duplicate DM, so a
miss there would DM the customer twice. A 403 duplicate-content answer is reconciled the same
way. Nothing is sent twice, and a post found this way is billed once.

A DM goes into a DM thread's conversation by its id (a `reply` on a DM thread), or to the
customer of a public thread (`dm`, which starts or continues their one-to-one conversation).
Either way our DM is stored at once as a message of that DM conversation's thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from tweetdesk.errors import (
    ApiError,
    ApiNotFound,
    DuplicateContent,
    NetworkError,
    RateLimited,
    ServerError,
)
from tweetdesk.store import dms, outbox, threads
from tweetdesk.store.account import Account
from tweetdesk.store.outbox import Item
from tweetdesk.store.store import Store
from tweetdesk.values.times import to_iso
from tweetdesk.values.xtext import same_text
from tweetdesk.x.ingest import dm_event_row, tweet_row
from tweetdesk.x.page import Page

AMBIGUOUS = (ServerError, NetworkError)  # NetworkError covers an answer that is not JSON
RECONCILE_PAGES = 5
# X's own timeline can miss a post for seconds after X took it: a reconcile that finds nothing
# looks again after these pauses (bounded: about 6 s in all) before anything is sent again.
RECONCILE_PAUSES = (2.0, 4.0)
RECONCILE_DM_PAGE = 10  # our DM is among a conversation's newest events; each one read is billed


class SendApi(Protocol):
    def create_tweet(self, text: str, in_reply_to: int | None = None) -> dict[str, Any]: ...
    def send_dm(self, participant_id: int, text: str) -> dict[str, Any]: ...
    def send_dm_into(self, conversation_id: str, text: str) -> dict[str, Any]: ...
    def own_tweets(self, user_id: int, **window: Any) -> Page: ...
    def conversation_dm_events(self, conversation_id: str, **window: Any) -> Page: ...
    def delete_tweet(self, tweet_id: int) -> bool: ...


class Delivery:
    """Sends outbox items to X exactly once, reconciling any item left in doubt."""

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

    def queue(
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
        return outbox.enqueue(
            self.store,
            self.now,
            kind,
            conversation_id,
            target,
            text,
            recipient=recipient,
            batch=batch,
        )

    def find(self, kind: str, target: int, text: str) -> Item | None:
        return outbox.find(self.store, kind, target, text)

    def _set(self, item: Item, state: str, **fields: Any) -> Item:
        return outbox.set_state(self.store, item, state, self.now, **fields)

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
            if dms.is_dm_key(item.conversation_id):
                data = self.api.send_dm_into(self._dm_conversation(item), item.text)
            else:
                assert item.recipient_id is not None
                data = self.api.send_dm(item.recipient_id, item.text)
            conversation = data.get("dm_conversation_id") or self._dm_conversation(item)
            return {
                "id": data["dm_event_id"],
                "text": item.text,
                "dm_conversation_id": conversation,
            }
        return self.api.create_tweet(item.text, in_reply_to=item.target_tweet_id)

    def _dm_conversation(self, item: Item) -> str:
        """X's id of the conversation a DM goes into: the DM thread's, or the one-to-one
        conversation with the public thread's customer."""
        if dms.is_dm_key(item.conversation_id):
            found = dms.conversation_id(self.store, item.conversation_id)
            assert found is not None, "a DM thread's key always has its conversation"
            return found
        assert item.recipient_id is not None
        return dms.one_to_one_id(self.account.id, item.recipient_id)

    def _sent(self, item: Item, posted: dict[str, Any], *, reconciled: bool = False) -> Item:
        with self.store.write():
            if reconciled:
                self._bill(item)
            item = self._set(item, "sent", remote_id=str(posted["id"]), sent_at=to_iso(self.now))
            if item.kind == "dm":
                self._store_own_dm(item, posted)
            else:
                self._store_own_tweet(item, posted)
        return item

    def _store_own_dm(self, item: Item, posted: dict[str, Any]) -> None:
        """Our DM answers its DM thread at once; the next sync brings X's own copy."""
        conversation = str(posted.get("dm_conversation_id") or self._dm_conversation(item))
        participant = dms.participant_of(conversation, self.account.id)
        key = dms.keys_for(self.store, {conversation: participant})[conversation]
        event = {
            "id": posted["id"],
            "text": posted.get("text", item.text),
            "sender_id": self.account.id,
            "created_at": posted.get("created_at") or to_iso(self.now),
        }
        row = dm_event_row(event, conversation=key, synced_at=to_iso(self.now))
        self.store.upsert_tweets([row])
        threads.refresh(self.store, [key], account_id=self.account.id, now=self.now)

    def _store_own_tweet(self, item: Item, posted: dict[str, Any]) -> None:
        """Our reply counts at once; the next sync of our timeline brings X's own copy."""
        tweet = {
            "id": posted["id"],
            "text": posted.get("text", item.text),
            "author_id": self.account.id,
            "conversation_id": item.conversation_id,
            "created_at": posted.get("created_at") or to_iso(self.now),
            "referenced_tweets": [{"type": "replied_to", "id": str(item.target_tweet_id)}],
        }
        self.store.upsert_tweets([tweet_row(tweet, found_via="own", synced_at=to_iso(self.now))])
        threads.refresh(
            self.store, [item.conversation_id], account_id=self.account.id, now=self.now
        )

    def delete(self, tweet_id: int) -> bool:
        return self.api.delete_tweet(tweet_id)

    def _bill(self, item: Item) -> None:
        """X charged for a post whose answer we never saw: put it in the ledger once found."""
        from tweetdesk.x.pricing import ledger_price

        body: dict[str, Any]
        if item.kind == "dm":
            where = ":id" if dms.is_dm_key(item.conversation_id) else "with/:id"
            endpoint, body = f"POST /2/dm_conversations/{where}/messages", {"text": item.text}
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
        found = self._find_reply(item)
        for pause in RECONCILE_PAUSES:
            if found is not None:
                break
            self.sleep(pause)  # X's timeline may not show the post yet
            found = self._find_reply(item)
        return found

    def _find_reply(self, item: Item) -> dict[str, Any] | None:
        """Our reply to the item's target with the item's text, not one another item owns."""
        token: str | None = None
        for _ in range(RECONCILE_PAGES):
            page = self.api.own_tweets(self.account.id, since_id=item.target_tweet_id, token=token)
            candidates = [t for t in page.tweets if _replies_to(t, item.target_tweet_id)]
            taken = outbox.claimed(self.store, [str(t["id"]) for t in candidates], item.id)
            for tweet in candidates:
                if str(tweet["id"]) not in taken and same_text(item.text, tweet["text"]):
                    return dict(tweet)
            if not page.next_token:
                return None
            token = page.next_token
        return None

    def _reconcile_dm(self, item: Item) -> dict[str, Any] | None:
        """Our DM with this text, newer than what it answers, in its conversation's events
        (which X keeps current), newest first."""
        conversation = self._dm_conversation(item)
        token: str | None = None
        for _ in range(RECONCILE_PAGES):
            try:
                page = self.api.conversation_dm_events(
                    conversation, max_results=RECONCILE_DM_PAGE, token=token
                )
            except ApiNotFound:  # no such conversation yet: nothing was sent into it
                return None
            for event in page.tweets:
                if int(event["id"]) <= item.target_tweet_id:
                    return None  # older than the message it answers: not ours
                if str(event.get("sender_id")) == str(self.account.id) and same_text(
                    item.text, str(event.get("text", ""))
                ):
                    return {**event, "dm_conversation_id": conversation}
            if not page.next_token or not page.tweets:
                return None
            token = page.next_token
        return None


def _replies_to(tweet: dict[str, Any], target: int) -> bool:
    refs = tweet.get("referenced_tweets") or ()
    return any(r.get("type") == "replied_to" and r.get("id") == str(target) for r in refs)
