"""Plain data of the simulator: faults, recorded exchanges, scenarios, ids and times.

Ids follow X's snowflake layout so that sorting ids sorts by time, exactly as a client relying on
`since_id`/`until_id` expects from the real API.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tweetdesk.sandbox.options import Options

TWITTER_EPOCH_MS = 1288834974657
SEQUENCE_BITS = 22
MS = timedelta(milliseconds=1)
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
API_VERSION = "2.166"
# Per-user limits per 15-minute window, from X's published table (docs.x.com/x-api/fundamentals/
# rate-limits, mirrored in xdevplatform/docs x-api/fundamentals/rate-limits.mdx, 2026).
DEFAULT_RATE_LIMITS = {
    "GET /2/users/me": 75,
    "GET /2/users/:id/mentions": 300,
    "GET /2/users/:id/tweets": 900,
    "GET /2/tweets/search/recent": 300,
    "GET /2/tweets": 5000,
    "GET /2/tweets/:id": 900,
    "POST /2/tweets": 100,
    "DELETE /2/tweets/:id": 50,
    "POST /2/dm_conversations/with/:participant_id/messages": 15,
    "POST /2/dm_conversations/:dm_conversation_id/messages": 15,
    "GET /2/dm_events": 15,
    "GET /2/dm_conversations/:dm_conversation_id/dm_events": 15,
    "GET /2/dm_conversations/with/:participant_id/dm_events": 15,
}
# 24-hour limits (per user, per app) from the same table: 10,000 posts a day per app, 1,440 DMs a
# day per user and per app. The table gives no per-user daily post limit; 2,400 is the account
# limit X's help centre states ("X limits": 2,400 posts per day).
DEFAULT_DAILY_LIMITS = {
    "POST /2/tweets": {"user": 2400, "app": 10000},
    "POST /2/dm_conversations/with/:participant_id/messages": {"user": 1440, "app": 1440},
    "POST /2/dm_conversations/:dm_conversation_id/messages": {"user": 1440, "app": 1440},
}
# The keys `tweetdesk sandbox serve` prints; required where `require_credentials` is on and the
# scenario names no credentials of its own.
SANDBOX_CREDENTIALS = {
    "consumer_key": "sandbox-consumer-key",
    "consumer_secret": "sandbox-consumer-secret",
    "access_token": "sandbox-access-token",
    "access_token_secret": "sandbox-access-token-secret",
}


@dataclass
class Fault:
    """One injected failure; see docs/sandbox.md for the semantics of each field."""

    match: str  # "METHOD /path-prefix" or "*"
    status: int | None = None
    times: int = 1
    after: int = 0
    delay: float = 0.0
    drop: bool = False
    reset_in: int = 900
    monthly_cap: bool = False
    commit: bool = False
    daily_cap: str | None = None  # "user" or "app": a 24-hour cap 429 (with status 429)
    html: bool = False  # answer with an HTML page instead of JSON (a 503 page, a portal's 200)
    # Counters kept by the simulator, not part of a fault's description.
    passed: int = field(default=0, compare=False)
    fired: int = field(default=0, compare=False)

    def matches(self, method: str, path: str) -> bool:
        if self.match.strip() == "*":
            return True
        want_method, _, prefix = self.match.strip().partition(" ")
        return want_method.upper() == method.upper() and path.startswith(prefix.strip())

    @property
    def exhausted(self) -> bool:
        return self.fired >= self.times


@dataclass
class Exchange:
    """One request and the answer the simulator gave (or began to give, when `dropped`)."""

    method: str
    path: str
    query: dict[str, list[str]]
    request_body: Any
    status: int
    response_headers: dict[str, str]
    response_body: Any
    # Extras beyond the documented fields (defaults keep positional construction working).
    request_headers: dict[str, str] = field(default_factory=dict)
    dropped: bool = False


@dataclass
class Scenario:
    """A validated scenario; `load_scenario` builds it from a built-in name or a JSON file."""

    name: str
    now: datetime  # the time `minutes_ago` is measured from
    now_is_fixed: bool  # True when the scenario itself gives `now`: the clock then stands still
    account: dict[str, Any]
    users: list[dict[str, Any]] = field(default_factory=list)
    tweets: list[dict[str, Any]] = field(default_factory=list)
    mentions_cap: int = 800
    timeline_cap: int = 3200
    rate_limits: dict[str, int] = field(default_factory=dict)
    daily_limits: dict[str, dict[str, int]] = field(default_factory=dict)
    dms: list[dict[str, Any]] = field(default_factory=list)
    options: Options = field(default_factory=Options)
    options_given: frozenset[str] = frozenset()  # the options the file set (strict: all of them)
    credentials: dict[str, str] | None = None
    revoked: bool = False
    faults: list[Fault] = field(default_factory=list)
    app_name: str = "tweetdesk"


def snowflake(when: datetime, sequence: int = 0) -> int:
    """The id X would give something created at `when` (millisecond precision)."""
    ms = (when - _UNIX_EPOCH) // MS  # integer arithmetic: float timestamps lose milliseconds
    return ((ms - TWITTER_EPOCH_MS) << SEQUENCE_BITS) | sequence


class IdSource:
    """Snowflake ids, unique across tweets and DM events as X's are. `at` gives the id of
    something created at a given time (scenario history); `fresh` one above every id issued so
    far, as X's ids grow with creation (a backdated `created_at` does not lower it)."""

    def __init__(self) -> None:
        self.issued: set[int] = set()
        self.highest = 0

    def _take(self, number: int) -> str:
        self.issued.add(number)
        self.highest = max(self.highest, number)
        return str(number)

    def at(self, when: datetime) -> str:
        sequence = 0
        while snowflake(when, sequence) in self.issued:
            sequence += 1
        return self._take(snowflake(when, sequence))

    def fresh(self, when: datetime) -> str:
        return self._take(max(snowflake(when), self.highest + 1))


