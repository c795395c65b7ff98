from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tweetdesk.errors import ConfigError
from tweetdesk.triage import hours as hours_module
from tweetdesk.triage.hours import END_OF_DAY, BusinessHours, business_seconds, parse_hours

LONDON = ZoneInfo("Europe/London")
WEEKDAYS = frozenset(range(5))
DESK = BusinessHours(LONDON, WEEKDAYS, time(9), time(17))
# 2026-11-23 is a Monday (GMT, no DST in play).
MON = date(2026, 11, 23)


def local(day: date, hour: int, minute: int = 0, tz: ZoneInfo = LONDON) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(UTC)


def with_holidays(*days: date) -> BusinessHours:
    return BusinessHours(LONDON, WEEKDAYS, time(9), time(17), frozenset(days))


# ---- parse_hours -------------------------------------------------------------------------------


def test_parse_hours_full_table() -> None:
    parsed = parse_hours(
        {
            "timezone": "Europe/London",
            "days": "mon-fri",
            "open": "09:00",
            "close": "17:30",
            "holidays": ["2026-12-25", "2026-12-28"],
        }
    )
    assert parsed == BusinessHours(
        LONDON, WEEKDAYS, time(9), time(17, 30), frozenset({date(2026, 12, 25), date(2026, 12, 28)})
    )


def test_parse_hours_defaults_to_weekdays_nine_to_five() -> None:
    assert parse_hours({"timezone": "Europe/London"}) == DESK


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("mon,wed,fri", {0, 2, 4}),
        ("sat-sun", {5, 6}),
        ("mon-sun", set(range(7))),
        ("MON - Fri", {0, 1, 2, 3, 4}),
        ("fri-mon", {4, 5, 6, 0}),
        ("mon-wed, fri", {0, 1, 2, 4}),
        ("tue", {1}),
        ("monday-wednesday", {0, 1, 2}),
        (["mon", "thu-fri"], {0, 3, 4}),
    ],
)
def test_parse_hours_days(days: object, expected: set[int]) -> None:
    assert parse_hours({"timezone": "UTC", "days": days}).days == frozenset(expected)


