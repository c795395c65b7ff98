"""The API-owned rows of `tweets` and `users`: their columns, and the upserts sync writes them
with (what X sends again never overwrites what only the desk knows)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

TWEET_COLUMNS = (
    "id",
    "conversation_id",
    "author_id",
    "created_at",
    "text",
    "in_reply_to_user_id",
    "replied_to_id",
    "quoted_id",
    "found_via",
    "query",
    "client",
    "mentions",
    "hashtags",
    "urls",
    "like_count",
    "retweet_count",
    "reply_count",
    "quote_count",
    "lang",
    "sentiment",
    "synced_at",
)
USER_COLUMNS = (
    "id",
    "username",
    "name",
    "followers_count",
    "receives_your_dm",
    "protected",
    "verified",
    "updated_at",
)
# A tweet seen as our own or as a mention keeps that, even when search finds it again.
# A quote of one of our posts is as answerable as a mention.
_FOUND_VIA_RANK = "CASE {} WHEN 'own' THEN 3 WHEN 'mention' THEN 2 WHEN 'quote' THEN 2 ELSE 1 END"


def _upsert_sql(
    table: str, columns: Sequence[str], overrides: Mapping[str, str], stamp: str
) -> str:
    """Insert, or update what changed. A row X sent again unchanged is left alone (`stamp`, the
    time it was stored, included): rewriting it would dirty its pages in every sync's commits."""
    new = {c: overrides.get(c, f"excluded.{c}") for c in columns if c != "id"}
    updates = ", ".join(f"{c} = {v}" for c, v in new.items())
    kept = [c for c in new if c != stamp]
    changed = (
        f"({', '.join(f'{table}.{c}' for c in kept)}) IS NOT ({', '.join(new[c] for c in kept)})"
    )
    marks = ", ".join("?" for _ in columns)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) "
        f"ON CONFLICT(id) DO UPDATE SET {updates} WHERE {changed}"
    )


TWEET_UPSERT = _upsert_sql(
    "tweets",
    TWEET_COLUMNS,
    {
        "found_via": (
            f"CASE WHEN {_FOUND_VIA_RANK.format('excluded.found_via')} > "
            f"{_FOUND_VIA_RANK.format('tweets.found_via')} "
            "THEN excluded.found_via ELSE tweets.found_via END"
        ),
        "query": "COALESCE(tweets.query, excluded.query)",
        # X retired `source`: a client name stored before is kept, never invented.
        "client": "COALESCE(excluded.client, tweets.client)",
        # X omits receives_your_dm and metrics when not asked: keep what we knew.
        "sentiment": "COALESCE(excluded.sentiment, tweets.sentiment)",
    },
    "synced_at",
)
USER_UPSERT = _upsert_sql(
    "users",
    USER_COLUMNS,
    {
        "receives_your_dm": "COALESCE(excluded.receives_your_dm, users.receives_your_dm)",
        "followers_count": "COALESCE(excluded.followers_count, users.followers_count)",
    },
    "updated_at",
)