def snowflake_time(tweet_id: int | str) -> datetime:
    ms = (int(tweet_id) >> SEQUENCE_BITS) + TWITTER_EPOCH_MS
    return _UNIX_EPOCH + ms * MS


def as_utc(when: datetime) -> datetime:
    """UTC-aware; a naive time is taken to be UTC already (never the machine's zone)."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def truncate_ms(when: datetime) -> datetime:
    return when.replace(microsecond=(when.microsecond // 1000) * 1000)


def iso_ms(when: datetime) -> str:
    """X's timestamp format: always milliseconds and a `Z` (tweepy parses no other form)."""
    when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def parse_time(value: str) -> datetime:
    """An ISO 8601 time with an explicit zone, as UTC; ValueError otherwise."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        raise ValueError(f"time {value!r} has no timezone (write it like 2026-11-23T08:40:00Z)")
    return parsed.astimezone(UTC)


def stable_number(text: str, modulo: int) -> int:
    """A number derived from `text` that is the same on every run (ids, dates, metrics)."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    return int(digest[:15], 16) % modulo


def stable_user_id(username: str) -> str:
    return str(1_000_000_000 + stable_number("user:" + username.lower(), 10**18))


def stable_account_created(username: str) -> datetime:
    base = datetime(2009, 3, 1, tzinfo=UTC)
    return base + timedelta(seconds=stable_number("since:" + username.lower(), 15 * 365 * 86400))


@dataclass
class ApiRequest:
    """An HTTP request as the router sees it (header names lower-case)."""

    method: str
    path: str
    query: dict[str, list[str]]
    raw_query: str
    headers: dict[str, str]
    body: bytes
    base_url: str  # scheme://host[:port] the client addressed, for OAuth signature checks

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class ApiResponse:
    """An answer: `body` is a JSON-able object, or text for the OAuth endpoints."""

    status: int
    body: Any
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False


def user_record(
    user_id: str, username: str, created: str, spec: Mapping[str, Any]
) -> dict[str, Any]:
    """A user with every field X serves (a request's `user.fields` picks from it); `spec` gives
    what a scenario set, the rest takes X's usual defaults."""
    user: dict[str, Any] = {
        "id": user_id,
        "username": username,
        "name": spec.get("name") or username,
        "created_at": created,
        "description": spec.get("description", ""),
        "protected": bool(spec.get("protected", False)),
        "verified": bool(spec.get("verified", False)),
        "receives_your_dm": bool(spec.get("receives_your_dm", True)),
        "public_metrics": {
            "followers_count": int(spec.get("followers_count", 10)),
            "following_count": int(spec.get("following_count", 120)),
            "tweet_count": 0,
            "listed_count": int(spec.get("listed_count", 0)),
            "like_count": int(spec.get("like_count", 40)),
        },
    }
    for key in ("location", "url"):
        if spec.get(key):
            user[key] = spec[key]
    return user
