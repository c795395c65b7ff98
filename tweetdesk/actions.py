"""Local actions on threads: close, reopen, snooze, mute, unmute, and recording stale marks.

Each writes a mark (or a muted row) and refreshes the affected threads in one transaction.
Nothing here talks to X.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tweetdesk import threads
from tweetdesk.db import Store
from tweetdesk.errors import GuardRefused, NotFoundError, UsageError
from tweetdesk.lookup import Target, live_status
from tweetdesk.threads import ThreadView
from tweetdesk.timeutil import to_iso
from tweetdesk.triage import Clock, Status

# A mark covers what the desk had seen of the conversation when it was recorded (the last
# parameter names the conversation whose newest stored tweet it covers; None for no cover).
INSERT_MARK = (
    "INSERT INTO marks (conversation_id, kind, at, until, tweet_id, active, covers_id) "
    "VALUES (?, ?, ?, ?, ?, 1, (SELECT max(id) FROM tweets WHERE conversation_id = ?))"
)


def thread_status(store: Store, conversation_id: int) -> str:
    row = store.conn.execute(
        "SELECT status FROM threads WHERE conversation_id = ?", (conversation_id,)
    ).fetchone()
    return str(row[0]) if row else "unknown"


def add_mark(
    store: Store,
    target: Target,
    kind: str,
    *,
    now: datetime,
    account_id: int,
    until: datetime | None = None,
) -> str:
    """Record a mark and return the thread's new stored status."""
    with store.write() as conn:
        conn.execute(
            INSERT_MARK,
            (
                target.conversation_id,
                kind,
                to_iso(now),
                until and to_iso(until),
                target.tweet_id,
                target.conversation_id,
            ),
        )
        threads.refresh(store, [target.conversation_id], account_id=account_id, now=now)
    return thread_status(store, target.conversation_id)


def reopen(store: Store, target: Target, *, now: datetime, clock: Clock, account_id: int) -> str:
    """Open a thread again: cancel its closed/stale/dm/snooze marks. When that alone would not
    put it back in the inbox (our reply or DM note is newest, or the wait is past stale_after),
    a `reopen` mark makes it wait again from now."""
    with store.write() as conn:
        before = live_status(store, target.conversation_id, now, clock)
        if before in (Status.OPEN, Status.MUTED):
            hint = " (tweetdesk unmute the author)" if before is Status.MUTED else ""
            raise GuardRefused(f"thread {target.number} is {before}: nothing to reopen{hint}")
        conn.execute(
            "UPDATE marks SET active = 0 WHERE conversation_id = ? AND active = 1 "
            "AND kind IN ('closed', 'stale', 'dm', 'snooze')",
            (target.conversation_id,),
        )
        threads.refresh(store, [target.conversation_id], account_id=account_id, now=now)
        if live_status(store, target.conversation_id, now, clock) is not Status.OPEN:
            conn.execute(
                INSERT_MARK,
                (target.conversation_id, "reopen", to_iso(now), None, target.tweet_id, None),
            )
            threads.refresh(store, [target.conversation_id], account_id=account_id, now=now)
    return live_status(store, target.conversation_id, now, clock)


def snooze(
    store: Store, target: Target, until: datetime, *, now: datetime, clock: Clock, account_id: int
) -> str:
    if until <= now:
        raise UsageError(f"--until must be in the future (it is {to_iso(until)})")
    status = live_status(store, target.conversation_id, now, clock)
    if status not in (Status.OPEN, Status.SNOOZED):
        raise GuardRefused(f"thread {target.number} is {status}: nothing waiting to snooze")
    return add_mark(store, target, "snooze", now=now, account_id=account_id, until=until)


@dataclass(frozen=True)
class MuteResult:
    username: str
    threads: int


def set_muted(
    store: Store, username: str, muted: bool, *, now: datetime, account_id: int
) -> MuteResult:
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
        convs = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT conversation_id FROM tweets WHERE author_id = ?", (row["id"],)
            )
        ]
        threads.refresh(store, convs, account_id=account_id, now=now)
    return MuteResult(row["username"], len(convs))


def mark_stale(
    store: Store,
    views: list[ThreadView],
    *,
    now: datetime,
    clock: Clock,
    older_than: timedelta | None,
    account_id: int,
    dry_run: bool,
) -> list[ThreadView]:
    """Record a stale mark on every open thread waiting longer than the limit."""
    limit = older_than or clock.stale_after
    stale = [
        v
        for v in views
        if v.status in (Status.OPEN, Status.STALE)
        and v.waiting_since is not None
        and now - v.waiting_since > limit
    ]
    if dry_run or not stale:
        return stale
    with store.write() as conn:
        conn.executemany(
            INSERT_MARK,
            [
                (v.conversation_id, "stale", to_iso(now), None, v.tweet_id, v.conversation_id)
                for v in stale
            ],
        )
        threads.refresh(store, [v.conversation_id for v in stale], account_id=account_id, now=now)
    return stale
