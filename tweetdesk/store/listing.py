"""Listing threads in SQL: which stored threads a listing shows (open, overdue, stale, snoozed or
all), filtered, in the inbox's order (overdue first, then priority, then the longest waiting), a
page at a time, and how many there are. Views are built only for the rows returned.

The read-time rules (a wait past `stale_after` is stale, one past the SLA is overdue) come as
instants (`triage.clock.cutoffs`), compared with `waiting_since` over the (status,
waiting_since) index. Priority and tags are stored columns (`store.scores`): a listing scores
what it may show and was not scored yet (usually nothing: sync scores the open threads), and
never recomputes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tweetdesk.store import scores
from tweetdesk.store.store import PY_LOWER, Store
from tweetdesk.triage.clock import Clock, Cutoffs
from tweetdesk.triage.views import ThreadView, thread_view
from tweetdesk.values.times import to_iso, to_iso_ceil


@dataclass(frozen=True)
class Match:
    """Filters: each given one must hold."""

    tag: str | None = None  # lower-case, no '#'
    author: str | None = None  # username, no '@' (any case)
    source: str | None = None
    replyable: bool = False  # only threads that can be answered through the API


# Open as listings count it: stored open, or a snooze that has ended. Stored open and snoozed
# rows always have a waiting_since (triage.state.derive_thread), so the ranges below see them all.
_ACTIVE = "th.status IN ('open', 'snoozed')"
_AWAKE = f"{_ACTIVE} AND (th.status = 'open' OR th.snooze_until IS NULL OR th.snooze_until <= :now)"
_FRESH = f"{_AWAKE} AND th.waiting_since >= :fresh"
_OVERDUE = f"{_FRESH} AND th.waiting_since < :overdue"
SCOPES = {
    "open": _FRESH,
    "overdue": _OVERDUE,
    "stale": f"{_AWAKE} AND th.waiting_since < :older",  # older: `fresh` unless given
    "snoozed": "th.status = 'snoozed' AND th.snooze_until > :now",
    "all": "1",
}
REPLYABLE = (
    "(th.source = 'mention' AND "
    "(SELECT r.found_via FROM tweets r WHERE r.id = th.tweet_id) = 'mention')"
)
_ORDER = (
    f"coalesce({_OVERDUE}, 0) DESC, th.priority DESC, "
    "th.waiting_since IS NULL, th.waiting_since, th.number"
)
# The same order where the scope already says most of it (every row open and fresh, or overdue).
_ORDERS = {
    "open": "th.waiting_since < :overdue DESC, th.priority DESC, th.waiting_since, th.number",
    "overdue": "th.priority DESC, th.waiting_since, th.number",
}
_VIEW_COLUMNS = f"""
th.number, th.conversation_id, th.status, th.tweet_id, th.customer_id, th.waiting_since,
th.snooze_until, th.source, th.priority, th.complaint, th.tags,
t.text, t.sentiment, t.hashtags, u.username, u.name, u.followers_count,
{REPLYABLE} AS replyable
"""


def _matching(match: Match) -> str:
    parts = []
    if match.source is not None:
        parts.append("th.source = :source")
    if match.author is not None:
        parts.append(
            "th.customer_id IN (SELECT id FROM users WHERE username = :author COLLATE NOCASE)"
        )
    if match.tag is not None:
        parts.append(
            f"EXISTS (SELECT 1 FROM json_each(th.tags) j WHERE {PY_LOWER}(j.value) = :tag)"
        )
    if match.replyable:
        parts.append(REPLYABLE)
    return "".join(f" AND {p}" for p in parts)


class Listing:
    """One command's listings: the desk, its cutoffs (computed once) and [tags] rules."""

    def __init__(
        self, store: Store, cut: Cutoffs, clock: Clock, rules: Mapping[str, Sequence[str]]
    ) -> None:
        self.store = store
        self.cut = cut
        self.clock = clock
        self.rules = rules
        self._rules_checked = False

    def _params(self, match: Match, older: datetime | None, **more: Any) -> dict[str, Any]:
        return {
            "now": to_iso(self.cut.now),
            "fresh": to_iso_ceil(self.cut.fresh_from),
            "overdue": to_iso_ceil(self.cut.overdue_before),
            "older": to_iso_ceil(older or self.cut.fresh_from),
            "tag": match.tag,
            "author": match.author,
            "source": match.source,
            **more,
        }

    def _current_tags(self) -> None:
        if not self._rules_checked:
            scores.forget_old_tags(self.store, self.rules)
            self._rules_checked = True

    def score(self, scope: str = "open", older: datetime | None = None) -> int:
        """Score the threads of `scope` not scored yet (sync does this for the open ones)."""
        self._current_tags()
        params = self._params(Match(), older)
        return scores.fill(self.store, SCOPES[scope], params, self.rules)

    def threads(
        self,
        scope: str = "open",
        match: Match = Match(),
        *,
        limit: int | None = None,
        older: datetime | None = None,
    ) -> list[ThreadView]:
        """The threads of `scope` matching `match`, most urgent first; the first `limit`."""
        self.score(scope, older)
        order = _ORDERS.get(scope, _ORDER)
        inner = f"SELECT th.* FROM threads th WHERE {SCOPES[scope]}{_matching(match)} "
        inner += f"ORDER BY {order}" + (" LIMIT :limit" if limit is not None else "")
        sql = (
            f"SELECT {_VIEW_COLUMNS} FROM ({inner}) th JOIN tweets t ON t.id = th.tweet_id "
            f"LEFT JOIN users u ON u.id = th.customer_id ORDER BY {order}"
        )
        rows = self.store.conn.execute(sql, self._params(match, older, limit=limit))
        return [thread_view(row, self.cut, self.clock, self.rules) for row in rows]

    def count(
        self,
        scope: str = "open",
        match: Match = Match(),
        *,
        older: datetime | None = None,
    ) -> int:
        """How many threads of `scope` match (tags are stored first where a filter needs them)."""
        params = self._params(match, older)
        if match.tag is not None:
            self._current_tags()
            scores.fill_tags(self.store, SCOPES[scope], params, self.rules)
        sql = f"SELECT count(*) FROM threads th WHERE {SCOPES[scope]}{_matching(match)}"
        return int(self.store.conn.execute(sql, params).fetchone()[0])

    def one(self, conversation_id: int) -> ThreadView | None:
        """One thread as the listings show it (None: it has no customer tweet to show)."""
        where = "th.conversation_id = :conversation_id"
        params = self._params(Match(), None, conversation_id=conversation_id)
        self._current_tags()
        scores.fill(self.store, where, params, self.rules)
        row = self.store.conn.execute(
            f"SELECT {_VIEW_COLUMNS} FROM threads th JOIN tweets t ON t.id = th.tweet_id "
            f"LEFT JOIN users u ON u.id = th.customer_id WHERE {where}",
            params,
        ).fetchone()
        return None if row is None else thread_view(row, self.cut, self.clock, self.rules)
