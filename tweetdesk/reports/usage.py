"""`usage`: this month's requests, reads, writes and estimated cost against the budget."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tweetdesk.store.ledger import cost_by_price, month_bounds, month_cost, month_counts
from tweetdesk.store.store import Store


def usage(
    store: Store, now: datetime, prices: Mapping[str, float], budget: float | None
) -> dict[str, Any]:
    """This calendar month's (UTC) requests, reads, writes and estimated cost."""
    counts = month_counts(store, now)
    return {
        "month": month_bounds(now)[0][:7],
        "requests": counts["requests"],
        "posts_read": counts["posts_read"],
        "posts_created": counts["posts_created"],
        "dms_sent": counts["dms_sent"],
        "dm_events_read": counts["dm_events_read"],
        "estimated_cost_usd": round(month_cost(store, now, prices), 4),
        "budget_usd": budget,
        "by_price": cost_by_price(store, now, prices),
        "prices": dict(prices),
    }
