"""The schema's append-only history. Nothing else creates or changes tables.

Never edit a migration that has shipped: add a new one, and bump `store.SCHEMA_VERSION`.

Ids are INTEGER inside (ordering, snowflake arithmetic) and strings at the edges. Times are
ISO 8601 UTC text with milliseconds and a trailing Z, so text order is time order.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("tweetdesk")


@migrations()
def m001_initial(db: Database) -> None:
    # API-owned data: sync upserts these columns and nothing else touches them.
    db.table("users").create(
        {
            "id": int,
            "username": str,
            "name": str,
            "followers_count": int,
            "receives_your_dm": int,  # NULL when X did not say
            "protected": int,
            "verified": int,
            "updated_at": str,
        },
        pk="id",
    )
    db.execute("CREATE INDEX idx_users_username ON users (username COLLATE NOCASE)")
    db.table("tweets").create(
        {
            "id": int,
            "conversation_id": int,
            "author_id": int,
            "created_at": str,
            "text": str,
            "in_reply_to_user_id": int,
            "replied_to_id": int,
            "quoted_id": int,
            "found_via": str,  # mention | own | search
            "query": str,  # the [listen] query that found it (search only)
            "client": str,  # X's `source`: the app that posted it
            "mentions": str,  # JSON list of usernames
            "hashtags": str,  # JSON list, lower-case, no #
            "urls": str,  # JSON list of expanded URLs
            "like_count": int,
            "retweet_count": int,
            "reply_count": int,
            "quote_count": int,
            "lang": str,
            "sentiment": float,  # VADER compound, computed once at sync
            "synced_at": str,
        },
        pk="id",
    )
    db.table("tweets").create_index(["conversation_id", "created_at"])
    db.table("tweets").create_index(["author_id", "created_at"])

    # Local state: what the person did. A re-sync never writes here.
    db.table("marks").create(
        {
            "id": int,
            "conversation_id": int,
            "kind": str,  # stale | closed | dm | snooze | reopen
            "at": str,
            "until": str,  # snooze only
            "tweet_id": int,  # the tweet the action was about, if any
            "active": int,  # reopen deactivates earlier marks
        },
        pk="id",
        not_null={"conversation_id", "kind", "at", "active"},
    )
    db.table("marks").create_index(["conversation_id"])
    db.table("muted").create({"user_id": int, "username": str, "muted_at": str}, pk="user_id")

    # Derived cache, kept current at sync and by every action, so listings read only open
    # threads through an index. `number` is AUTOINCREMENT: given once, never reused.
    db.execute(
        """
        CREATE TABLE threads (
            number INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id INTEGER NOT NULL UNIQUE,
            source TEXT NOT NULL,
            status TEXT NOT NULL,
            customer_id INTEGER,
            tweet_id INTEGER,
            waiting_since TEXT,
            waiting_tweet_id INTEGER,
            first_customer_at TEXT,
            last_customer_at TEXT,
            first_response_at TEXT,
            last_answer_at TEXT,
            snooze_until TEXT,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_threads_status ON threads (status, waiting_since)")
    db.execute("CREATE INDEX idx_threads_customer ON threads (customer_id)")

    # Sync bookkeeping and the request ledger.
    db.table("cursors").create(
        {
            "source": str,  # mentions | own | search:<query>
            "top_id": int,  # newest id stored
            "gaps": str,  # JSON [[since_id, until_id], ...] still to fetch
            "floor": str,  # how far back the first sync reached
            "last_ok_at": str,
            "updated_at": str,
        },
        pk="source",
    )
    db.table("sync_runs").create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,  # running | ok | failed
            "new_tweets": int,
            "requests": int,
            "warnings": str,
            "error": str,
        },
        pk="id",
    )
    db.table("requests").create(
        {
            "id": int,
            "at": str,
            "method": str,
            "endpoint": str,  # templated, e.g. GET /2/users/:id/mentions
            "status": int,
            "posts": int,  # posts returned in data
            "price_key": str,  # a key of the price table, or NULL when not billed
            "units": int,  # how many of price_key this request is charged
        },
        pk="id",
    )
    db.table("requests").create_index(["at"])
    db.table("meta").create({"key": str, "value": str}, pk="key")


@migrations()
def m002_outbox(db: Database) -> None:
    # Every outgoing post or DM is written here before its request: queued -> sending ->
    # sent | failed (undone after `undo`). A row left `sending` is in doubt and is reconciled
    # against the account's own timeline (or DM events) before any retry.
    db.table("outbox").create(
        {
            "id": int,
            "kind": str,  # reply | note | dm
            "conversation_id": int,
            "target_tweet_id": int,  # the tweet answered (reply, note) or asked about (dm)
            "recipient_id": int,  # dm only
            "text": str,
            "state": str,
            "batch": str,  # bulk-reply: which file/filter run queued it
            "attempts": int,
            "remote_id": str,  # the tweet id or DM event id X gave
            "error": str,
            "created_at": str,
            "updated_at": str,
            "sent_at": str,
        },
        pk="id",
        not_null={"kind", "text", "state", "attempts", "created_at", "updated_at"},
    )
    db.table("outbox").create_index(["target_tweet_id", "kind"])
    db.table("outbox").create_index(["state"])


@migrations()
def m003_alerts(db: Database) -> None:
    # One row per alert delivered on a channel. `episode` identifies an overdue episode
    # (conversation and the waiting_since it started from), so a reopened thread can alert
    # again but the same episode never twice on the same channel.
    db.table("alerts_sent").create(
        {"episode": str, "channel": str, "conversation_id": int, "sent_at": str},
        pk=("episode", "channel"),
    )


@migrations()
def m004_marks_cover_what_was_seen(db: Database) -> None:
    # A mark (closed, stale, dm) answers only the tweets the desk had when it was recorded: the
    # newest stored tweet id of the conversation then. A customer tweet synced later, even one
    # written a minute before the mark, still waits. NULL (older marks): by time, as before.
    db.table("marks").add_column("covers_id", int)


@migrations()
def m006_dm_conversations(db: Database) -> None:
    # DM threads. X names a DM conversation with text ("<smaller user id>-<larger user id>", or
    # a snowflake for a group), while threads, marks, outbox and alerts_sent key a thread by an
    # INTEGER conversation_id. Each DM conversation gets a local integer `key` here, and keys
    # are negative (-1, -2, ...): X's ids are positive, so a DM thread's key can never be a
    # tweet conversation's, and every table keeps one integer key for both kinds of thread.
    # X's text id lives only here (listings and links join it back in).
    #
    # DM events are stored in `tweets` beside the posts, with found_via 'dm' and conversation_id
    # the negative key: X draws tweet and DM event ids from one snowflake space, so the ids never
    # collide, and the thread index, lookups, sentiment, stats and evidence read a DM as one
    # more message of a thread. `participant_id`: the customer of a one-to-one conversation
    # (NULL for a group); a public thread moved with `dm` links to its customer's conversation.
    db.execute(
        """
        CREATE TABLE dm_conversations (
            key INTEGER PRIMARY KEY CHECK (key < 0),
            id TEXT NOT NULL UNIQUE,
            participant_id INTEGER
        )
        """
    )
    db.table("dm_conversations").create_index(["participant_id"])
