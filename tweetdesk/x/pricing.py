"""What each X API request costs: its endpoint, its key in the price table and how many units
of it (X bills per post read, per post or DM created, per user read).
"""

from __future__ import annotations

import re
from typing import Any


def endpoint_of(method: str, path: str) -> str:
    """Template a path for the ledger: /2/users/123/mentions -> GET /2/users/:id/mentions, and
    a DM conversation's id (`123-456`) the same way."""
    path = re.sub(r"(?<=/)(?:\d+-\d+|\d{3,})(?=/|$)", ":id", path.split("?", 1)[0])
    return f"{method.upper()} {path}"


def ledger_row(method: str, path: str, status: int, data: Any, body: Any) -> dict[str, Any]:
    """What a request cost: its price-table key and how many units of it. `status` 0: no answer;
    `data` is the answer's `data` member, `body` the request's JSON body."""
    endpoint = endpoint_of(method, path)
    posts = 0
    price_key, units = None, 0
    if 200 <= status < 300:
        count = len(data) if isinstance(data, list) else (1 if data else 0)
        price_key, units = ledger_price(endpoint, body, count)
        if price_key in ("owned_read", "post_read"):
            posts = count
    return {
        "method": method.upper(),
        "endpoint": endpoint,
        "status": status,
        "posts": posts,
        "price_key": price_key,
        "units": units,
    }


def ledger_price(endpoint: str, body: Any, count: int) -> tuple[str | None, int]:
    """The price-table key and units of a successful request."""
    if endpoint in ("GET /2/users/:id/mentions", "GET /2/users/:id/tweets"):
        return "owned_read", count
    if endpoint.startswith("GET /2/tweets"):
        return "post_read", count
    if endpoint == "GET /2/users/me":
        return "user_read", 1
    if endpoint.startswith(("GET /2/dm_events", "GET /2/dm_conversations/")):
        return "dm_read", count
    if endpoint == "POST /2/tweets":
        text = body.get("text", "") if isinstance(body, dict) else ""
        from tweetdesk.values.xtext import contains_url

        if contains_url(text):
            return "url_post_created", 1
        return ("reply_created" if body.get("reply") else "post_created"), 1
    if endpoint.startswith("POST /2/dm_conversations"):
        return "dm_sent", 1
    if endpoint.startswith("DELETE"):
        return "delete", 1
    return None, 0
