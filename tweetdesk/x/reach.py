"""How far back X can still answer: the mentions timeline's 800 newest, recent search's 7 days.

Pure functions over sync ranges ((since_id, until_id), both exclusive, None = open) and times;
`x.sync` applies them and reports the warnings they return.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from tweetdesk.values.times import from_iso

MENTIONS_CAP = 800  # the mentions timeline reaches only the newest 800
SEARCH_WINDOW = timedelta(days=7)  # recent search covers 7 days
# X answers 400 for a start_time or since_id older than its window, measured on X's clock at
# the moment the search arrives: stay well inside it, so a local clock minutes behind X's or a
# sync that spends minutes before its search still asks within the window.
SEARCH_MARGIN = timedelta(minutes=10)
TWITTER_EPOCH_MS = 1288834974657  # ids are snowflakes: milliseconds since this, shifted by 22

Range = tuple[int | None, int | None]  # (since_id, until_id), both exclusive; None = open


def id_time(tweet_id: int) -> datetime:
    """When a tweet was posted, read from its snowflake id."""
    return datetime.fromtimestamp(((tweet_id >> 22) + TWITTER_EPOCH_MS) / 1000, UTC)


def search_start(now: datetime) -> datetime:
    """The oldest moment a recent-search request may name at `now`."""
    return now - SEARCH_WINDOW + SEARCH_MARGIN


def within_search_window(
    pending: list[Range], floor: str, last_ok_at: str | None, now: datetime
) -> tuple[list[Range], str | None]:
    """The ranges recent search can still answer, and why brand talk may be lost (or None).

    A bound older than the window is dropped (the window's start, as start_time, bounds the range
    instead) and a gap wholly older than it is given up. Talk is lost only when a gap reached
    back past the window or the last complete sync is older than the window."""
    start = search_start(now)
    kept: list[Range] = []
    lost = False
    for since_id, until_id in pending:
        if until_id is not None and id_time(until_id) <= start:
            lost = True
            continue
        lower = id_time(since_id) if since_id is not None else from_iso(floor)
        if lower < start:
            lost = lost or until_id is not None  # part of an interrupted sync is gone
            since_id = None
        kept.append((since_id, until_id))
    if lost:
        return kept, "an interrupted sync left a gap older than that"
    if last_ok_at and from_iso(last_ok_at) < start:
        return kept, f"the last complete search sync was on {last_ok_at[:10]}"
    return kept, None


_ON_OR_AFTER = re.compile(r"on or after (\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z)")


def later_start(refusal: str, tried: datetime) -> datetime:
    """Where to start a search again that X refused as older than its window: past the start
    X names ("'start_time' must be on or after ..."), or a margin past the one tried."""
    found = _ON_OR_AFTER.search(refusal)
    named = from_iso(found[1]) if found else tried
    return max(named, tried) + SEARCH_MARGIN


def window_refusal(message: str) -> str | None:
    """Which bound a 400 from recent search refused for being too old: "start_time",
    "since_id", or None for any other 400."""
    for name in ("start_time", "since_id"):
        if f"'{name}'" in message or f"{name} " in message:
            return name
    return None


def shifted_warning(search: str, bound: str, start: datetime) -> str:
    return (
        f"search {search}: X refused the {bound} as older than its 7-day window (its clock and "
        f"this machine's differ?); searched from {start:%Y-%m-%d %H:%M:%S} UTC instead, so "
        "brand talk just before that may be missed"
    )


def search_warning(query: str, why: str) -> str:
    return (
        f"search {query!r}: recent search reaches back only 7 days and {why}; "
        "brand talk older than 7 days may have been missed"
    )


def cap_warning(current: Range, fetched: int, stored_above: Callable[[int], int]) -> str | None:
    """Did fetching this mentions range run into X's 800-newest limit? `stored_above(id)` counts
    the stored mentions newer than an id: for a gap, how far down the timeline its floor lies."""
    since_id, until_id = current
    if until_id is not None and fetched == 0:
        return (
            "part of an interrupted sync is now beyond X's 800-newest-mentions limit "
            "and could not be fetched"
        )
    if until_id is not None:
        if stored_above(since_id or 0) < MENTIONS_CAP:
            return None
        return (
            "part of an interrupted sync reaches past X's 800-newest-mentions limit; "
            "its oldest mentions may be missing"
        )
    if fetched < MENTIONS_CAP:
        return None
    if since_id is not None:
        return (
            f"{fetched} mentions arrived since the last sync; X returns only the "
            f"{MENTIONS_CAP} newest, so older ones may be missing: sync more often"
        )
    return (
        f"the first sync reached X's limit of the {MENTIONS_CAP} newest mentions; "
        "older ones within --since may be missing"
    )
