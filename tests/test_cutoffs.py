"""The read-time rules as instants: `cutoffs` (and `hours.span_start`) agree with the pure rules
(`effective_status`, `is_overdue`, `business_seconds`), in Python and as SQL over the index."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tweetdesk.store.listing import Listing
from tweetdesk.triage.clock import Clock, cutoffs, effective_status, is_overdue
from tweetdesk.triage.hours import BusinessHours, business_seconds, span_start
from tweetdesk.triage.state import Status

from deskdata import DeskData

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS = frozenset(range(5))
DESK = BusinessHours(LONDON, WEEKDAYS, time(9), time(17))
EVERY_DAY = BusinessHours(LONDON, frozenset(range(7)), time(0, 30), time(2, 30))
XMAS = BusinessHours(LONDON, WEEKDAYS, time(9), time(17), frozenset({date(2026, 12, 25)}))
M = timedelta(minutes=1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.mark.parametrize(
    ("hours", "sla", "now", "expected"),
    [
        # Monday 09:10 GMT: 10 minutes of Monday, then back over the weekend to Friday 16:55.
        (DESK, 15 * M, "2026-11-23T09:10:00+00:00", "2026-11-20T16:55:00+00:00"),
        # The SLA ends exactly at Monday's opening: the closed weekend adds nothing, so a wait
        # from Friday's close (17:00) has used exactly 15 minutes, one from 16:59:59 more.
        (DESK, 15 * M, "2026-11-23T09:15:00+00:00", "2026-11-20T17:00:00+00:00"),
        (DESK, 15 * M, "2026-11-23T09:14:00+00:00", "2026-11-20T16:59:00+00:00"),
        # Saturday noon: closed since Friday 17:00.
        (DESK, 15 * M, "2026-11-21T12:00:00+00:00", "2026-11-20T16:45:00+00:00"),
        # Inside an open day, nothing to skip.
        (DESK, 15 * M, "2026-11-24T11:00:00+00:00", "2026-11-24T10:45:00+00:00"),
        # An SLA longer than a day: 10 business hours back from Tuesday 10:00.
        (DESK, 600 * M, "2026-11-24T10:00:00+00:00", "2026-11-20T16:00:00+00:00"),
        # A holiday (Friday 25 December) is skipped like a weekend.
        (XMAS, 30 * M, "2026-12-28T09:10:00+00:00", "2026-12-24T16:40:00+00:00"),
        # Spring forward (29 March, London): open 00:30-02:30 local is 00:30-01:30 UTC that
        # day (01:00-02:00 local does not exist), 1 h instead of 2.
        (EVERY_DAY, 90 * M, "2026-03-29T01:30:00+00:00", "2026-03-28T02:00:00+00:00"),
        # Fall back (25 October): 00:30 BST-02:30 GMT lasts 3 h, then 20 minutes of Saturday.
        (EVERY_DAY, 200 * M, "2026-10-25T02:30:00+00:00", "2026-10-24T01:10:00+00:00"),
    ],
)
def test_overdue_cutoff_with_business_hours(
    hours: BusinessHours, sla: timedelta, now: str, expected: str
) -> None:
    clock = Clock(sla=sla, hours=hours)
    cut = cutoffs(at(now), clock).overdue_before
    assert cut == at(expected)
    us = timedelta(microseconds=1)
    assert is_overdue(Status.OPEN, cut - us, at(now), clock)
    assert not is_overdue(Status.OPEN, cut, at(now), clock)
    assert business_seconds(cut, at(now), hours) == sla.total_seconds()


def test_cutoffs_without_hours_are_plain_subtraction() -> None:
    now = at("2026-11-23T09:00:00.123456+00:00")
    cut = cutoffs(now, Clock(sla=15 * M, stale_after=timedelta(hours=24)))
    assert cut.overdue_before == now - 15 * M
    assert cut.fresh_from == now - timedelta(hours=24)
    us = timedelta(microseconds=1)
    clock = Clock(hours=DESK)  # stale is wall-clock, also with [hours]
    fresh = cutoffs(now, clock).fresh_from
    assert effective_status(Status.OPEN, fresh - us, None, now, clock) is Status.STALE
    assert effective_status(Status.OPEN, fresh, None, now, clock) is Status.OPEN


DESKS = [DESK, EVERY_DAY, XMAS, BusinessHours(NEW_YORK, frozenset({0, 2, 4}), time(8), time(12))]
INSTANTS = st.datetimes(
    min_value=datetime(2026, 3, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=400, deadline=None)
@given(
    hours=st.sampled_from(DESKS),
    sla=st.sampled_from([timedelta(0), 15 * M, 60 * M, 8 * 60 * M, 30 * 60 * M]),
    now=INSTANTS,
    back=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=12)),
)
def test_span_start_agrees_with_business_seconds(
    hours: BusinessHours, sla: timedelta, now: datetime, back: timedelta
) -> None:
    since = now - back
    overdue = business_seconds(since, now, hours) > sla.total_seconds()
    assert overdue == (since < span_start(now, sla, hours))


def test_a_desk_that_never_opens_has_nothing_overdue() -> None:
    never = BusinessHours(LONDON, frozenset(), time(9), time(17))
    assert span_start(at("2026-11-23T09:00:00+00:00"), 15 * M, never) == datetime.min.replace(
        tzinfo=UTC
    )


# ---- the same rules as SQL over the threads index ------------------------------------------


NOW = datetime(2026, 11, 23, 9, 10, 0, 400_600, tzinfo=UTC)  # microseconds on purpose


def _offsets() -> list[timedelta]:
    """Waits around every boundary in play: 15 minutes, 24 hours, the weekend, Friday's close."""
    ms = timedelta(milliseconds=1)
    friday = [at("2026-11-20T16:55:00+00:00"), at("2026-11-20T17:00:00+00:00")]
    marks = [15 * M, 24 * 60 * M, 72 * 60 * M, 10 * M, *(NOW - f for f in friday)]
    marks += [NOW - span_start(NOW, 15 * M, DESK)]  # the business-hours boundary itself
    return sorted({m + k * ms for m in marks for k in (-2, -1, 0, 1, 2)} | {M, 0 * M})


