"""Build desk data for unit tests the way sync does: ingest rows, then threads.refresh."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from tweetdesk.store import threads
from tweetdesk.store.store import Store
from tweetdesk.values.times import to_iso
from tweetdesk.x.ingest import tweet_row, user_row

ACCOUNT_ID = 1
ACCOUNT = "acme"


class DeskData:
    """A desk with our account `@acme` (id 1) and helpers to add customers, tweets and marks."""

    def __init__(self, path: Path | str, now: datetime) -> None:
        self.store = Store(path)
        self.now = now
        self.store.set_meta("account", f"{ACCOUNT_ID}\t{ACCOUNT}\tAcme")
        self.user(ACCOUNT_ID, ACCOUNT, "Acme")

    def user(self, user_id: int, username: str, name: str = "") -> None:
        row = user_row(
            {"id": str(user_id), "username": username, "name": name or username},
            updated_at=to_iso(self.now),
        )
        self.store.upsert_users([row])

    def tweet(
        self,
        tweet_id: int,
        author_id: int,
        at: datetime,
        text: str = "@acme hello",
        *,
        conversation_id: int | None = None,
        found_via: str | None = None,
        reply_to: int | None = None,
        hashtags: tuple[str, ...] = (),
        sentiment: float = 0.0,
    ) -> int:
        api: dict[str, Any] = {
            "id": str(tweet_id),
            "text": text,
            "author_id": str(author_id),
            "conversation_id": str(conversation_id or tweet_id),
            "created_at": to_iso(at),
            "entities": {"hashtags": [{"tag": h} for h in hashtags]},
        }
        if reply_to:
            api["referenced_tweets"] = [{"type": "replied_to", "id": str(reply_to)}]
        via = found_via or ("own" if author_id == ACCOUNT_ID else "mention")
        row = tweet_row(
            api,
            found_via=via,
            synced_at=to_iso(self.now),
            sentiment=None if via == "own" else sentiment,
        )
        self.store.upsert_tweets([row])
        self.refresh(row["conversation_id"])
        return tweet_id

    def mark(
        self, conversation_id: int, kind: str, at: datetime, until: datetime | None = None
    ) -> None:
        with self.store.write() as conn:
            conn.execute(
                "INSERT INTO marks (conversation_id, kind, at, until, tweet_id, active) "
                "VALUES (?, ?, ?, ?, ?, 1)",
                (conversation_id, kind, to_iso(at), until and to_iso(until), conversation_id),
            )
        self.refresh(conversation_id)

    def mute(self, user_id: int, username: str) -> None:
        with self.store.write() as conn:
            conn.execute(
                "INSERT INTO muted (user_id, username, muted_at) VALUES (?, ?, ?)",
                (user_id, username, to_iso(self.now)),
            )
        convs = [
            r[0]
            for r in self.store.conn.execute(
                "SELECT DISTINCT conversation_id FROM tweets WHERE author_id = ?", (user_id,)
            )
        ]
        self.refresh(*convs)

    def synced(self, at: datetime, status: str = "ok", error: str | None = None) -> None:
        run = self.store.start_run(to_iso(at))
        fields: dict[str, Any] = {"finished_at": to_iso(at), "status": status}
        if error:
            fields["error"] = error
        self.store.finish_run(run, fields)

    def refresh(self, *conversation_ids: int) -> None:
        threads.refresh(self.store, conversation_ids, account_id=ACCOUNT_ID, now=self.now)

    def number(self, conversation_id: int) -> int:
        row = self.store.conn.execute(
            "SELECT number FROM threads WHERE conversation_id = ?", (conversation_id,)
        ).fetchone()
        return int(row[0])