def test_parse_hours_accepts_toml_times_and_dates() -> None:
    parsed = parse_hours(
        {"timezone": "UTC", "open": time(8, 30), "close": "24:00", "holidays": [date(2026, 1, 1)]}
    )
    assert (parsed.open, parsed.close, parsed.holidays) == (
        time(8, 30),
        END_OF_DAY,
        frozenset({date(2026, 1, 1)}),
    )


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"timezone": "Mars/Base"}, "[hours] timezone: unknown time zone 'Mars/Base'"),
        ({"timezone": ""}, "[hours] timezone: unknown time zone ''"),
        ({"timezone": "../etc/passwd"}, "[hours] timezone: unknown time zone '../etc/passwd'"),
        ({}, '[hours] timezone: missing: name the desk\'s time zone, e.g. "Europe/London"'),
        ({"timezone": 1}, '[hours] timezone: expected a string like "Europe/London", got 1'),
        (
            {"timezone": "UTC", "days": "mon-funday"},
            "[hours] days: unknown day 'funday'; use mon, tue, wed, thu, fri, sat, sun, "
            'e.g. "mon-fri" or "mon,wed,fri"',
        ),
        ({"timezone": "UTC", "days": ""}, "[hours] days: empty entry in ''; use mon"),
        ({"timezone": "UTC", "days": "mon,,fri"}, "[hours] days: empty entry in 'mon,,fri'"),
        ({"timezone": "UTC", "days": []}, "[hours] days: no days given; use mon"),
        ({"timezone": "UTC", "days": 5}, '[hours] days: expected a string like "mon-fri", got 5'),
        (
            {"timezone": "UTC", "open": "9am"},
            "[hours] open: invalid time '9am' (use HH:MM, e.g. \"09:00\")",
        ),
        ({"timezone": "UTC", "open": "25:00"}, "[hours] open: invalid time '25:00'"),
        ({"timezone": "UTC", "open": "09:60"}, "[hours] open: invalid time '09:60'"),
        ({"timezone": "UTC", "open": "24:00"}, "[hours] open: invalid time '24:00'"),
        ({"timezone": "UTC", "close": "24:30"}, "[hours] close: invalid time '24:30'"),
        ({"timezone": "UTC", "close": 17}, "[hours] close: invalid time 17"),
        (
            {"timezone": "UTC", "open": "17:00", "close": "09:00"},
            "[hours] close: 09:00 must be after open (17:00)",
        ),
        (
            {"timezone": "UTC", "open": "09:00", "close": "09:00"},
            "[hours] close: 09:00 must be after open (09:00)",
        ),
        (
            {"timezone": "UTC", "holidays": ["2026-13-01"]},
            "[hours] holidays: invalid date '2026-13-01' (use YYYY-MM-DD)",
        ),
        (
            {"timezone": "UTC", "holidays": ["25/12/2026"]},
            "[hours] holidays: invalid date '25/12/2026'",
        ),
        (
            {"timezone": "UTC", "holidays": ["20261225"]},
            "[hours] holidays: invalid date '20261225'",
        ),
        (
            {"timezone": "UTC", "holidays": [datetime(2026, 12, 25)]},
            "[hours] holidays: invalid date datetime.datetime(2026, 12, 25, 0, 0)",
        ),
        (
            {"timezone": "UTC", "holidays": "2026-12-25"},
            "[hours] holidays: expected a list of dates like [\"2026-12-25\"], got '2026-12-25'",
        ),
    ],
)
def test_parse_hours_rejects_bad_values_naming_the_key(
    section: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_hours(section)
    assert str(caught.value).startswith(message)


# ---- business_seconds: the cases the product promises ------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "hours", "expected_minutes"),
    [
        # Sunday 23:00 → Monday 09:10: only Monday's ten open minutes count.
        (local(MON - timedelta(days=1), 23), local(MON, 9, 10), DESK, 10),
        # Friday 16:50 → Monday 09:10: 10 minutes on Friday, 10 on Monday.
        (local(MON - timedelta(days=3), 16, 50), local(MON, 9, 10), DESK, 20),
        # Holiday Monday: the clock waits until Tuesday 09:00.
        (local(MON - timedelta(days=3), 16, 50), local(MON, 12), with_holidays(MON), 10),
        (
            local(MON - timedelta(days=3), 16, 50),
            local(MON + timedelta(days=1), 9, 10),
            with_holidays(MON),
            20,
        ),
        # During open hours the clock is the wall clock.
        (local(MON, 10), local(MON, 10, 15), DESK, 15),
        (local(MON, 9), local(MON, 17), DESK, 480),
        # Before opening and after closing on the same day.
        (local(MON, 7), local(MON, 8, 59), DESK, 0),
        (local(MON, 17), local(MON, 23), DESK, 0),
        (local(MON, 16, 30), local(MON + timedelta(days=1), 9, 30), DESK, 60),
        # A whole working week and a whole calendar week.
        (local(MON, 0), local(MON + timedelta(days=7), 0), DESK, 5 * 480),
        (local(MON, 12), local(MON + timedelta(days=7), 12), DESK, 5 * 480),
        # end <= start
        (local(MON, 12), local(MON, 12), DESK, 0),
        (local(MON, 12), local(MON, 10), DESK, 0),
    ],
)
def test_business_seconds(
    start: datetime, end: datetime, hours: BusinessHours, expected_minutes: int
) -> None:
    assert business_seconds(start, end, hours) == expected_minutes * 60


def test_business_seconds_accepts_any_aware_timezone() -> None:
    start = datetime(2026, 11, 23, 4, 0, tzinfo=ZoneInfo("America/New_York"))  # 09:00 London
    assert business_seconds(start, local(MON, 9, 10), DESK) == 600


def test_business_seconds_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        business_seconds(datetime(2026, 1, 1), datetime(2026, 1, 2, tzinfo=UTC), DESK)


@pytest.mark.parametrize(
    ("day", "expected_hours"),
    [
        (date(2026, 3, 29), 23),  # clocks go forward: a 23-hour day
        (date(2026, 10, 25), 25),  # clocks go back: a 25-hour day
        (date(2026, 6, 14), 24),
    ],
)
def test_round_the_clock_desk_follows_dst(day: date, expected_hours: int) -> None:
    always = BusinessHours(LONDON, frozenset(range(7)), time(0), END_OF_DAY)
    start = local(day, 0)
    end = local(day + timedelta(days=1), 0)
    assert business_seconds(start, end, always) == expected_hours * 3600


