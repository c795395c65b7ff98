"""Evidence for a harassment report: every stored tweet and DM by one user, muted or not (each
item's `kind` says which: a DM is private, and its link opens the conversation).

What is collected here is written out by `output.reports` (CSV or JSON, both inert).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tweetdesk.errors import NotFoundError, UsageError
from tweetdesk.store import history
from tweetdesk.store.store import Store
from tweetdesk.triage.views import dm_url, tweet_url
from tweetdesk.values.times import from_iso, to_utc_text

FORMATS = ("csv", "json")


@dataclass(frozen=True)
class Evidence:
    user: dict[str, Any]
    tweets: list[dict[str, Any]]
    exported_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "user": self.user,
            "exported_at": to_utc_text(self.exported_at),
            "count": len(self.tweets),
            "tweets": self.tweets,
        }


def collect(store: Store, user: str, now: datetime) -> Evidence:
    """Every stored tweet and DM by the user, oldest first, with UTC time and link."""
    row = history.find_user(store, user)
    if row is None:
        name = user.strip().removeprefix("@")
        raise NotFoundError(
            f"no user @{name} in the desk: evidence covers the tweets tweetdesk has synced"
        )
    tweets = [
        {
            "id": str(t["id"]),
            "created_at": to_utc_text(from_iso(t["created_at"])),
            "author": row["username"],
            "author_id": str(row["id"]),
            "text": t["text"],
            "url": dm_url(t["dm_id"]) if t["dm_id"] else tweet_url(row["username"], t["id"]),
            "conversation_id": t["dm_id"] or str(t["conversation_id"]),
            "in_reply_to_id": str(t["replied_to_id"]) if t["replied_to_id"] else None,
            "kind": "dm" if t["found_via"] == "dm" else "tweet",
        }
        for t in history.tweets_by(store, row["id"])
    ]
    user_info = {
        "id": str(row["id"]),
        "username": row["username"],
        "name": row["name"],
        "muted": history.is_muted(store, row["id"]),
    }
    return Evidence(user_info, tweets, now)


def check_format(fmt: str) -> str:
    value = fmt.strip().lower()
    if value not in FORMATS:
        raise UsageError(f"bad value for --format: {fmt!r} (use csv or json)")
    return value


def pick_format(fmt: str | None, *, as_json: bool) -> str:
    """--format, or --json (its alias for json); csv when neither is given."""
    if not as_json:
        return check_format(fmt or "csv")
    if fmt is not None and check_format(fmt) != "json":
        raise UsageError(f"--json and --format {fmt} contradict each other (give one of them)")
    return "json"
