"""Threads in the store: keep the derived `threads` rows current and list them.

`refresh` runs inside the write transaction of whatever changed a conversation (a synced page,
a reply, a mark), so the listing only ever reads the `threads` index and never history.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tweetdesk.db import Store
from tweetdesk.timeutil import from_iso, to_iso
from tweetdesk.triage import (
    Clock,
    Item,
    Mark,
    Status,
    ThreadState,
    derive_thread,
    effective_status,
    is_overdue,
    priority,
    sla_elapsed,
    sort_key,
    tags_for,
)

ACTIVE = ("open", "snoozed")
BRAND_TALK = (
    "Brand talk, answer in the X app"  # stored statuses a listing reads; the rest need --all
)


def _chunks(values: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def refresh(
    store: Store, conversation_ids: Iterable[int], *, account_id: int, now: datetime
) -> None:
    """Recompute the derived row of each conversation (inside the caller's transaction)."""
    ids = sorted(set(conversation_ids))
    if not ids:
        return
    muted = {r[0] for r in store.conn.execute("SELECT user_id FROM muted")}
    with store.write() as conn:
        for chunk in _chunks(ids):
            items, marks = _load(store, chunk)
            states = {}
            for conv in chunk:
                state = derive_thread(
                    items.get(conv, []), marks.get(conv, []), account_id=account_id, muted=muted
                )
                if state is not None:
                    states[conv] = state
            _save(conn, states, now)
            _score(conn, [s.tweet_id for s in states.values() if s.status.value in ACTIVE])


def _load(
    store: Store, chunk: Sequence[int]
) -> tuple[dict[int, list[Item]], dict[int, list[Mark]]]:
    qmarks = ",".join("?" * len(chunk))
    items: dict[int, list[Item]] = {}
    for row in store.conn.execute(
        "SELECT id, conversation_id, author_id, created_at, found_via FROM tweets "
        f"WHERE conversation_id IN ({qmarks})",
        chunk,
    ):
        items.setdefault(row[1], []).append(Item(row[0], row[2], from_iso(row[3]), row[4]))
    marks: dict[int, list[Mark]] = {}
    for row in store.conn.execute(
        "SELECT conversation_id, kind, at, until, covers_id FROM marks "
        f"WHERE active = 1 AND conversation_id IN ({qmarks})",
        chunk,
    ):
        until = from_iso(row[3]) if row[3] else None
        marks.setdefault(row[0], []).append(Mark(row[1], from_iso(row[2]), until, row[4]))
    return items, marks


def _iso(value: datetime | None) -> str | None:
    return None if value is None else to_iso(value)


_COLUMNS = (
    "source, status, customer_id, tweet_id, waiting_since, waiting_tweet_id, first_customer_at, "
    "last_customer_at, first_response_at, last_answer_at, snooze_until, updated_at"
)
_UPDATE = (
    "UPDATE threads SET "
    + ", ".join(f"{c.strip()} = ?" for c in _COLUMNS.split(","))
    + " WHERE conversation_id = ?"
)
_INSERT = f"INSERT INTO threads ({_COLUMNS}, conversation_id) VALUES ({', '.join('?' * 13)})"


def _row(conv: int, s: ThreadState, now: datetime) -> tuple[Any, ...]:
    return (
        s.source,
        s.status.value,
        s.customer_id,
        s.tweet_id,
        _iso(s.waiting_since),
        s.waiting_tweet_id,
        _iso(s.first_customer_at),
        _iso(s.last_customer_at),
        _iso(s.first_response_at),
        _iso(s.last_answer_at),
        _iso(s.snooze_until),
        to_iso(now),
        conv,
    )


def _save(conn: Any, states: dict[int, ThreadState], now: datetime) -> None:
    """Update existing rows, insert new ones. Not an upsert: that would burn an AUTOINCREMENT
    number on every update, and thread numbers are meant to stay short."""
    if not states:
        return
    marks = ",".join("?" * len(states))
    known = {
        r[0]
        for r in conn.execute(
            f"SELECT conversation_id FROM threads WHERE conversation_id IN ({marks})",
            list(states),
        )
    }
    conn.executemany(_UPDATE, [_row(c, s, now) for c, s in states.items() if c in known])
    conn.executemany(_INSERT, [_row(c, s, now) for c, s in states.items() if c not in known])


def _score(conn: Any, tweet_ids: list[int]) -> None:
    """Sentiment for the tweets open threads would be answered on, once each. Computed here,
    when a thread is (re)opened, so listings never load VADER and answered history never
    pays for it."""
    if not tweet_ids:
        return
    marks = ",".join("?" * len(tweet_ids))
    rows = conn.execute(
        f"SELECT id, text FROM tweets WHERE sentiment IS NULL AND id IN ({marks})", tweet_ids
    ).fetchall()
    if rows:
        from tweetdesk.sentiment import compound

        conn.executemany(
            "UPDATE tweets SET sentiment = ? WHERE id = ?", [(compound(r[1]), r[0]) for r in rows]
        )


# --- listing --------------------------------------------------------------------------------


@dataclass
class ThreadView:
    number: int
    conversation_id: int
    status: Status
    author: str
    name: str
    tweet_id: int
    text: str
    waiting_since: datetime | None
    waiting_minutes: int | None
    business_minutes: int | None
    overdue: bool
    sentiment: float
    tags: list[str]
    source: str
    replyable: bool
    followers: int
    priority: float
    customer_id: int | None
    complaint: bool = False

    @property
    def url(self) -> str:
        return tweet_url(self.author, self.tweet_id)


def tweet_url(username: str, tweet_id: int) -> str:
    return f"https://x.com/{username or 'i'}/status/{tweet_id}"


_LIST_SQL = """
SELECT th.number, th.conversation_id, th.status, th.tweet_id, th.customer_id,
       th.waiting_since, th.snooze_until, th.source,
       t.text, t.sentiment, t.hashtags, t.found_via,
       u.username, u.name, u.followers_count
FROM threads th
JOIN tweets t ON t.id = th.tweet_id
LEFT JOIN users u ON u.id = th.customer_id
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
    views = [_view(row, now, clock, tag_rules) for row in rows]
    views.sort(key=lambda v: sort_key(v.overdue, v.priority, v.waiting_since))
    return views


def _view(row: Any, now: datetime, clock: Clock, rules: Mapping[str, Sequence[str]]) -> ThreadView:
    waiting_since = from_iso(row["waiting_since"]) if row["waiting_since"] else None
    snooze_until = from_iso(row["snooze_until"]) if row["snooze_until"] else None
    status = effective_status(Status(row["status"]), waiting_since, snooze_until, now, clock)
    overdue = is_overdue(status, waiting_since, now, clock)
    business = None
    if clock.hours is not None and waiting_since is not None:
        business = int(sla_elapsed(waiting_since, now, clock).total_seconds() // 60)
    text = row["text"] or ""
    sentiment = row["sentiment"] or 0.0
    from tweetdesk.sentiment import is_complaint, is_shouting

    complaint = is_complaint(text, sentiment)
    return ThreadView(
        number=row["number"],
        conversation_id=row["conversation_id"],
        status=status,
        author=row["username"] or "",
        name=row["name"] or "",
        tweet_id=row["tweet_id"],
        text=text,
        waiting_since=waiting_since,
        waiting_minutes=(
            int((now - waiting_since).total_seconds() // 60) if waiting_since else None
        ),
        business_minutes=business,
        overdue=overdue,
        sentiment=sentiment,
        tags=tags_for(text, json.loads(row["hashtags"] or "[]"), rules),
        source=row["source"],
        replyable=row["source"] == "mention" and row["found_via"] == "mention",
        followers=row["followers_count"] or 0,
        priority=priority(sentiment, row["followers_count"], complaint, shouting=is_shouting(text)),
        customer_id=row["customer_id"],
        complaint=complaint,
    )


def group_inbox(views: Sequence[ThreadView]) -> dict[str, list[ThreadView]]:
    """Overdue, waiting, brand talk (search: answered in the app), then everything else."""
    groups: dict[str, list[ThreadView]] = {
        "Overdue": [],
        "Waiting": [],
        BRAND_TALK: [],
        "Other": [],
    }
    for v in views:
        if v.status is not Status.OPEN:
            groups["Other"].append(v)
        elif v.source == "search":
            groups[BRAND_TALK].append(v)
        elif v.overdue:
            groups["Overdue"].append(v)
        else:
            groups["Waiting"].append(v)
    return groups
