"""Listing threads in SQL: which stored threads a listing shows (open, overdue, stale, snoozed or
all), filtered, in the inbox's order (overdue first, then priority, then the longest waiting), a
page at a time, and how many there are. Views are built only for the rows returned.

The read-time rules (a wait past its source's stale limit is stale, one past the SLA overdue)
come as instants (`triage.clock.cutoffs`), compared with `waiting_since` over the (status,
waiting_since) index, and the (source, status, waiting_since) one for a source with a stale rule
of its own (DMs). Priority and tags are stored columns (`store.scores`): a listing scores what it
may show and was not scored yet (usually nothing: sync scores the open threads), and never
recomputes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tweetdesk.store import scores
from tweetdesk.store.store import PY_LOWER, Store
from tweetdesk.triage.clock import Clock, Cutoffs
from tweetdesk.triage.state import ANSWERABLE
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
_AWAKE = "(th.status = 'open' OR th.snooze_until IS NULL OR th.snooze_until <= :now)"
# triage.views' rule as SQL: a DM thread, or a mention thread whose target mentions or quotes us.
REPLYABLE = (
    "(th.source = 'dm' OR (th.source = 'mention' AND "
    "(SELECT r.found_via FROM tweets r WHERE r.id = th.tweet_id) IN "
    f"({', '.join(repr(way) for way in ANSWERABLE)})))"
)
_VIEW_COLUMNS = f"""
th.number, th.conversation_id, th.status, th.tweet_id, th.customer_id, th.waiting_since,
th.snooze_until, th.source, th.priority, th.complaint, th.tags,
t.text, t.sentiment, t.hashtags, u.username, u.name, u.followers_count,
d.id AS dm_conversation_id, {REPLYABLE} AS replyable
"""
_JOINS = (
    "JOIN tweets t ON t.id = th.tweet_id LEFT JOIN users u ON u.id = th.customer_id "
    "LEFT JOIN dm_conversations d ON d.key = th.conversation_id"
)


def _within(cut: Cutoffs, name: str, *, stale: bool) -> tuple[str, dict[str, Any]]:
    """Awake threads whose wait is inside their source's stale limit (or, `stale`, past it):
    one branch per index range, so SQLite reads only those rows (a multi-index OR)."""
    op = "<" if stale else ">="
    params: dict[str, Any] = {name: to_iso_ceil(cut.fresh_from)}
    own = [f":{name}_source{i}" for i in range(len(cut.own_fresh_from))]
    others = f" AND th.source NOT IN ({', '.join(own)})" if own else ""
    branches = [f"({_ACTIVE} AND th.waiting_since {op} :{name}{others})"]
    for i, (source, since) in enumerate(cut.own_fresh_from):
        params[f"{name}_source{i}"] = source
        if since is None:  # never stale
            if not stale:
                branches.append(f"(th.source = :{name}_source{i} AND {_ACTIVE})")
            continue
        params[f"{name}_{i}"] = to_iso_ceil(since)
        bound = f"th.waiting_since {op} :{name}_{i}"
        branches.append(f"(th.source = :{name}_source{i} AND {_ACTIVE} AND {bound})")
    return f"({' OR '.join(branches)}) AND {_AWAKE}", params


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
    """One command's listings: the desk, its cutoffs (computed once) and [tags] rules.
    `stale_cut`: other stale limits for the stale scope (`stale --older-than`)."""

    def __init__(
        self,
        store: Store,
        cut: Cutoffs,
        clock: Clock,
        rules: Mapping[str, Sequence[str]],
        *,
        stale_cut: Cutoffs | None = None,
    ) -> None:
        self.store = store
        self.cut = cut
        self.clock = clock
        self.rules = rules
        self._rules_checked = False
        fresh, self._params0 = _within(cut, "fresh", stale=False)
        stale, older = _within(stale_cut or cut, "older", stale=True)
        self._params0.update(older)
        self._params0.update(now=to_iso(cut.now), overdue=to_iso_ceil(cut.overdue_before))
        overdue = f"{fresh} AND th.waiting_since < :overdue"
        self.scopes = {
            "open": fresh,
            "overdue": overdue,
            "stale": stale,
            "snoozed": "th.status = 'snoozed' AND th.snooze_until > :now",
            "all": "1",
        }
        # Where the scope already says most of the order (every row fresh, or overdue), SQL
        # sorts by what is left.
        self.orders = {
            "open": (
                "th.waiting_since < :overdue DESC, th.priority DESC, th.waiting_since, th.number"
            ),
            "overdue": "th.priority DESC, th.waiting_since, th.number",
        }
        self.order = (
            f"coalesce({overdue}, 0) DESC, th.priority DESC, "
            "th.waiting_since IS NULL, th.waiting_since, th.number"
        )

    def _params(self, match: Match = Match(), **more: Any) -> dict[str, Any]:
        given = {"tag": match.tag, "author": match.author, "source": match.source}
        return {**self._params0, **given, **more}

    def _current_tags(self) -> None:
        if not self._rules_checked:
            scores.forget_old_tags(self.store, self.rules)
            self._rules_checked = True

    def score(self, scope: str = "open") -> int:
        """Score the threads of `scope` not scored yet (sync does this for the open ones)."""
        self._current_tags()
        return scores.fill(self.store, self.scopes[scope], self._params(), self.rules)

    def threads(
        self,
        scope: str = "open",
        match: Match = Match(),
        *,
        limit: int | None = None,
    ) -> list[ThreadView]:
        """The threads of `scope` matching `match`, most urgent first; the first `limit`."""
        self.score(scope)
        order = self.orders.get(scope, self.order)
        inner = f"SELECT th.* FROM threads th WHERE {self.scopes[scope]}{_matching(match)} "
        inner += f"ORDER BY {order}" + (" LIMIT :limit" if limit is not None else "")
        sql = f"SELECT {_VIEW_COLUMNS} FROM ({inner}) th {_JOINS} ORDER BY {order}"
        rows = self.store.conn.execute(sql, self._params(match, limit=limit))
        return [thread_view(row, self.cut, self.clock, self.rules) for row in rows]

    def count(self, scope: str = "open", match: Match = Match()) -> int:
        """How many threads of `scope` match (tags are stored first where a filter needs them)."""
        params = self._params(match)
        if match.tag is not None:
            self._current_tags()
            scores.fill_tags(self.store, self.scopes[scope], params, self.rules)
        sql = f"SELECT count(*) FROM threads th WHERE {self.scopes[scope]}{_matching(match)}"
        return int(self.store.conn.execute(sql, params).fetchone()[0])

    def one(self, conversation_id: int) -> ThreadView | None:
        """One thread as the listings show it (None: it has no customer tweet to show)."""
        where = "th.conversation_id = :conversation_id"
        params = self._params(conversation_id=conversation_id)
        self._current_tags()
        scores.fill(self.store, where, params, self.rules)
        row = self.store.conn.execute(
            f"SELECT {_VIEW_COLUMNS} FROM threads th {_JOINS} WHERE {where}", params
        ).fetchone()
        return None if row is None else thread_view(row, self.cut, self.clock, self.rules)
