"""Everything the simulator knows: data, DMs, clock, options, faults, limits and usage counters.

One re-entrant lock guards it all: the HTTP server answers on several threads, and a test may add
tweets or faults while a client is paging.
"""

from __future__ import annotations

import copy
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from tweetdesk.sandbox.dms import DirectMessages, one_to_one_id
from tweetdesk.sandbox.limits import Limits, Verdict
from tweetdesk.sandbox.model import (
    DEFAULT_DAILY_LIMITS,
    DEFAULT_RATE_LIMITS,
    MS,
    SANDBOX_CREDENTIALS,
    Exchange,
    Fault,
    IdSource,
    Scenario,
    as_utc,
    iso_ms,
    truncate_ms,
)
from tweetdesk.sandbox.options import Options
from tweetdesk.sandbox.seed import add_dm_item, populate
from tweetdesk.sandbox.timeline import Timeline

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
        self.ids = IdSource()
        self.data = Timeline(self.ids)
        self.messages = DirectMessages()  # every DM event, incoming and outgoing
        self.exchanges: list[Exchange] = []
        self.dms: list[dict[str, Any]] = []  # DMs the account sent through the API
        self.faults: list[Fault] = []
        self.internal_errors: list[str] = []
        self.options: Options = scenario.options
        daily = {
            name: {**limits, **scenario.daily_limits.get(name, {})}
            for name, limits in DEFAULT_DAILY_LIMITS.items()
        }
        self.limits = Limits({**DEFAULT_RATE_LIMITS, **scenario.rate_limits}, daily)
        self.rate_limits = self.limits.rate_limits
        self.credentials = scenario.credentials
        self.revoked = scenario.revoked
        self.app_name = scenario.app_name
        self.issued_tokens: dict[str, str] = {}  # access tokens from the PIN flow -> secret
        self.request_tokens: dict[str, dict[str, str]] = {}
        self._counts: Counter[str] = Counter()
        self._by_endpoint: Counter[str] = Counter()
        account = self.data.add_user(scenario.account["username"], scenario.account)
        self.account = {k: account[k] for k in ("id", "username", "name")}
        self.pinned_tweet_id = populate(self.data, self.messages, scenario)
        for fault in scenario.faults:
            self.add_fault(replace(fault))

    # Clock and ids -----------------------------------------------------------------------

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

    def new_post(self) -> tuple[datetime, str]:
        """The time and id of something created now: the id is above every id so far."""
        with self.lock:
            when = self.next_post_time()
            return when, self.ids.fresh(when)

    # Users and tweets --------------------------------------------------------------------

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
        fresh_id: bool = False,
        **extra: Any,
    ) -> dict[str, Any]:
        """Add a tweet by `author` (a username; unknown ones are created); returns its record.

        The id is that of `created_at` (history), or with `fresh_id` above every id so far: a
        tweet arriving now, whatever `created_at` says (as X's ids grow with creation)."""
        with self.lock:
            user = self.data.ensure_user(author)
            parent = self._existing(in_reply_to, "in_reply_to")
            quoted = self._existing(quote_of, "quote_of")
            when = as_utc(created_at) if created_at else self.now()
            if fresh_id:
                extra["tweet_id"] = self.new_post()[1]
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

    # Direct messages ---------------------------------------------------------------------

    def add_dm(
        self,
        sender: str,
        text: str,
        *,
        recipient: str | None = None,
        created_at: datetime | None = None,
        fresh_id: bool = False,
    ) -> dict[str, Any]:
        """Add a one-to-one DM: from a customer to the account, or (`sender` the account) the
        account's to `recipient`, as if sent from the phone app. Ids as in `add_tweet`."""
        with self.lock:
            mine = sender.lstrip("@").lower() == self.account["username"].lower()
            if mine == (recipient is None):
                raise ValueError("a DM goes between the account and one customer")
            when = as_utc(created_at) if created_at else self.now()
            side = {"to": recipient} if mine else {"from": sender}
            item = {"kind": "MessageCreate", "text": text, "created": when, **side}
            return self.add_dm_item(item, fresh_id=fresh_id)

    def add_dm_item(self, item: dict[str, Any], *, fresh_id: bool = False) -> dict[str, Any]:
        """A DM item validated by `scenario_dms.check_dm`; returns the event ({} if scripted)."""
        with self.lock:
            arrival = self.new_post()[0] if fresh_id else None
            event = add_dm_item(self.data, self.messages, self.account["id"], item, arrival)
            return copy.deepcopy(event) if event else {}

    def script_dm_answer(self, customer: str, text: str, after_seconds: float = 0) -> None:
        """`customer` answers `text` by DM `after_seconds` after the account next DMs them."""
        item = {"kind": "scripted", "from": customer, "text": text, "after_seconds": after_seconds}
        self.add_dm_item(item)

    def dm_events(self) -> list[dict[str, Any]]:
        """Every DM event, newest first (both directions, groups included)."""
        with self.lock:
            self.release_due()
            return self.messages.copies()

    def release_due(self) -> None:
        """Scripted answers whose time has come become events (checked on every request)."""
        with self.lock:
            for due, item in self.messages.take_due(self.now()):
                when = max(truncate_ms(due), self._last_post + MS)  # after the account's DM
                self._last_post = when
                event = {"id": self.ids.fresh(when), "event_type": "MessageCreate"}
                event |= {"text": item.text, "sender_id": item.sender_id}
                event |= {"dm_conversation_id": item.conversation_id, "created_at": iso_ms(when)}
                event["recipient_id"] = self.account["id"]
                self.messages.add(event)

    def can_dm(self, user: dict[str, Any]) -> bool:
        """`receives_your_dm`: the user's settings, or a conversation they wrote in (assumed)."""
        conversation = one_to_one_id(self.account["id"], user["id"])
        return bool(user["receives_your_dm"]) or self.messages.has_written(user["id"], conversation)

    # Options, faults, limits, usage ------------------------------------------------------

    def set_options(self, changes: dict[str, Any]) -> Options:
        with self.lock:
            self.options = self.options.updated(changes)
            return self.options

    def required_credentials(self) -> dict[str, str] | None:
        """The keys a request must be signed with, or None when any well-formed header does."""
        if self.credentials:
            return self.credentials
        return dict(SANDBOX_CREDENTIALS) if self.options.require_credentials else None

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

    def hit_rate_limit(self, endpoint: str) -> Verdict:
        """Count one request in `endpoint`'s 15-minute window."""
        with self.lock:
            return self.limits.hit(endpoint, self.now())

    def count(self, what: str, n: int = 1, endpoint: str | None = None) -> None:
        with self.lock:
            self._counts[what] += n
            if endpoint:
                self._by_endpoint[endpoint] += n

    def usage(self) -> dict[str, Any]:
        with self.lock:
            names = ("requests", "posts_read", "posts_created", "dms_sent", "dm_events_read")
            found: dict[str, Any] = {name: self._counts[name] for name in names}
            found["by_endpoint"] = dict(self._by_endpoint)
            return found
