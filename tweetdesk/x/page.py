"""One page of an X API answer as plain data: the posts (or DM events) in `tweets`, the users
from `includes`, and the paging facts from `meta`. No tweepy here, so the modules that only
read pages do not pay for importing it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Page:
    tweets: list[dict[str, Any]]
    users: list[dict[str, Any]]
    next_token: str | None
    newest_id: int | None = None
    oldest_id: int | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)


def to_page(body: dict[str, Any]) -> Page:
    meta = body.get("meta") or {}
    newest, oldest = meta.get("newest_id"), meta.get("oldest_id")
    return Page(
        tweets=list(body.get("data") or []),
        users=list((body.get("includes") or {}).get("users") or []),
        next_token=meta.get("next_token"),
        newest_id=int(newest) if newest else None,
        oldest_id=int(oldest) if oldest else None,
        errors=list(body.get("errors") or []),
    )
