"""`alerts_sent`: which alert episode each channel has had, so none gets the same one twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tweetdesk.store.store import Store
from tweetdesk.values.times import to_iso


def already_sent(store: Store, channel: str, episodes: Sequence[str]) -> set[str]:
    if not episodes:
        return set()
    marks = ",".join("?" * len(episodes))
    rows = store.conn.execute(
        f"SELECT episode FROM alerts_sent WHERE channel = ? AND episode IN ({marks})",
        (channel, *episodes),
    )
    return {r[0] for r in rows}


def mark_sent(
    store: Store, channel: str, episodes: Sequence[tuple[str, int | None]], now: datetime
) -> None:
    """Record (episode, conversation id) pairs as delivered on a channel."""
    with store.write() as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO alerts_sent (episode, channel, conversation_id, sent_at) "
            "VALUES (?, ?, ?, ?)",
            [(episode, channel, conv, to_iso(now)) for episode, conv in episodes],
        )
