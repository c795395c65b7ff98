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


def thread_view(
    row: Mapping[str, Any], now: datetime, clock: Clock, rules: Mapping[str, Sequence[str]]
) -> ThreadView:
    """A `threads` row joined with its reply target and customer, as listings show it at `now`."""
    waiting_since = from_iso(row["waiting_since"]) if row["waiting_since"] else None
    snooze_until = from_iso(row["snooze_until"]) if row["snooze_until"] else None
    status = effective_status(Status(row["status"]), waiting_since, snooze_until, now, clock)
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
        waiting_minutes=(
            int((now - waiting_since).total_seconds() // 60) if waiting_since else None
        ),
        business_minutes=business,
        overdue=overdue,
        sentiment=sentiment,
        tags=tags_for(text, json.loads(row["hashtags"] or "[]"), rules),
        source=row["source"],
        replyable=row["source"] == "mention" and row["found_via"] in ANSWERABLE,
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
