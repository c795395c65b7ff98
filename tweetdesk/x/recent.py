"""Recent search as sync runs it: X's 7-day window checked on X's clock (a start X refuses is
tried once more from later), and the query that finds quotes of the account's posts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from tweetdesk.errors import ApiError
from tweetdesk.x.page import Page
from tweetdesk.x.reach import id_time, later_start, search_start, shifted_warning, window_refusal

QUOTED_POSTS = 12  # "quotes_of_tweet_id:<19 digits> OR " is 42 characters; X allows 512
QUOTES_LABEL = "quotes of the account's posts"


class SearchApi(Protocol):
    def search(self, query: str, **window: Any) -> Page: ...


def quotes_query(posts: list[int]) -> str:
    """Posts that quote any of these (X's `quotes_of_tweet_id:` operator)."""
    return " OR ".join(f"quotes_of_tweet_id:{post}" for post in posts)


def search_fetch(
    api: SearchApi, query: str, now: datetime, warnings: list[str], label: str | None = None
) -> Callable[..., Page]:
    """Recent search, retried once from a later start when X refuses the start (or a
    since_id) as older than its 7-day window: X's clock and ours can disagree by minutes, and a
    long sync reaches its search minutes after it began. Later pages keep that start."""
    later: datetime | None = None

    def fetch(**window: Any) -> Page:
        nonlocal later
        if later is not None:
            window = not_before(window, later)
        try:
            return api.search(query, **window)
        except ApiError as exc:
            bound = window_refusal(str(exc)) if exc.status == 400 else None
            if bound is None or later is not None:
                raise
            later = later_start(str(exc), window.get("start_time") or search_start(now))
            warnings.append(shifted_warning(label or repr(query), bound, later))
            return api.search(query, **not_before(window, later))

    return fetch


def not_before(window: dict[str, Any], start: datetime) -> dict[str, Any]:
    """The window moved to begin at `start`: a since_id older than it gives way to start_time."""
    since_id = window.get("since_id")
    if since_id is not None and id_time(since_id) > start:
        return window
    begin = window.get("start_time")
    return {**window, "since_id": None, "start_time": max(begin, start) if begin else start}
