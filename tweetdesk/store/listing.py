"""Listing threads: the stored-active rows of the `threads` index (or all of them), as
ThreadViews sorted most urgent first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from tweetdesk.store.store import Store
from tweetdesk.triage.clock import Clock
from tweetdesk.triage.priority import sort_key
from tweetdesk.triage.views import ThreadView, thread_view

_LIST_SQL = """
SELECT th.number, th.conversation_id, th.status, th.tweet_id, th.customer_id,
       th.waiting_since, th.snooze_until, th.source,
       t.text, t.sentiment, t.hashtags, t.found_via,
       u.username, u.name, u.followers_count, d.id AS dm_conversation_id
FROM threads th
JOIN tweets t ON t.id = th.tweet_id
LEFT JOIN users u ON u.id = th.customer_id
LEFT JOIN dm_conversations d ON d.key = th.conversation_id
"""


def list_threads(
    store: Store,
    now: datetime,
    clock: Clock,
    tag_rules: Mapping[str, Sequence[str]],
    *,
    include_all: bool = False,
) -> list[ThreadView]:
    """Threads sorted most urgent first. Without include_all, only stored-active rows are read."""
    if include_all:
        rows = store.conn.execute(_LIST_SQL)
    else:
        rows = store.conn.execute(_LIST_SQL + " WHERE th.status IN ('open', 'snoozed')")
    views = [thread_view(row, now, clock, tag_rules) for row in rows]
    views.sort(key=lambda v: sort_key(v.overdue, v.priority, v.waiting_since))
    return views


def one_thread(
    store: Store,
    conversation_id: int,
    now: datetime,
    clock: Clock,
    tag_rules: Mapping[str, Sequence[str]],
) -> ThreadView | None:
    """One thread as the listings show it (None: it has no customer tweet to show)."""
    row = store.conn.execute(
        _LIST_SQL + " WHERE th.conversation_id = ?", (conversation_id,)
    ).fetchone()
    return None if row is None else thread_view(row, now, clock, tag_rules)
