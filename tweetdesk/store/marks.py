"""Local state the person records: marks on threads (closed, stale, dm, snooze, reopen) and muted
authors. A re-sync never writes here. Every change refreshes the threads it touches, in the
caller's transaction when there is one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tweetdesk.errors import NotFoundError
from tweetdesk.store import threads
from tweetdesk.store.store import Store
from tweetdesk.values.times import to_iso

# A mark covers what the desk had seen of the conversation when it was recorded (the last
# parameter names the conversation whose newest stored tweet it covers; None for no cover).
INSERT_MARK = (
    "INSERT INTO marks (conversation_id, kind, at, until, tweet_id, active, covers_id) "
    "VALUES (?, ?, ?, ?, ?, 1, (SELECT max(id) FROM tweets WHERE conversation_id = ?))"
)
# The marks `reopen` cancels: those that answer a thread or hold it over.
CANCELLED_BY_REOPEN = ("closed", "stale", "dm", "snooze")


@dataclass(frozen=True)
class MarkRow:
    """One mark to record: on which conversation, about which tweet, and whether it covers what
    the desk had seen (an answering mark does; a reopen does not)."""

    conversation_id: int
    kind: str
    tweet_id: int | None
    until: datetime | None = None
    covers: bool = True


def thread_status(store: Store, conversation_id: int) -> str:
    """The stored status (not the read-time one: see lookup.live_status)."""
    row = store.conn.execute(
        "SELECT status FROM threads WHERE conversation_id = ?", (conversation_id,)
    ).fetchone()
    return str(row[0]) if row else "unknown"


def record(store: Store, marks: Sequence[MarkRow], *, now: datetime, account_id: int) -> None:
    """Record marks and refresh their threads, in one transaction."""
    with store.write() as conn:
        conn.executemany(
            INSERT_MARK,
            [
                (
                    m.conversation_id,
                    m.kind,
                    to_iso(now),
                    m.until and to_iso(m.until),
                    m.tweet_id,
                    m.conversation_id if m.covers else None,
                )
                for m in marks
            ],
        )
        threads.refresh(store, {m.conversation_id for m in marks}, account_id=account_id, now=now)


def cancel(store: Store, conversation_id: int, *, now: datetime, account_id: int) -> None:
    """Deactivate the closed, stale, dm and snooze marks of a thread (reopen)."""
    marks = ",".join("?" * len(CANCELLED_BY_REOPEN))
    with store.write() as conn:
        conn.execute(
            "UPDATE marks SET active = 0 WHERE conversation_id = ? AND active = 1 "
            f"AND kind IN ({marks})",
            (conversation_id, *CANCELLED_BY_REOPEN),
        )
        threads.refresh(store, [conversation_id], account_id=account_id, now=now)


def cancel_reopens_since(store: Store, conversation_id: int, reply_id: int, now: datetime) -> None:
    """A reopen made after a reply followed up on that answer: when the reply is deleted, the
    customer waits, as they did, from their first unanswered tweet (undo)."""
    with store.write() as conn:
        conn.execute(
            "UPDATE marks SET active = 0 WHERE conversation_id = ? AND kind = 'reopen' "
            "AND active = 1 AND at >= coalesce((SELECT created_at FROM tweets WHERE id = ?), ?)",
            (conversation_id, reply_id, to_iso(now)),
        )


@dataclass(frozen=True)
class Muted:
    username: str
    threads: int


def set_muted(store: Store, username: str, muted: bool, *, now: datetime, account_id: int) -> Muted:
    """Mute or unmute an author (trolls); their tweets stay stored for evidence."""
    name = username.strip().removeprefix("@")
    row = store.conn.execute(
        "SELECT id, username FROM users WHERE username = ? COLLATE NOCASE", (name,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no user @{name} in the desk")
    with store.write() as conn:
        if muted:
            conn.execute(
                "INSERT OR IGNORE INTO muted (user_id, username, muted_at) VALUES (?, ?, ?)",
                (row["id"], row["username"], to_iso(now)),
            )
        else:
            conn.execute("DELETE FROM muted WHERE user_id = ?", (row["id"],))
        convs = _conversations_of(conn, row["id"])
        threads.refresh(store, convs, account_id=account_id, now=now)
    return Muted(row["username"], len(convs))


def _conversations_of(conn: Any, user_id: int) -> list[int]:
    rows = conn.execute(
        "SELECT DISTINCT conversation_id FROM tweets WHERE author_id = ?", (user_id,)
    )
    return [r[0] for r in rows]
