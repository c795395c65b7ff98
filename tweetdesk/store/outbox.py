"""The outbox table: every outgoing reply, note and DM, written before its request.

An item moves queued -> sending -> sent | failed (undone after `undo`). Items are keyed by
(kind, target tweet, text): queuing the same text to the same tweet again returns the first item,
which is what makes a rerun send only what is missing. A row left `sending` is in doubt;
`x.delivery` reconciles it against X before any retry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tweetdesk.store.store import Store
from tweetdesk.values.times import to_iso


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
    sent_at: str | None = None  # ISO 8601 UTC, once X took it


def _item(row: Any) -> Item:
    return Item(**{k: row[k] for k in Item.__dataclass_fields__})


def find(store: Store, kind: str, target: int, text: str) -> Item | None:
    """The newest item (not undone) of this kind with this text to this tweet."""
    row = store.conn.execute(
        "SELECT * FROM outbox WHERE kind = ? AND target_tweet_id = ? AND text = ? "
        "AND state != 'undone' ORDER BY id DESC LIMIT 1",
        (kind, target, text),
    ).fetchone()
    return None if row is None else _item(row)


def enqueue(
    store: Store,
    now: datetime,
    kind: str,
    conversation_id: int,
    target: int,
    text: str,
    *,
    recipient: int | None = None,
    batch: str | None = None,
) -> Item:
    """The existing item for the same kind, target and text, or a new queued one."""
    existing = find(store, kind, target, text)
    if existing is not None:
        return existing
    stamp = to_iso(now)
    with store.write() as conn:
        cur = conn.execute(
            "INSERT INTO outbox (kind, conversation_id, target_tweet_id, recipient_id, text, "
            "state, batch, attempts, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, 'queued', ?, 0, ?, ?)",
            (kind, conversation_id, target, recipient, text, batch, stamp, stamp),
        )
    return get(store, int(cur.lastrowid or 0))


def get(store: Store, item_id: int) -> Item:
    row = store.conn.execute("SELECT * FROM outbox WHERE id = ?", (item_id,)).fetchone()
    return _item(row)


def set_state(store: Store, item: Item, state: str, now: datetime, **fields: Any) -> Item:
    """Move an item to `state` (committed at once: a crash after it leaves the state behind)."""
    values = {"state": state, "updated_at": to_iso(now), **fields}
    sets = ", ".join(f"{k} = ?" for k in values)
    with store.write() as conn:
        conn.execute(f"UPDATE outbox SET {sets} WHERE id = ?", (*values.values(), item.id))
    return get(store, item.id)


def replies_to(store: Store, tweet_id: int) -> list[str]:
    """Texts of the replies tweetdesk sent (or may have sent: in doubt) to a tweet."""
    rows = store.conn.execute(
        "SELECT text FROM outbox WHERE kind = 'reply' AND target_tweet_id = ? "
        "AND state IN ('sent', 'sending')",
        (tweet_id,),
    )
    return [r[0] for r in rows]


def claimed(store: Store, remote_ids: list[str], except_item: int) -> set[str]:
    """Those of these X post ids that another outbox item already stands for: reconciling an
    item must not take a post that answered another one."""
    if not remote_ids:
        return set()
    marks = ", ".join("?" for _ in remote_ids)
    rows = store.conn.execute(
        f"SELECT remote_id FROM outbox WHERE remote_id IN ({marks}) AND id != ?",
        (*remote_ids, except_item),
    )
    return {r[0] for r in rows}


def public_post(store: Store, remote_id: str) -> Item | None:
    """The reply or note X knows by this tweet id (DMs are not public posts)."""
    row = store.conn.execute(
        "SELECT * FROM outbox WHERE remote_id = ? AND kind != 'dm'", (remote_id,)
    ).fetchone()
    return None if row is None else _item(row)


def last_public_post(store: Store, conversation_id: int) -> Item | None:
    """The newest reply or note tweetdesk sent in a thread (what `undo N` deletes)."""
    row = store.conn.execute(
        "SELECT * FROM outbox WHERE conversation_id = ? AND kind != 'dm' AND state = 'sent' "
        "ORDER BY sent_at DESC, id DESC LIMIT 1",
        (conversation_id,),
    ).fetchone()
    return None if row is None else _item(row)


def undone(store: Store, item: Item, now: datetime) -> None:
    """A deleted post: gone from the stored tweets, `undone` in the outbox (one transaction
    with the caller's thread refresh)."""
    with store.write() as conn:
        conn.execute("DELETE FROM tweets WHERE id = ?", (int(item.remote_id or 0),))
        conn.execute(
            "UPDATE outbox SET state = 'undone', updated_at = ? WHERE id = ?",
            (to_iso(now), item.id),
        )
