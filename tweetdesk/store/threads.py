"""The derived `threads` index: keep each conversation's row current.

`refresh` runs inside the write transaction of whatever changed a conversation (a reply, a
mark), so the listing only ever reads the `threads` index and never history. A sync instead
`defer`s the conversations of each page (in the page's transaction) and derives each one once,
at its end (`refresh_pending`): a conversation met on several pages (its mentions, then our
reply on the own timeline) is derived and written once, not once per page. A sync killed before
its end leaves them pending, and the next command derives them before it reads (`Desk.store`).
A row whose reply target changes is unscored (store/scores.py scores what a listing shows).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from tweetdesk.store.store import Store
from tweetdesk.triage.state import Item, Mark, ThreadState, derive_thread
from tweetdesk.values.times import from_iso, to_iso


def _chunks(values: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def defer(store: Store, conversation_ids: Iterable[int]) -> None:
    """Note conversations to derive at the end of the sync (inside the page's transaction)."""
    with store.write() as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO threads_pending (conversation_id) VALUES (?)",
            [(c,) for c in set(conversation_ids)],
        )


def has_pending(store: Store) -> bool:
    return store.conn.execute("SELECT 1 FROM threads_pending LIMIT 1").fetchone() is not None


def refresh_pending(store: Store, *, account_id: int, now: datetime) -> int:
    """Derive every deferred conversation, in one transaction; returns how many."""
    with store.write() as conn:
        ids = [r[0] for r in conn.execute("SELECT conversation_id FROM threads_pending")]
        refresh(store, ids, account_id=account_id, now=now)
        conn.execute("DELETE FROM threads_pending")
    return len(ids)


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
            times = _Times()
            items, marks = _load(store, chunk, times)
            states = {}
            for conv in chunk:
                state = derive_thread(
                    items.get(conv, []), marks.get(conv, []), account_id=account_id, muted=muted
                )
                if state is not None:
                    states[conv] = state
            _save(conn, states, now, times)


class _Times:
    """Stored times parsed once, and written back as the text they were read from (a sync
    refreshes every thread it touches: formatting them all again is measurable)."""

    def __init__(self) -> None:
        self.texts: dict[datetime, str] = {}

    def parse(self, text: str) -> datetime:
        value = from_iso(text)
        if len(text) == 24 and text[19] == "." and text[23] == "Z":  # the storage form
            self.texts[value] = text
        return value

    def text(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        return self.texts.get(value) or to_iso(value)


def _load(
    store: Store, chunk: Sequence[int], times: _Times
) -> tuple[dict[int, list[Item]], dict[int, list[Mark]]]:
    qmarks = ",".join("?" * len(chunk))
    items: dict[int, list[Item]] = {}
    for row in store.conn.execute(
        "SELECT id, conversation_id, author_id, created_at, found_via FROM tweets "
        f"WHERE conversation_id IN ({qmarks})",
        chunk,
    ):
        items.setdefault(row[1], []).append(Item(row[0], row[2], times.parse(row[3]), row[4]))
    marks: dict[int, list[Mark]] = {}
    for row in store.conn.execute(
        "SELECT conversation_id, kind, at, until, covers_id FROM marks "
        f"WHERE active = 1 AND conversation_id IN ({qmarks})",
        chunk,
    ):
        until = times.parse(row[3]) if row[3] else None
        marks.setdefault(row[0], []).append(Mark(row[1], times.parse(row[2]), until, row[4]))
    return items, marks


_COLUMNS = (
    "source",
    "status",
    "customer_id",
    "tweet_id",
    "waiting_since",
    "waiting_tweet_id",
    "first_customer_at",
    "last_customer_at",
    "first_response_at",
    "last_answer_at",
    "snooze_until",
    "updated_at",
)
# A new reply target unscores the thread (store/scores.py); SET sees the row as it was.
_UNSCORE = ", ".join(
    f"{c} = CASE WHEN tweet_id IS :tweet_id THEN {c} END" for c in ("priority", "complaint", "tags")
)
_DERIVED = [c for c in _COLUMNS if c != "updated_at"]
_UPDATE = (
    f"UPDATE threads SET {_UNSCORE}, "
    + ", ".join(f"{c} = :{c}" for c in _COLUMNS)
    + " WHERE conversation_id = :conversation_id"
    # unchanged rows are left alone: a written row dirties its pages (and the indexes')
    + f" AND ({', '.join(_DERIVED)}) IS NOT ({', '.join(':' + c for c in _DERIVED)})"
)
_INSERT = (
    f"INSERT INTO threads ({', '.join(_COLUMNS)}, conversation_id) "
    f"VALUES ({', '.join(':' + c for c in _COLUMNS)}, :conversation_id)"
)


def _row(conv: int, s: ThreadState, updated_at: str, times: _Times) -> dict[str, Any]:
    _iso = times.text
    return {
        "source": s.source,
        "status": s.status.value,
        "customer_id": s.customer_id,
        "tweet_id": s.tweet_id,
        "waiting_since": _iso(s.waiting_since),
        "waiting_tweet_id": s.waiting_tweet_id,
        "first_customer_at": _iso(s.first_customer_at),
        "last_customer_at": _iso(s.last_customer_at),
        "first_response_at": _iso(s.first_response_at),
        "last_answer_at": _iso(s.last_answer_at),
        "snooze_until": _iso(s.snooze_until),
        "updated_at": updated_at,
        "conversation_id": conv,
    }


def _save(conn: Any, states: dict[int, ThreadState], now: datetime, times: _Times) -> None:
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
    at = to_iso(now)
    conn.executemany(_UPDATE, [_row(c, s, at, times) for c, s in states.items() if c in known])
    conn.executemany(_INSERT, [_row(c, s, at, times) for c, s in states.items() if c not in known])
