"""Evidence for a harassment report: every stored tweet by one user, muted or not.

The JSON keeps the text exactly as X served it, escaping only what a terminal would act on
(textsafe.json_safe), so it loads back to the exact strings: it is the format for a report.
The CSV is inert wherever it goes (a terminal, a pipe, a file another tool opens or `cat`s):
control, bidi and invisible characters are spelled out (textsafe.clean_terminal) and cells a
spreadsheet would evaluate get a leading `'` (textsafe.csv_cell).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tweetdesk.db import Store
from tweetdesk.errors import NotFoundError, UsageError
from tweetdesk.textsafe import clean_terminal, csv_cell, json_safe
from tweetdesk.threads import tweet_url
from tweetdesk.timeutil import from_iso, to_utc_text

FORMATS = ("csv", "json")
COLUMNS = (
    "id",
    "created_at",
    "author",
    "author_id",
    "text",
    "url",
    "conversation_id",
    "in_reply_to_id",
)


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


def find_user(store: Store, user: str) -> Any:
    """A user by @username (case-insensitive), or by numeric user id as a fallback."""
    name = user.strip().removeprefix("@")
    row = store.conn.execute(
        "SELECT id, username, name FROM users WHERE username = ? COLLATE NOCASE", (name,)
    ).fetchone()
    if row is None and name.isdigit():
        row = store.conn.execute(
            "SELECT id, username, name FROM users WHERE id = ?", (int(name),)
        ).fetchone()
    if row is None:
        raise NotFoundError(
            f"no user @{name} in the desk: evidence covers the tweets tweetdesk has synced"
        )
    return row


def collect(store: Store, user: str, now: datetime) -> Evidence:
    """Every stored tweet by the user, oldest first, with UTC time and link."""
    row = find_user(store, user)
    muted = store.conn.execute("SELECT 1 FROM muted WHERE user_id = ?", (row["id"],)).fetchone()
    tweets = [
        {
            "id": str(t["id"]),
            "created_at": to_utc_text(from_iso(t["created_at"])),
            "author": row["username"],
            "author_id": str(row["id"]),
            "text": t["text"],
            "url": tweet_url(row["username"], t["id"]),
            "conversation_id": str(t["conversation_id"]),
            "in_reply_to_id": str(t["replied_to_id"]) if t["replied_to_id"] else None,
        }
        for t in store.conn.execute(
            "SELECT id, created_at, text, conversation_id, replied_to_id FROM tweets "
            "WHERE author_id = ? ORDER BY created_at, id",
            (row["id"],),
        )
    ]
    user_info = {
        "id": str(row["id"]),
        "username": row["username"],
        "name": row["name"],
        "muted": muted is not None,
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


def to_csv(tweets: Sequence[dict[str, Any]]) -> str:
    """RFC 4180 CSV with a header row; every cell inert (see the module docstring)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for tweet in tweets:
        cells = ["" if tweet[c] is None else str(tweet[c]) for c in COLUMNS]
        writer.writerow([csv_cell(clean_terminal(cell)) for cell in cells])
    return out.getvalue()


def to_json(evidence: Evidence) -> str:
    return json_safe(evidence.as_json(), indent=2)
