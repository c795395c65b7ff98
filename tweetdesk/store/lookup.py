"""Finding threads from what the person typed, reading one thread whole (`show`), and the
stored customer tweet an answer would go to.

Every command that takes an id resolves it here: a tweet id, a thread number or @username.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tweetdesk.errors import NotFoundError
from tweetdesk.store.dms import linked
from tweetdesk.store.store import Store
from tweetdesk.triage.clock import Clock, effective_status
from tweetdesk.triage.state import Status
from tweetdesk.triage.views import dm_url, tweet_url
from tweetdesk.values.times import from_iso

MAX_ID = 2**63 - 1  # X's ids are 64-bit; anything larger is no id (and no SQLite integer)


@dataclass(frozen=True)
class Target:
    conversation_id: int
    number: int
    tweet_id: int  # the tweet named, or the thread's reply target


def resolve(store: Store, ref: str) -> Target:
    """A tweet id, a thread number, or @username (that customer's newest open thread).

    A number that is the id of a stored tweet means that tweet; otherwise a thread number.
    """
    ref = ref.strip()
    if ref.startswith("@"):
        return _by_username(store, ref[1:])
    if not (ref.isascii() and ref.isdigit()) or len(ref) > 19 or int(ref) > MAX_ID:
        raise NotFoundError(f"{ref!r} is not a tweet id, a thread number or an @username")
    value = int(ref)
    row = store.conn.execute(
        "SELECT t.id, th.conversation_id, th.number FROM tweets t "
        "JOIN threads th ON th.conversation_id = t.conversation_id WHERE t.id = ?",
        (value,),
    ).fetchone()
    if row is not None:
        return Target(row["conversation_id"], row["number"], row["id"])
    row = store.conn.execute(
        "SELECT conversation_id, number, tweet_id FROM threads WHERE number = ?", (value,)
    ).fetchone()
    if row is None:
        kind = "tweet" if len(ref) >= 15 else "thread number or tweet"
        raise NotFoundError(f"no {kind} {ref} in the desk (run `tweetdesk sync`?)")
    return Target(row["conversation_id"], row["number"], row["tweet_id"])


def _by_username(store: Store, username: str) -> Target:
    row = store.conn.execute(
        "SELECT th.conversation_id, th.number, th.tweet_id FROM threads th "
        "JOIN users u ON u.id = th.customer_id WHERE u.username = ? COLLATE NOCASE "
        "ORDER BY (th.status IN ('open', 'snoozed')) DESC, th.last_customer_at DESC LIMIT 1",
        (username,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no thread from @{username} in the desk")
    return Target(row["conversation_id"], row["number"], row["tweet_id"])


@dataclass(frozen=True)
class TweetInfo:
    """A stored customer tweet we may answer, with its thread and author."""

    id: int
    conversation_id: int
    number: int
    author_id: int
    username: str
    name: str
    found_via: str
    status: Status
    receives_your_dm: bool | None
    dm_conversation: str | None = None  # X's dm_conversation_id, for a DM event

    @property
    def is_dm(self) -> bool:
        """A customer's DM (answered by a DM into its conversation), not a public post."""
        return self.found_via == "dm"

    @property
    def url(self) -> str:
        if self.dm_conversation is not None:
            return dm_url(self.dm_conversation)
        return tweet_url(self.username, self.id)


def tweet_info(store: Store, tweet_id: int, now: datetime, clock: Clock) -> TweetInfo:
    row = store.conn.execute(
        """
        SELECT t.id, t.conversation_id, t.author_id, t.found_via,
               th.number, th.status, th.waiting_since, th.snooze_until, th.source,
               u.username, u.name, u.receives_your_dm, d.id AS dm_conversation_id
        FROM tweets t
        JOIN threads th ON th.conversation_id = t.conversation_id
        LEFT JOIN users u ON u.id = t.author_id
        LEFT JOIN dm_conversations d ON d.key = t.conversation_id
        WHERE t.id = ?
        """,
        (tweet_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no tweet {tweet_id} in the desk (run `tweetdesk sync`?)")
    since = from_iso(row["waiting_since"]) if row["waiting_since"] else None
    until = from_iso(row["snooze_until"]) if row["snooze_until"] else None
    dm = row["receives_your_dm"]
    return TweetInfo(
        id=row["id"],
        conversation_id=row["conversation_id"],
        number=row["number"],
        author_id=row["author_id"],
        username=row["username"] or "",
        name=row["name"] or "",
        found_via=row["found_via"],
        status=effective_status(Status(row["status"]), since, until, now, clock, row["source"]),
        receives_your_dm=None if dm is None else bool(dm),
        dm_conversation=row["dm_conversation_id"],
    )


def conversation(store: Store, conversation_id: int) -> list[dict[str, Any]]:
    """Every stored message of a conversation and of the conversations linked to it (a public
    thread moved to DM, and that DM conversation), oldest first, ours included, plus marks:
    one timeline. A DM event is an item of kind `dm`, a post of kind `tweet`."""
    convs = [conversation_id, *linked(store, conversation_id)]
    qmarks = ",".join("?" * len(convs))
    rows = store.conn.execute(
        "SELECT t.id, t.created_at, t.text, t.author_id, t.found_via, t.client, "
        "u.username, d.id AS dm_id FROM tweets t LEFT JOIN users u ON u.id = t.author_id "
        "LEFT JOIN dm_conversations d ON d.key = t.conversation_id "
        f"WHERE t.conversation_id IN ({qmarks}) ORDER BY t.created_at, t.id",
        convs,
    )
    items: list[dict[str, Any]] = [
        {
            "kind": "dm" if r["found_via"] == "dm" else "tweet",
            "id": str(r["id"]),
            "created_at": from_iso(r["created_at"]),
            "author": r["username"] or "",
            "text": r["text"],
            "url": dm_url(r["dm_id"]) if r["dm_id"] else tweet_url(r["username"] or "", r["id"]),
            "found_via": r["found_via"],
            "client": r["client"],
        }
        for r in rows
    ]
    for r in store.conn.execute(
        f"SELECT kind, at, until, active FROM marks WHERE conversation_id IN ({qmarks}) "
        "ORDER BY at, id",
        convs,
    ):
        items.append(
            {
                "kind": "mark",
                "mark": r["kind"],
                "created_at": from_iso(r["at"]),
                "until": from_iso(r["until"]) if r["until"] else None,
                "active": bool(r["active"]),
            }
        )
    items.sort(key=lambda i: i["created_at"])
    return items


def header(store: Store, conversation_id: int, now: datetime, clock: Clock) -> dict[str, Any]:
    """A thread's number, live status, source and conversation id as X names it (a DM
    thread's dm_conversation_id), and the numbers of the threads shown with it."""
    row = store.conn.execute(
        "SELECT th.number, th.source, d.id FROM threads th "
        "LEFT JOIN dm_conversations d ON d.key = th.conversation_id "
        "WHERE th.conversation_id = ?",
        (conversation_id,),
    ).fetchone()
    others = linked(store, conversation_id)
    numbers = store.conn.execute(
        f"SELECT number FROM threads WHERE conversation_id IN ({','.join('?' * len(others))}) "
        "ORDER BY number",
        others,
    )
    return {
        "number": row[0],
        "status": live_status(store, conversation_id, now, clock).value,
        "source": row[1],
        "conversation_id": row[2] or str(conversation_id),
        "linked": [r[0] for r in numbers],
    }


def live_status(store: Store, conversation_id: int, now: datetime, clock: Clock) -> Status:
    """The thread's status as listings show it at `now` (an old wait is stale at once)."""
    row = store.conn.execute(
        "SELECT status, waiting_since, snooze_until, source FROM threads WHERE conversation_id = ?",
        (conversation_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no thread for conversation {conversation_id}")
    since, until = (from_iso(v) if v else None for v in (row[1], row[2]))
    return effective_status(Status(row[0]), since, until, now, clock, row[3])


def answered_in_app(store: Store) -> list[tuple[int, str, str | None]]:
    """Replied threads whose last answer did not come from tweetdesk (the phone app, say):
    (number, customer, client), to show that those count. X retired `source`, so an answer of
    ours that the outbox does not know is what says so; `client` is the app's name only where
    X gave it."""
    rows = store.conn.execute(
        """
        SELECT th.number, u.username, t.client FROM threads th
        JOIN tweets t ON t.conversation_id = th.conversation_id AND t.found_via = 'own'
             AND t.created_at = th.last_answer_at
        LEFT JOIN users u ON u.id = th.customer_id
        WHERE th.status = 'replied' AND coalesce(t.client, '') != 'tweetdesk'
          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.remote_id = CAST(t.id AS TEXT))
        ORDER BY th.number
        """
    )
    return [(r[0], r[1] or "", r[2] or None) for r in rows]


def dm_answered_elsewhere(store: Store) -> list[tuple[int, str]]:
    """Replied DM threads whose last answer is a DM tweetdesk did not send (the phone app):
    (number, customer), to show that those count."""
    rows = store.conn.execute(
        """
        SELECT th.number, u.username FROM threads th
        JOIN tweets t ON t.conversation_id = th.conversation_id AND t.found_via = 'dm'
             AND t.created_at = th.last_answer_at AND t.author_id IS NOT th.customer_id
        LEFT JOIN users u ON u.id = th.customer_id
        WHERE th.status = 'replied' AND th.source = 'dm'
              AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.remote_id = CAST(t.id AS TEXT))
        ORDER BY th.number
        """
    )
    return [(r[0], r[1] or "") for r in rows]
