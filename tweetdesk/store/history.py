"""Reads over the stored history for reports: the threads of a period, the threads that may have
gone stale in it, and one user's tweets (evidence).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from tweetdesk.store.store import Store
from tweetdesk.values.times import to_iso

_THREADS_SQL = """
SELECT th.conversation_id, th.source, th.first_customer_at, th.first_response_at,
       t.text, t.hashtags
FROM threads th JOIN tweets t ON t.id = th.tweet_id
WHERE th.status != 'muted' AND th.first_customer_at >= ? AND th.first_customer_at <= ?
"""
# Candidates: a stale mark recorded in the period, or a wait long enough to be stale by now.
_STALE_SQL = """
SELECT th.conversation_id, th.status, th.waiting_since, th.snooze_until, th.source,
       t.text, t.hashtags,
       EXISTS (SELECT 1 FROM marks m WHERE m.conversation_id = th.conversation_id
               AND m.kind = 'stale' AND m.at >= :start AND m.at <= :now) AS marked
FROM threads th JOIN tweets t ON t.id = th.tweet_id
WHERE th.status != 'muted' AND (
    th.conversation_id IN (SELECT conversation_id FROM marks
                           WHERE kind = 'stale' AND at >= :start AND at <= :now)
    OR (th.status IN ('open', 'snoozed') AND th.waiting_since < :stale_since))
"""


def period_threads(store: Store, start: datetime, now: datetime) -> Iterator[Any]:
    """Threads (not muted) whose first customer tweet falls in [start, now]."""
    yield from store.conn.execute(_THREADS_SQL, (to_iso(start), to_iso(now)))


def stale_candidates(
    store: Store, start: datetime, now: datetime, stale_since: datetime
) -> Iterator[Any]:
    """Threads marked stale in the period, or waiting since before `stale_since`."""
    params = {"start": to_iso(start), "now": to_iso(now), "stale_since": to_iso(stale_since)}
    yield from store.conn.execute(_STALE_SQL, params)


def find_user(store: Store, user: str) -> Any:
    """A user by @username (case-insensitive), or by numeric user id as a fallback; None."""
    name = user.strip().removeprefix("@")
    row = store.conn.execute(
        "SELECT id, username, name FROM users WHERE username = ? COLLATE NOCASE", (name,)
    ).fetchone()
    if row is None and name.isdigit():
        row = store.conn.execute(
            "SELECT id, username, name FROM users WHERE id = ?", (int(name),)
        ).fetchone()
    return row


def is_muted(store: Store, user_id: int) -> bool:
    return (
        store.conn.execute("SELECT 1 FROM muted WHERE user_id = ?", (user_id,)).fetchone()
        is not None
    )


def tweets_by(store: Store, user_id: int) -> Iterator[Any]:
    """Every stored tweet and DM by a user, oldest first (`dm_id`: X's id of a DM's
    conversation, NULL for a tweet)."""
    yield from store.conn.execute(
        "SELECT t.id, t.created_at, t.text, t.conversation_id, t.replied_to_id, t.found_via, "
        "d.id AS dm_id FROM tweets t LEFT JOIN dm_conversations d ON d.key = t.conversation_id "
        "WHERE t.author_id = ? ORDER BY t.created_at, t.id",
        (user_id,),
    )
