"""The request ledger as money: this month's counts, its estimated cost, and the budget guard."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from tweetdesk.errors import BudgetExceeded
from tweetdesk.store.store import Store
from tweetdesk.values.times import to_iso


def month_start(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def month_bounds(now: datetime) -> tuple[str, str]:
    """This UTC month as ISO text [start, start of next month): a ledger that holds later rows
    (a clock set back, TWEETDESK_NOW in the past) must not count them in this month."""
    from dateutil.relativedelta import relativedelta

    start = month_start(now)
    return to_iso(start), to_iso(start + relativedelta(months=1))


def month_counts(store: Store, now: datetime) -> dict[str, int]:
    """This calendar month's (UTC) requests (a reconciled post is billed, not counted as a
    request), posts read, posts created, DMs sent and DM events read."""
    row = store.conn.execute(
        """
        SELECT coalesce(sum(endpoint NOT LIKE '%(reconciled)'), 0) AS requests,
               coalesce(sum(posts), 0) AS posts_read,
               coalesce(sum(endpoint LIKE 'POST /2/tweets%' AND status BETWEEN 200 AND 299), 0)
                   AS posts_created,
               coalesce(sum(endpoint LIKE 'POST /2/dm_conversations/%'
                            AND status BETWEEN 200 AND 299), 0) AS dms_sent,
               coalesce(sum(CASE WHEN price_key = 'dm_read' THEN units END), 0)
                   AS dm_events_read
        FROM requests WHERE at >= ? AND at < ?
        """,
        month_bounds(now),
    ).fetchone()
    return dict(row)


def _units(store: Store, now: datetime) -> dict[str, int]:
    rows = store.conn.execute(
        "SELECT price_key, sum(units) AS units FROM requests "
        "WHERE at >= ? AND at < ? AND price_key IS NOT NULL GROUP BY price_key ORDER BY price_key",
        month_bounds(now),
    )
    return {r["price_key"]: r["units"] for r in rows}


def cost_by_price(
    store: Store, now: datetime, prices: Mapping[str, float]
) -> dict[str, dict[str, float]]:
    return {
        key: {"units": units, "usd": round(units * prices.get(key, 0.0), 4)}
        for key, units in _units(store, now).items()
    }


def month_cost(store: Store, now: datetime, prices: Mapping[str, float]) -> float:
    """Unrounded, so the budget guard never drifts by the display rounding."""
    return sum(units * prices.get(key, 0.0) for key, units in _units(store, now).items())


def check_budget(
    store: Store,
    now: datetime,
    prices: Mapping[str, float],
    budget: float | None,
    price_key: str,
    units: int,
    what: str,
) -> None:
    """Refuse, before the request, what would take this month's spend past the budget."""
    if budget is None:
        return
    spent = month_cost(store, now, prices)
    upcoming = prices.get(price_key, 0.0) * units
    if spent + upcoming > budget + 1e-9:
        raise BudgetExceeded(
            f"stopped before {what}: this month's estimated spend ${spent:.3f} plus "
            f"${upcoming:.3f} would pass the ${budget:.2f} budget ([budget] monthly_usd)"
        )


# The most posts one timeline or search page can return (twitter.PAGE_SIZE; not imported here so
# the guard does not pull in tweepy). A page is refused unless even a full one fits the budget.
PAGE_POSTS = 100


def sync_guard(
    store: Store, now: datetime, prices: Mapping[str, float], budget: float | None
) -> Callable[..., None]:
    """`run_sync`'s `before_page` hook: stop before a page could take spend past the budget.
    A DM page is priced as the events it asks for (`posts`: its max_results)."""

    def before_page(source: str, posts: int = PAGE_POSTS) -> None:
        kinds = {"search": "post_read", "quotes": "post_read", "dms": "dm_read"}
        price_key = kinds.get(source.split(":")[0])
        noun = "DM events" if source == "dms" else "posts"
        check_budget(
            store,
            now,
            prices,
            budget,
            price_key or "owned_read",
            posts,
            f"the next {source} page (up to {posts} {noun})",
        )

    return before_page


def last_request_id(store: Store) -> int:
    row = store.conn.execute("SELECT max(id) FROM requests").fetchone()
    return int(row[0] or 0)


def spent_after(store: Store, after_id: int, prices: Mapping[str, float]) -> tuple[int, float]:
    """Requests made and their estimated cost since ledger row `after_id` (one command's run)."""
    rows = store.conn.execute(
        "SELECT price_key, units, endpoint FROM requests WHERE id > ?", (after_id,)
    ).fetchall()
    cost = sum(prices.get(r[0], 0.0) * r[1] for r in rows if r[0])
    return sum(1 for r in rows if not r[2].endswith("(reconciled)")), cost
