"""Everything the simulator knows: data, clock, faults, rate-limit windows and usage counters.

One re-entrant lock guards it all: the HTTP server answers on several threads, and a test may add
tweets or faults while a client is paging.
"""

from __future__ import annotations

import copy
import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from tweetdesk.sandbox.model import (
    DEFAULT_RATE_LIMITS,
    MS,
    Exchange,
    Fault,
    Scenario,
    as_utc,
    truncate_ms,
)
from tweetdesk.sandbox.scenario import populate
from tweetdesk.sandbox.timeline import Timeline

WINDOW = timedelta(minutes=15)
MENTION_TEMPLATES = (
    "@{account} hi, any update on order #{n}?",
    "@{account} loving the new beans, thanks! ({n})",
    "@{account} my delivery {n} arrived damaged :(",
    "@{account} do you ship to Ireland? asking for order {n}",
    "@{account} is the Guji back in stock yet? #{n}",
)


def _real_clock() -> datetime:
    return datetime.now(UTC)


class SandboxState:
    """All simulator data and counters; see docs/sandbox.md."""

    def __init__(self, scenario: Scenario, clock: Callable[[], datetime] | None = None) -> None:
        self.lock = threading.RLock()
        self.scenario = scenario
        fixed = scenario.now
        self._clock = clock or ((lambda: fixed) if scenario.now_is_fixed else _real_clock)
        self._offset = timedelta(0)
        self._last_post = datetime.min.replace(tzinfo=UTC)
        self.data = Timeline()
        self.exchanges: list[Exchange] = []
        self.dms: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.internal_errors: list[str] = []
        self.rate_limits = {**DEFAULT_RATE_LIMITS, **scenario.rate_limits}
        self.credentials = scenario.credentials
        self.revoked = scenario.revoked
        self.app_name = scenario.app_name
        self.issued_tokens: dict[str, str] = {}  # access tokens from the PIN flow -> secret
        self.request_tokens: dict[str, dict[str, str]] = {}
        self._windows: dict[str, tuple[datetime, int]] = {}
        self._counts: Counter[str] = Counter()
        self._by_endpoint: Counter[str] = Counter()
        account = self.data.add_user(scenario.account["username"], scenario.account)
        self.account = {k: account[k] for k in ("id", "username", "name")}
        self.pinned_tweet_id: str | None = None
        populate(self, scenario)

    # Clock -------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The simulator's time (UTC-aware)."""
        with self.lock:
            return as_utc(self._clock()) + self._offset

    def set_now(self, when: datetime) -> None:
        with self.lock:
            self._offset = as_utc(when) - as_utc(self._clock())

    def advance(self, seconds: float) -> None:
        with self.lock:
            self._offset += timedelta(seconds=seconds)

    def next_post_time(self) -> datetime:
        """Now, or 1 ms after the previous post when the clock stands still: ids keep rising."""
        with self.lock:
            when = max(truncate_ms(self.now()), self._last_post + MS)
            self._last_post = when
            return when

    # Data --------------------------------------------------------------------------------

    def add_user(
        self,
        username: str,
        *,
        name: str | None = None,
        followers_count: int = 10,
        receives_your_dm: bool = True,
        user_id: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        spec = {"name": name, "followers_count": followers_count, "id": user_id, **extra}
        spec["receives_your_dm"] = receives_your_dm
        with self.lock:
            return copy.deepcopy(self.data.add_user(username, spec))

    def add_tweet(
        self,
        author: str,
        text: str,
        *,
        created_at: datetime | None = None,
        in_reply_to: str | None = None,
        quote_of: str | None = None,
        source: str = "Twitter Web App",
        **extra: Any,
    ) -> dict[str, Any]:
        """Add a tweet by `author` (a username; unknown ones are created); returns its record."""
        with self.lock:
            user = self.data.ensure_user(author)
            parent = self._existing(in_reply_to, "in_reply_to")
            quoted = self._existing(quote_of, "quote_of")
            when = as_utc(created_at) if created_at else self.now()
            record = self.data.create(
                user, text, when, parent=parent, quoted=quoted, source=source, **extra
            )
            return self.data.copy_of(record)

    def _existing(self, tweet_id: str | None, what: str) -> dict[str, Any] | None:
        if tweet_id is None:
            return None
        found = self.data.live(str(tweet_id))
        if found is None:
            raise ValueError(f"{what}: no tweet with id {tweet_id}")
        return found

    def add_mentions(
        self, count: int, *, start: datetime, spacing: timedelta, author_prefix: str = "customer"
    ) -> list[str]:
        """Add `count` mentions of the account by ~50 authors, oldest first; returns their ids."""
        ids = []
        with self.lock:
            for n in range(count):
                author = self.data.ensure_user(f"{author_prefix}{n % 50}")
                template = MENTION_TEMPLATES[n % len(MENTION_TEMPLATES)]
                body = template.format(account=self.account["username"], n=n + 1)
                record = self.data.create(author, body, as_utc(start) + n * spacing)
                ids.append(record["id"])
        return ids

    def tweet(self, tweet_id: str) -> dict[str, Any] | None:
        """A live tweet with every field, as X would serve it (text HTML-escaped, as X's is)."""
        with self.lock:
            found = self.data.live(str(tweet_id))
            return self.data.copy_of(found) if found else None

    def account_tweets(self) -> list[dict[str, Any]]:
        with self.lock:
            mine = self.data.tweets_of(self.account["id"], cap=10**9)
            return [self.data.copy_of(t) for t in mine]

    # Faults, limits, usage ---------------------------------------------------------------

    def add_fault(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The fault that answers this request, if any; counts `after` and `times`."""
        with self.lock:
            for fault in self.faults:
                if fault.exhausted or not fault.matches(method, path):
                    continue
                if fault.passed < fault.after:
                    fault.passed += 1
                    continue
                fault.fired += 1
                return fault
            return None

    def hit_rate_limit(self, endpoint: str) -> tuple[int, int, int, bool]:
        """Count one request in `endpoint`'s window: (limit, remaining, reset epoch, allowed)."""
        with self.lock:
            limit = self.rate_limits.get(endpoint, 900)
            now = self.now()
            start, used = self._windows.get(endpoint, (now, 0))
            if now >= start + WINDOW:
                start, used = now, 0
            allowed = used < limit
            used += allowed
            self._windows[endpoint] = (start, used)
            reset = int((start + WINDOW).timestamp())
            return limit, limit - used, reset, allowed

    def count(self, what: str, n: int = 1, endpoint: str | None = None) -> None:
        with self.lock:
            self._counts[what] += n
            if endpoint:
                self._by_endpoint[endpoint] += n

    def usage(self) -> dict[str, Any]:
        with self.lock:
            names = ("requests", "posts_read", "posts_created", "dms_sent")
            found: dict[str, Any] = {name: self._counts[name] for name in names}
            found["by_endpoint"] = dict(self._by_endpoint)
            return found
