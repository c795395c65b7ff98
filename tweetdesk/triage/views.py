"""A thread as a listing shows it at `now` (ThreadView), built from a stored `threads` row, and
the inbox's groups. The links X gives every post live here too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tweetdesk.triage.clock import Clock, effective_status, is_overdue, sla_elapsed
from tweetdesk.triage.priority import priority
from tweetdesk.triage.sentiment import is_complaint, is_shouting
from tweetdesk.triage.state import ANSWERABLE, Status
from tweetdesk.triage.tags import tags_for
from tweetdesk.values.times import from_iso

BRAND_TALK = "Brand talk, answer in the X app"
DIRECT_MESSAGES = "Direct messages"


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
    dm_conversation: str | None = None  # X's dm_conversation_id, for a DM thread

    @property
    def url(self) -> str:
        if self.dm_conversation is not None:
            return dm_url(self.dm_conversation)
        return tweet_url(self.author, self.tweet_id)

    @property
    def public_conversation_id(self) -> str:
        """The conversation id as X names it: a DM thread's dm_conversation_id (its local key
        is negative: store.dms), else the tweet conversation's id."""
        return self.dm_conversation or str(self.conversation_id)


def tweet_url(username: str, tweet_id: int) -> str:
    return f"https://x.com/{username or 'i'}/status/{tweet_id}"


def dm_url(dm_conversation_id: str) -> str:
    """Where X shows a DM conversation (the account's inbox, for the desk's owner)."""
    return f"https://x.com/messages/{dm_conversation_id}"


def thread_view(
    row: Mapping[str, Any], now: datetime, clock: Clock, rules: Mapping[str, Sequence[str]]
) -> ThreadView:
    """A `threads` row joined with its reply target and customer, as listings show it at `now`."""
    waiting_since = from_iso(row["waiting_since"]) if row["waiting_since"] else None
    snooze_until = from_iso(row["snooze_until"]) if row["snooze_until"] else None
    source = row["source"]
    status = effective_status(
        Status(row["status"]), waiting_since, snooze_until, now, clock, source
    )
    overdue = is_overdue(status, waiting_since, now, clock)
    business = None
    if clock.hours is not None and waiting_since is not None:
        business = int(sla_elapsed(waiting_since, now, clock).total_seconds() // 60)
    text = row["text"] or ""
    sentiment = row["sentiment"] or 0.0
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
        waiting_minutes=(  # a message stamped a moment after `now` (clock skew) waited 0
            max(int((now - waiting_since).total_seconds() // 60), 0) if waiting_since else None
        ),
        business_minutes=business,
        overdue=overdue,
        sentiment=sentiment,
        tags=tags_for(text, json.loads(row["hashtags"] or "[]"), rules),
        source=source,
        replyable=source == "dm" or (source == "mention" and row["found_via"] in ANSWERABLE),
        followers=row["followers_count"] or 0,
        priority=priority(sentiment, row["followers_count"], complaint, shouting=is_shouting(text)),
        customer_id=row["customer_id"],
        complaint=complaint,
        dm_conversation=row["dm_conversation_id"],
    )


def group_inbox(views: Sequence[ThreadView]) -> dict[str, list[ThreadView]]:
    """Overdue (mentions and DMs past the target), waiting mentions, direct messages, brand
    talk (search: answered in the app), then everything else. A DM waits in private, so its
    own group comes after the public mentions until it is overdue."""
    groups: dict[str, list[ThreadView]] = {
        "Overdue": [],
        "Waiting": [],
        DIRECT_MESSAGES: [],
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
        elif v.source == "dm":
            groups[DIRECT_MESSAGES].append(v)
        else:
            groups["Waiting"].append(v)
    return groups
