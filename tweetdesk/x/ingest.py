"""Plain X API data -> store rows. Pure: no I/O, no tweepy.

Copes with both shapes X has served: current tweets with conversation_id and
edit_history_tweet_ids, and older ones without (conversation falls back to the tweet itself).
A post over 280 characters comes with `text` cut short and its whole text (and that text's
entities) in `note_tweet`: the whole one is stored, so triage, tags and sentiment read it all.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from json.encoder import encode_basestring_ascii
from typing import Any

from tweetdesk.values.times import from_iso, to_iso


def _int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def _ref(tweet: Mapping[str, Any], kind: str) -> int | None:
    for ref in tweet.get("referenced_tweets") or ():
        if ref.get("type") == kind:
            return _int(ref.get("id"))
    return None


def _entities(tweet: Mapping[str, Any], kind: str, key: str) -> list[str]:
    note = tweet.get("note_tweet") or {}
    entities = note.get("entities") if note.get("text") else None
    items = (entities or tweet.get("entities") or {}).get(kind) or ()
    return [str(item[key]) for item in items if item.get(key)]


def _json_list(items: list[str]) -> str:
    """json.dumps(items) for a list of strings, without its per-call overhead (every tweet has
    three such lists); most are empty."""
    return f"[{', '.join(map(encode_basestring_ascii, items))}]" if items else "[]"


def whole_text(tweet: Mapping[str, Any]) -> str:
    """The post's whole text: `note_tweet.text` for a long post, else `text` (X escapes &, <
    and > in both)."""
    note = (tweet.get("note_tweet") or {}).get("text")
    text = str(note if note else tweet.get("text", ""))
    return html.unescape(text) if "&" in text else text


def _stored_time(created: str) -> str:
    """X's own form (2026-11-23T08:40:00.000Z) is already the storage form."""
    if len(created) == 24 and created[19] == "." and created.endswith("Z"):
        return created
    return to_iso(from_iso(created))


def tweet_row(
    tweet: Mapping[str, Any],
    *,
    found_via: str,
    synced_at: str,
    query: str | None = None,
    sentiment: float | None = None,
) -> dict[str, Any]:
    """One `tweets` row of API-owned columns from one API tweet object."""
    tweet_id = int(tweet["id"])
    metrics = tweet.get("public_metrics") or {}
    created = tweet.get("created_at")
    return {
        "id": tweet_id,
        "conversation_id": _int(tweet.get("conversation_id")) or tweet_id,
        "author_id": _int(tweet.get("author_id")),
        "created_at": _stored_time(created) if created else synced_at,
        "text": whole_text(tweet),
        "in_reply_to_user_id": _int(tweet.get("in_reply_to_user_id")),
        "replied_to_id": _ref(tweet, "replied_to"),
        "quoted_id": _ref(tweet, "quoted"),
        "found_via": found_via,
        "query": query,
        "client": tweet.get("source") or None,  # retired by X: empty where it is served
        "mentions": _json_list(_entities(tweet, "mentions", "username")),
        "hashtags": _json_list([h.lower() for h in _entities(tweet, "hashtags", "tag")]),
        "urls": _json_list(_entities(tweet, "urls", "expanded_url")),
        "like_count": metrics.get("like_count"),
        "retweet_count": metrics.get("retweet_count"),
        "reply_count": metrics.get("reply_count"),
        "quote_count": metrics.get("quote_count"),
        "lang": tweet.get("lang"),
        "sentiment": sentiment,
        "synced_at": synced_at,
    }


def user_row(user: Mapping[str, Any], *, updated_at: str) -> dict[str, Any]:
    metrics = user.get("public_metrics") or {}
    dm = user.get("receives_your_dm")
    return {
        "id": int(user["id"]),
        "username": str(user.get("username", "")),
        "name": str(user.get("name", "")),
        "followers_count": metrics.get("followers_count"),
        "receives_your_dm": None if dm is None else int(bool(dm)),
        "protected": int(bool(user.get("protected"))),
        "verified": int(bool(user.get("verified"))),
        "updated_at": updated_at,
    }


def users_of(includes: Iterable[Mapping[str, Any]], *, updated_at: str) -> list[dict[str, Any]]:
    return [user_row(u, updated_at=updated_at) for u in includes]


def dm_event_row(event: Mapping[str, Any], *, conversation: int, synced_at: str) -> dict[str, Any]:
    """One `tweets` row of a DM event (a MessageCreate): found_via 'dm', its thread the DM
    conversation's local key (store.dms). DM text is not HTML-escaped by X, so it is kept."""
    created = event.get("created_at")
    return {
        "id": int(event["id"]),
        "conversation_id": conversation,
        "author_id": _int(event.get("sender_id")),
        "created_at": _stored_time(created) if created else synced_at,
        "text": str(event.get("text", "")),
        "found_via": "dm",
        "mentions": "[]",
        "hashtags": _json_list(_dm_hashtags(event)),
        "urls": "[]",
        "synced_at": synced_at,
    }


def _dm_hashtags(event: Mapping[str, Any]) -> list[str]:
    entities = event.get("entities") or {}
    tags = entities.get("hashtags") or event.get("hashtags") or ()
    return [str(t["tag"]).lower() for t in tags if isinstance(t, Mapping) and t.get("tag")]
