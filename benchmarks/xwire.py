"""X API v2 wire format, written directly: users and tweets as X stores them, and each rendered
with the fields a request names and the `public_metrics` they had at a given moment (the pages
themselves: xpages.py).

It writes exactly what tweetdesk's simulator (`tweetdesk.sandbox`) would answer, without its
O(N)-per-page reads: `fidelity.py` builds a small desk both here and in the simulator, every run,
and stops the run if one page, record or header differs. Only the standard library and
twitter-text (a tweetdesk dependency, which finds URLs the way X does) are used.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tweetdesk.sandbox.model import user_record
from tweetdesk.sandbox.text import entities, leading_mentions, tokens, wrap_urls

TWITTER_EPOCH_MS = 1288834974657
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SEARCH_WINDOW_MS = 7 * 86_400_000
BASE_FIELDS = ("id", "text", "edit_history_tweet_ids")
USER_BASE = ("id", "name", "username")


class Unsupported(ValueError):
    """A request this writer cannot answer as X would (the run stops and says which)."""


# --- ids, times, tokens -----------------------------------------------------------------------


def ms_of(when: datetime) -> int:
    return (when.astimezone(UTC) - _EPOCH) // timedelta(milliseconds=1)


def at_ms(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


def iso_ms(ms: int) -> str:
    """X's timestamps: always milliseconds and a Z."""
    return at_ms(ms).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def snowflake(ms: int, sequence: int = 0) -> int:
    return ((ms - TWITTER_EPOCH_MS) << 22) | sequence


def id_ms(tweet_id: int) -> int:
    return (tweet_id >> 22) + TWITTER_EPOCH_MS


def stable_number(text: str, modulo: int) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:15], 16) % modulo


# --- text as X stores it ----------------------------------------------------------------------


def phrase_matcher(query: str) -> Any:
    """Recent search for one quoted phrase (whole words, any case); other queries: Unsupported."""
    if not re.fullmatch(r'"[^"]+"', query.strip()):
        raise Unsupported(f"the stand-in answers only a single quoted phrase, not {query!r}")
    phrase = tokens(query.strip().strip('"'))
    size = len(phrase)

    def matches(text: str) -> bool:
        words = tokens(html.unescape(text))
        return any(words[i : i + size] == phrase for i in range(len(words) - size + 1))

    return matches


# --- the store --------------------------------------------------------------------------------


@dataclass
class Wire:
    """Users and tweets in creation order, with what `public_metrics` needs at any moment."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # lower-case username -> id
    tweets: dict[int, dict[str, Any]] = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)  # ascending = creation order
    replies: dict[str, list[int]] = field(default_factory=dict)  # tweet id -> reply ids
    authored: dict[str, list[int]] = field(default_factory=dict)  # user id -> tweet ids

    def add_user(self, username: str, spec: dict[str, Any]) -> dict[str, Any]:
        """A user record the way the simulator makes one (ids and dates derived from the name)."""
        user_id = str(
            spec.get("id") or 1_000_000_000 + stable_number("user:" + username.lower(), 10**18)
        )
        while user_id in self.users:
            user_id = str(int(user_id) + 1)
        created = spec.get("created_at") or iso_ms(
            ms_of(datetime(2009, 3, 1, tzinfo=UTC))
            + 1000 * stable_number("since:" + username.lower(), 15 * 365 * 86400)
        )
        user = user_record(user_id, username, created, spec)
        self.users[user_id] = user
        self.names[username.lower()] = user_id
        return user

    def add_tweet(
        self,
        author: str,
        body: str,
        created_ms: int,
        *,
        reply_to: int | None = None,
        lang: str = "en",
        source: str = "Twitter Web App",
    ) -> dict[str, Any]:
        user = self.users[self.names[author.lower()]]
        sequence = 0
        while snowflake(created_ms, sequence) in self.tweets:
            sequence += 1
        number = snowflake(created_ms, sequence)
        if self.ids and number < self.ids[-1]:
            raise ValueError("tweets must be added in time order")
        tweet_id = str(number)
        parent = self.tweets[reply_to] if reply_to is not None else None
        full = self._reply_text(user, body, parent)
        wrapped, links = wrap_urls(full, tweet_id)
        text = wrapped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        record: dict[str, Any] = {
            "id": tweet_id,
            "text": text,
            "edit_history_tweet_ids": [tweet_id],
            "author_id": user["id"],
            "created_at": iso_ms(created_ms),
            "conversation_id": parent["conversation_id"] if parent else tweet_id,
            "lang": lang,
            "source": source,
            "possibly_sensitive": False,
            "reply_settings": "everyone",
        }
        if parent:
            record["in_reply_to_user_id"] = parent["author_id"]
            record["referenced_tweets"] = [{"type": "replied_to", "id": parent["id"]}]
            self.replies.setdefault(parent["id"], []).append(number)
        if found := entities(text, links, self.names):
            record["entities"] = found
        self.tweets[number] = record
        self.ids.append(number)
        self.authored.setdefault(user["id"], []).append(number)
        return record

    def _reply_text(self, author: dict[str, Any], body: str, parent: dict[str, Any] | None) -> str:
        """X writes the replied-to author (and their leading @s) in front of a reply."""
        if parent is None:
            return body
        wanted = [self.users[parent["author_id"]]["username"], *leading_mentions(parent["text"])]
        present = {name.lower() for name in leading_mentions(body)} | {author["username"].lower()}
        prefix = []
        for name in wanted:
            if name.lower() not in present:
                present.add(name.lower())
                prefix.append("@" + name)
        return " ".join([*prefix, body]) if prefix else body

    def mentions(self, record: dict[str, Any], username: str) -> bool:
        names = {m["username"].lower() for m in record.get("entities", {}).get("mentions", ())}
        return username.lower() in names

    # --- rendering at a moment: `bound` = the first id not yet posted ---------------------

    def metrics(self, record: dict[str, Any], bound: int) -> dict[str, int]:
        replies = bisect.bisect_left(self.replies.get(record["id"], ()), bound)
        seen = 20 + stable_number("views:" + record["id"], 400)
        return {
            "retweet_count": 0,
            "reply_count": replies,
            "like_count": 0,
            "quote_count": 0,
            "bookmark_count": 0,
            "impression_count": seen + 30 * replies,
        }

    def tweet(self, record: dict[str, Any], fields: frozenset[str], bound: int) -> dict[str, Any]:
        out = {name: record[name] for name in BASE_FIELDS}
        for name in sorted(fields - set(BASE_FIELDS)):
            if name == "public_metrics":
                out[name] = self.metrics(record, bound)
            elif name in record:
                out[name] = record[name]
        return out

    def user(self, user_id: str, fields: frozenset[str], bound: int) -> dict[str, Any]:
        record = self.users[user_id]
        out = {name: record[name] for name in USER_BASE}
        for name in sorted(fields - set(USER_BASE)):
            if name in ("most_recent_tweet_id", "pinned_tweet_id"):
                raise Unsupported(f"the stand-in does not render user.fields {name}")
            if name == "public_metrics":
                count = bisect.bisect_left(self.authored.get(user_id, ()), bound)
                out[name] = dict(record[name], tweet_count=count)
            elif record.get(name) is not None:
                out[name] = record[name]
        return out
