"""DM conversations: X's text ids and the local integer keys DM threads go by (m006), and the
link between a public thread moved with `dm` and its customer's DM conversation.

A DM thread's `conversation_id` everywhere (threads, tweets, marks, outbox) is its negative key;
X's `dm_conversation_id` ("<low>-<high>", or a group's snowflake) is looked up here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tweetdesk.store.store import Store


def is_dm_key(conversation_id: int) -> bool:
    """A DM thread's key (negative), not a tweet conversation (X's ids are positive)."""
    return conversation_id < 0


def one_to_one_id(first: int, second: int) -> str:
    """X's id of the one-to-one conversation of two users: `<smaller>-<larger>`."""
    low, high = sorted((int(first), int(second)))
    return f"{low}-{high}"


def participant_of(dm_conversation_id: str, account_id: int) -> int | None:
    """The other user of a one-to-one conversation; None for a group (no '-' in its id)."""
    low, sep, high = dm_conversation_id.partition("-")
    if not sep or not (low.isdigit() and high.isdigit()):
        return None
    ids = {int(low), int(high)}
    if account_id not in ids:
        return None
    others = ids - {account_id}
    return others.pop() if others else None


def keys_for(store: Store, conversations: Mapping[str, int | None]) -> dict[str, int]:
    """The local key of each X conversation id (given with its participant, None for a group),
    new ones numbered on from the lowest key (inside the caller's transaction)."""
    if not conversations:
        return {}
    with store.write() as conn:
        known = _known(store, conversations)
        lowest = conn.execute("SELECT coalesce(min(key), 0) FROM dm_conversations").fetchone()[0]
        for dm_id, participant in sorted(conversations.items()):
            if dm_id in known:
                continue
            lowest -= 1
            conn.execute(
                "INSERT INTO dm_conversations (key, id, participant_id) VALUES (?, ?, ?)",
                (lowest, dm_id, participant),
            )
            known[dm_id] = lowest
    return known


def _known(store: Store, ids: Iterable[str]) -> dict[str, int]:
    wanted = list(ids)
    marks = ",".join("?" * len(wanted))
    rows = store.conn.execute(
        f"SELECT id, key FROM dm_conversations WHERE id IN ({marks})", wanted
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def conversation_id(store: Store, key: int) -> str | None:
    """X's `dm_conversation_id` of a DM thread's key."""
    row = store.conn.execute("SELECT id FROM dm_conversations WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def key_with(store: Store, participant_id: int) -> int | None:
    """The key of the one-to-one conversation with a user, once it is known."""
    row = store.conn.execute(
        "SELECT key FROM dm_conversations WHERE participant_id = ? ORDER BY key DESC LIMIT 1",
        (participant_id,),
    ).fetchone()
    return None if row is None else int(row[0])


def linked(store: Store, conversation: int) -> list[int]:
    """The conversations shown with this one as one timeline: for a public thread moved with
    `dm`, its customer's DM conversation; for a DM conversation, the public threads whose
    customer was moved into it (a `dm` mark on a tweet of theirs, cancelled or not)."""
    if is_dm_key(conversation):
        sql = (
            "SELECT DISTINCT m.conversation_id FROM dm_conversations d "
            "JOIN tweets t ON t.author_id = d.participant_id "
            "JOIN marks m ON m.tweet_id = t.id AND m.kind = 'dm' WHERE d.key = ?"
        )
    else:
        sql = (
            "SELECT DISTINCT d.key FROM marks m JOIN tweets t ON t.id = m.tweet_id "
            "JOIN dm_conversations d ON d.participant_id = t.author_id "
            "WHERE m.conversation_id = ? AND m.kind = 'dm'"
        )
    return sorted(int(r[0]) for r in store.conn.execute(sql, (conversation,)))