@pytest.mark.parametrize(
    "clock",
    [
        Clock(),
        Clock(hours=DESK),
        Clock(stale_after=timedelta(hours=72), hours=DESK),
        Clock(dm_stale_after=timedelta(hours=72)),
    ],
    ids=["wall-clock", "hours", "hours-72h", "dm-72h"],
)
def test_sql_cutoffs_equal_the_pure_rules(tmp_path: Path, clock: Clock) -> None:
    """Every third thread is a DM thread: never stale, or stale by [dms] stale_after."""
    data = DeskData(tmp_path / "d.db", NOW)
    waits = {}
    for k, wait in enumerate(_offsets()):
        data.user(100 + k, f"c{k}")
        conv = data.tweet(1000 + k, 100 + k, NOW - wait)
        with data.store.write() as conn:
            source = "dm" if k % 3 == 0 else "mention"
            conn.execute("UPDATE threads SET source = ? WHERE conversation_id = ?", (source, conv))
        row = data.store.conn.execute(
            "SELECT waiting_since, source FROM threads WHERE conversation_id = ?", (conv,)
        ).fetchone()
        waits[conv] = tuple(row)
    lists = Listing(data.store, cutoffs(NOW, clock), clock, {})
    shown = {v.conversation_id: v for v in lists.threads("open")}
    overdue = {v.conversation_id for v in lists.threads("overdue")}
    stale = {v.conversation_id for v in lists.threads("stale")}
    for conv, (stored, source) in waits.items():
        since = datetime.fromisoformat(stored)
        status = effective_status(Status.OPEN, since, None, NOW, clock, source)
        assert (conv in shown) == (status is Status.OPEN), stored
        assert (conv in stale) == (status is Status.STALE), stored
        assert (conv in overdue) == is_overdue(status, since, NOW, clock), stored
        if conv in shown:
            assert shown[conv].overdue == is_overdue(status, since, NOW, clock), stored
    assert lists.count("open") == len(shown) and lists.count("stale") == len(stale)
    assert shown and stale