def test_dst_change_on_a_closed_night_keeps_wall_clock_opening_times() -> None:
    new_york = ZoneInfo("America/New_York")
    desk = BusinessHours(new_york, WEEKDAYS, time(9), time(17))
    # Friday 16:00 EST → Monday 10:00 EDT (clocks went forward on Sunday 2026-03-08).
    start = local(date(2026, 3, 6), 16, tz=new_york)
    end = local(date(2026, 3, 9), 10, tz=new_york)
    assert business_seconds(start, end, desk) == 2 * 3600


def test_long_span_counts_weekdays_and_holidays() -> None:
    start, end = local(date(2026, 1, 1), 0), local(date(2026, 12, 1), 0)
    assert business_seconds(start, end, DESK) == 238 * 8 * 3600  # 238 weekdays in Jan-Nov 2026
    holidays = with_holidays(date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 2), date(2027, 1, 1))
    # Two holidays fall on weekdays in range; Saturday 2 May and 2027 change nothing.
    assert business_seconds(start, end, holidays) == 236 * 8 * 3600


def test_long_span_counts_whole_weeks_without_visiting_each_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    visited: list[date] = []
    real = hours_module._day_length

    def counting(day: date, hours: BusinessHours) -> timedelta:
        visited.append(day)
        return real(day, hours)

    monkeypatch.setattr(hours_module, "_day_length", counting)
    start, end = local(date(2026, 1, 1), 0), local(date(2026, 12, 31), 0)
    assert business_seconds(start, end, DESK) == 260 * 8 * 3600
    # Only the two DST weeks and the leftover days are counted day by day.
    assert len(visited) < 30


# ---- properties --------------------------------------------------------------------------------

ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/Santiago",
    "Africa/Casablanca",
]
instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


@st.composite
def business_hours(draw: st.DrawFn) -> BusinessHours:
    opens = draw(st.integers(0, 22))
    closes = draw(st.integers(opens + 1, 24))
    holidays = draw(st.frozensets(st.dates(date(2024, 1, 1), date(2027, 12, 31)), max_size=10))
    return BusinessHours(
        ZoneInfo(draw(st.sampled_from(ZONES))),
        draw(st.frozensets(st.integers(0, 6), min_size=1)),
        time(opens),
        END_OF_DAY if closes == 24 else time(closes),
        holidays,
    )


def reference_seconds(start: datetime, end: datetime, hours: BusinessHours) -> float:
    """Day-by-day reference, independent of the module's week arithmetic."""
    total = 0.0
    day = start.astimezone(hours.timezone).date() - timedelta(days=1)
    while day <= end.astimezone(hours.timezone).date():
        if day.weekday() in hours.days and day not in hours.holidays:
            opens = datetime.combine(day, hours.open, tzinfo=hours.timezone).astimezone(UTC)
            if hours.close == END_OF_DAY:
                closes = datetime.combine(day + timedelta(days=1), time(0), tzinfo=hours.timezone)
            else:
                closes = datetime.combine(day, hours.close, tzinfo=hours.timezone)
            overlap = min(closes.astimezone(UTC), end) - max(opens, start)
            total += max(overlap.total_seconds(), 0.0)
        day += timedelta(days=1)
    return total


@settings(max_examples=60)
@given(instants, instants, business_hours())
def test_never_exceeds_wall_clock_and_matches_day_by_day(
    a: datetime, b: datetime, hours: BusinessHours
) -> None:
    start, end = min(a, b), max(a, b)
    result = business_seconds(start, end, hours)
    assert 0 <= result <= (end - start).total_seconds()
    assert result == pytest.approx(reference_seconds(start, end, hours), abs=1e-6)


@settings(max_examples=60)
@given(instants, instants, instants, business_hours())
def test_additive(a: datetime, b: datetime, c: datetime, hours: BusinessHours) -> None:
    first, middle, last = sorted([a, b, c])
    whole = business_seconds(first, last, hours)
    parts = business_seconds(first, middle, hours) + business_seconds(middle, last, hours)
    assert whole == pytest.approx(parts, abs=1e-6)


@given(
    st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    st.timedeltas(timedelta(0), timedelta(days=2)),
    st.timedeltas(timedelta(0), timedelta(days=2)),
)
def test_zero_within_a_closed_weekend(any_day: date, a: timedelta, b: timedelta) -> None:
    saturday = any_day + timedelta(days=(5 - any_day.weekday()) % 7)
    midnight = datetime.combine(saturday, time(0), tzinfo=LONDON)
    start, end = sorted([midnight + a, midnight + b])
    assert business_seconds(start.astimezone(UTC), end.astimezone(UTC), DESK) == 0
