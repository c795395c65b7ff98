"""The simulator's users and tweets: creation as X does it, and the lookups handlers need.

Kept apart from `SandboxState` (counters, clock, faults) so that each stays readable. Records are
stored in API shape with every supported field; `fields.py` picks what a request asked for.
"""

from __future__ import annotations

import bisect
import copy
import re
from collections import Counter
from datetime import datetime
from typing import Any

from tweetdesk.sandbox import text as tt
from tweetdesk.sandbox.model import (
    IdSource,
    iso_ms,
    stable_account_created,
    stable_number,
    stable_user_id,
    truncate_ms,
    user_record,
)

_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")


def _references(parent: dict[str, Any] | None, quoted: dict[str, Any] | None) -> dict[str, Any]:
    """in_reply_to_user_id and referenced_tweets, present only when they apply (as on X)."""
    found: dict[str, Any] = {}
    references = []
    if parent:
        found["in_reply_to_user_id"] = parent["author_id"]
        references.append({"type": "replied_to", "id": parent["id"]})
    if quoted:
        references.append({"type": "quoted", "id": quoted["id"]})
    if references:
        found["referenced_tweets"] = references
    return found


class Timeline:
    """Users by id and username, tweets by id in time order; not thread-safe on its own."""

    def __init__(self, ids: IdSource | None = None) -> None:
        self.ids = ids or IdSource()
        self.users: dict[str, dict[str, Any]] = {}
        self.names: dict[str, str] = {}  # lower-case username -> id
        self.tweets: dict[str, dict[str, Any]] = {}
        self.deleted: set[str] = set()
        self.sent_text: dict[str, str] = {}  # text before t.co wrapping, for duplicate checks
        self.mentioned: dict[str, set[str]] = {}  # tweet id -> lower-case handles (whole post)
        self.extra: dict[str, dict[str, int]] = {}  # tweet id -> likes, retweets
        self.referenced: dict[str, dict[str, int]] = {}  # tweet id -> live replies, quotes
        self.authored: Counter[str] = Counter()  # user id -> live tweets
        self._order: list[int] = []

    # Users -------------------------------------------------------------------------------

    def add_user(self, username: str, spec: dict[str, Any]) -> dict[str, Any]:
        if not _HANDLE.fullmatch(username):
            raise ValueError(f"username {username!r} is not a valid X handle (1-15 of A-Z 0-9 _)")
        if username.lower() in self.names:
            raise ValueError(f"user @{username} already exists")
        user_id = str(spec.get("id") or stable_user_id(username))
        while user_id in self.users:
            user_id = str(int(user_id) + 1)
        created = spec.get("created_at") or iso_ms(stable_account_created(username))
        user = user_record(user_id, username, created, spec)
        self.users[user_id] = user
        self.names[username.lower()] = user_id
        return user

    def user_by_name(self, username: str) -> dict[str, Any] | None:
        user_id = self.names.get(username.lstrip("@").lower())
        return self.users.get(user_id) if user_id else None

    def ensure_user(self, username: str) -> dict[str, Any]:
        return self.user_by_name(username) or self.add_user(username.lstrip("@"), {})

    # Tweets ------------------------------------------------------------------------------

    def live(self, tweet_id: str) -> dict[str, Any] | None:
        if tweet_id in self.deleted:
            return None
        return self.tweets.get(tweet_id)

    def reply_text(
        self,
        author: dict[str, Any],
        body: str,
        parent: dict[str, Any] | None,
        exclude_ids: frozenset[str] = frozenset(),
    ) -> str:
        """X writes the replied-to author (and their leading @s) in front of a reply."""
        if parent is None:
            return body
        parent_author = self.users[parent["author_id"]]["username"]
        wanted = [parent_author, *tt.leading_mentions(parent["text"])]
        present = {name.lower() for name in tt.leading_mentions(body)}
        present.add(author["username"].lower())
        present |= {self.users[i]["username"].lower() for i in exclude_ids if i in self.users}
        prefix = []
        for name in wanted:
            if name.lower() not in present:
                present.add(name.lower())
                prefix.append("@" + name)
        return " ".join([*prefix, body]) if prefix else body

    def create(
        self,
        author: dict[str, Any],
        body: str,
        created: datetime,
        *,
        parent: dict[str, Any] | None = None,
        quoted: dict[str, Any] | None = None,
        source: str = "Twitter Web App",
        lang: str = "en",
        likes: int = 0,
        retweets: int = 0,
        exclude_ids: frozenset[str] = frozenset(),
        tweet_id: str | None = None,
        reply_settings: str = "everyone",
    ) -> dict[str, Any]:
        """Store a tweet as X would serve it; `tweet_id` defaults to the id of `created`."""
        created = truncate_ms(created)
        tweet_id = tweet_id or self.ids.at(created)
        full = self.reply_text(author, body, parent, exclude_ids)
        wrapped, links = tt.wrap_urls(full, salt=tweet_id)
        shown = tt.escape(tt.note_preview(wrapped))  # X keeps and serves text HTML-escaped
        record: dict[str, Any] = {
            "id": tweet_id,
            "text": shown,
            "edit_history_tweet_ids": [tweet_id],
            "author_id": author["id"],
            "created_at": iso_ms(created),
            "conversation_id": parent["conversation_id"] if parent else tweet_id,
            "lang": lang,
            "source": source,
            "possibly_sensitive": False,
            "reply_settings": reply_settings,
            **_references(parent, quoted),
        }
        whole = tt.escape(wrapped)
        self._add_entities(record, whole, links)
        self.tweets[tweet_id] = record
        self.sent_text[tweet_id] = full
        self.mentioned[tweet_id] = {name.lower() for name in tt.mention_names(whole)}
        self.extra[tweet_id] = {"likes": likes, "retweets": retweets}
        self._count_references(record, +1)
        self.authored[author["id"]] += 1
        bisect.insort(self._order, int(tweet_id))
        return record

    def _add_entities(self, record: dict[str, Any], whole: str, links: list[Any]) -> None:
        """`entities` of the served text; a long post's whole text and its entities go in
        `note_tweet`."""
        found = tt.entities(record["text"], links, self.names)
        if found:
            record["entities"] = found
        if whole != record["text"]:
            record["note_tweet"] = {"text": whole}
            note_entities = tt.entities(whole, links, self.names)
            if note_entities:
                record["note_tweet"]["entities"] = note_entities

    def delete(self, tweet_id: str) -> None:
        if tweet_id in self.tweets and tweet_id not in self.deleted:
            self.deleted.add(tweet_id)
            self._count_references(self.tweets[tweet_id], -1)
            self.authored[self.tweets[tweet_id]["author_id"]] -= 1

    def _count_references(self, tweet: dict[str, Any], step: int) -> None:
        for ref in tweet.get("referenced_tweets", ()):
            counts = self.referenced.setdefault(ref["id"], {"replied_to": 0, "quoted": 0})
            counts[ref["type"]] += step

    def newest_first(self) -> list[dict[str, Any]]:
        found = (self.live(str(tweet_id)) for tweet_id in reversed(self._order))
        return [tweet for tweet in found if tweet is not None]

    def mentions_of(self, user_id: str, cap: int, quotes: bool = False) -> list[dict[str, Any]]:
        """Tweets that @mention the user (and, with `quotes`, that quote one of theirs)."""
        name = self.users[user_id]["username"].lower()
        found = [
            tweet
            for tweet in self.newest_first()
            if tweet["author_id"] != user_id
            and (name in self.mentioned[tweet["id"]] or (quotes and self.quotes(tweet, user_id)))
        ]
        return found[:cap]

    def quotes(self, tweet: dict[str, Any], user_id: str) -> bool:
        """Whether `tweet` quotes a tweet by `user_id`."""
        for ref in tweet.get("referenced_tweets", ()):
            quoted = self.tweets.get(ref["id"])
            if ref["type"] == "quoted" and quoted is not None and quoted["author_id"] == user_id:
                return True
        return False

    def tweets_of(self, user_id: str, cap: int) -> list[dict[str, Any]]:
        return [t for t in self.newest_first() if t["author_id"] == user_id][:cap]

    def metrics(self, tweet: dict[str, Any]) -> dict[str, int]:
        """public_metrics; replies and quotes are counted from the live tweets held here."""
        refs = self.referenced.get(tweet["id"], {"replied_to": 0, "quoted": 0})
        extra = self.extra[tweet["id"]]
        seen = 20 + stable_number("views:" + tweet["id"], 400)
        engaged = extra["likes"] + extra["retweets"] + refs["replied_to"]
        return {
            "retweet_count": extra["retweets"],
            "reply_count": refs["replied_to"],
            "like_count": extra["likes"],
            "quote_count": refs["quoted"],
            "bookmark_count": extra["likes"] // 4,
            "impression_count": seen + 30 * engaged,
        }

    def copy_of(self, tweet: dict[str, Any]) -> dict[str, Any]:
        found = copy.deepcopy(tweet)
        found["public_metrics"] = self.metrics(tweet)
        return found
