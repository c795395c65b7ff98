"""Business hours for the SLA clock: the `[hours]` config table and open seconds between instants.

Opening times, days and holidays are local to the desk's time zone; instants are aware datetimes.
Day boundaries are computed in local time and every interval is converted to UTC before any
subtraction, so DST changes shorten or lengthen the open day exactly as a wall clock would.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tweetdesk.errors import ConfigError

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAYS_HINT = 'use mon, tue, wed, thu, fri, sat, sun, e.g. "mon-fri" or "mon,wed,fri"'
_TIME = re.compile(r"([01]?[0-9]|2[0-4]):([0-5][0-9])", re.ASCII)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
# A close time of "24:00" is stored as time.max and means the midnight that ends the day.
END_OF_DAY = time.max
_ONE_DAY = timedelta(days=1)
_WEEK = timedelta(days=7)


@dataclass(frozen=True)
class BusinessHours:
    """When the desk is open: `days` are weekday numbers (0 = Monday), times and holidays local."""

    timezone: ZoneInfo
    days: frozenset[int]
    open: time
    close: time
    holidays: frozenset[date] = frozenset()


def parse_hours(section: Mapping[str, Any]) -> BusinessHours:
    """Build BusinessHours from the config's `[hours]` table; a bad value raises ConfigError.

    `timezone` is required; `days` defaults to "mon-fri", `open`/`close` to 09:00/17:00.
    """
    timezone = _parse_timezone(section.get("timezone"))
    days = _parse_days(section.get("days", "mon-fri"))
    opens = _parse_time("open", section.get("open", "09:00"))
    closes = _parse_time("close", section.get("close", "17:00"))
    if opens == END_OF_DAY:
        raise _error("open", "24:00 is the end of the day; the desk cannot open then")
    if closes <= opens:
        raise _error("close", f"{_show_time(closes)} must be after open ({_show_time(opens)})")
    holidays = _parse_holidays(section.get("holidays", []))
    return BusinessHours(timezone, days, opens, closes, holidays)


def business_seconds(start: datetime, end: datetime, hours: BusinessHours) -> float:
    """Seconds between two aware instants during which the desk is open; 0 when end <= start."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("business_seconds needs timezone-aware datetimes")
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        return 0.0
    first = start.astimezone(hours.timezone).date()
    last = end.astimezone(hours.timezone).date()
    # Earlier days close before `start`'s local midnight; only the two edge days can be cut short.
    total = _overlap(first, start, end, hours)
    if last > first:
        total += _whole_days(first + _ONE_DAY, last, hours)
        total += _overlap(last, start, end, hours)
    return total.total_seconds()


def span_start(end: datetime, span: timedelta, hours: BusinessHours) -> datetime:
    """The instant T such that a wait from before T has more than `span` of open time by `end`,
    and a wait from T or later has at most `span`: business_seconds(s, end) > span <=> s < T.

    Walks back from `end` over the open intervals. When `span` runs out exactly at an opening,
    the time the desk was closed before it adds nothing, so T is the previous close."""
    if not hours.days:
        return datetime.min.replace(tzinfo=UTC)  # never open: no wait ever counts
    end = end.astimezone(UTC)
    left = span
    day = end.astimezone(hours.timezone).date()
    while True:
        if _is_open_day(day, hours):
            opens, closes = _interval(day, hours)
            length = min(closes, end) - opens
            if length > left:
                return min(closes, end) - left
            if length > timedelta(0):
                left -= length
        day -= _ONE_DAY


def _whole_days(first: date, stop: date, hours: BusinessHours) -> timedelta:
    """Open time of the whole days in [first, stop): whole weeks by arithmetic, the rest by day."""
    weekly = _nominal(hours) * len(hours.days)
    holidays = sorted(d for d in hours.holidays if d.weekday() in hours.days)
    total = timedelta(0)
    day = first
    while day < stop:
        week_end = day + _WEEK
        # Equal offsets a week apart mean no DST change inside (no zone changes twice in a week);
        # a week with a change is counted exactly, day by day.
        if week_end <= stop and _offset(day, hours) == _offset(week_end, hours):
            skipped = bisect_left(holidays, week_end) - bisect_left(holidays, day)
            total += weekly - _nominal(hours) * skipped
            day = week_end
        else:
            total += _day_length(day, hours)
            day += _ONE_DAY
    return total


def _overlap(day: date, start: datetime, end: datetime, hours: BusinessHours) -> timedelta:
    if not _is_open_day(day, hours):
        return timedelta(0)
    opens, closes = _interval(day, hours)
    return max(min(closes, end) - max(opens, start), timedelta(0))


def _day_length(day: date, hours: BusinessHours) -> timedelta:
    if not _is_open_day(day, hours):
        return timedelta(0)
    opens, closes = _interval(day, hours)
    return max(closes - opens, timedelta(0))


def _is_open_day(day: date, hours: BusinessHours) -> bool:
    return day.weekday() in hours.days and day not in hours.holidays


def _interval(day: date, hours: BusinessHours) -> tuple[datetime, datetime]:
    """The day's opening and closing instants in UTC (local times in a DST gap use fold=0)."""
    opens = datetime.combine(day, hours.open, tzinfo=hours.timezone)
    if hours.close == END_OF_DAY:
        closes = datetime.combine(day + _ONE_DAY, time(0), tzinfo=hours.timezone)
    else:
        closes = datetime.combine(day, hours.close, tzinfo=hours.timezone)
    return opens.astimezone(UTC), closes.astimezone(UTC)


def _nominal(hours: BusinessHours) -> timedelta:
    """Length of an open day with no DST change in it."""
    close = timedelta(days=1) if hours.close == END_OF_DAY else _since_midnight(hours.close)
    return close - _since_midnight(hours.open)


def _since_midnight(t: time) -> timedelta:
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


def _offset(day: date, hours: BusinessHours) -> timedelta | None:
    return datetime.combine(day, time(0), tzinfo=hours.timezone).utcoffset()


def _parse_timezone(value: object) -> ZoneInfo:
    if value is None:
        raise _error("timezone", 'missing: name the desk\'s time zone, e.g. "Europe/London"')
    if not isinstance(value, str):
        raise _error("timezone", f'expected a string like "Europe/London", got {value!r}')
    try:
        return ZoneInfo(value)
    # ZoneInfo raises ValueError (not ZoneInfoNotFoundError) for keys such as "" or "../x".
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise _error("timezone", f"unknown time zone {value!r}") from None


def _parse_days(value: object) -> frozenset[int]:
    if isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        parts = list(value)
    else:
        raise _error("days", f'expected a string like "mon-fri", got {value!r}')
    days: set[int] = set()
    for part in parts:
        days.update(_parse_day_range(part, value))
    if not days:
        raise _error("days", f"no days given; {_DAYS_HINT}")
    return frozenset(days)


def _parse_day_range(part: str, whole: object) -> Iterable[int]:
    if not part.strip():
        raise _error("days", f"empty entry in {whole!r}; {_DAYS_HINT}")
    ends = [_day_number(name) for name in part.split("-", 1)]
    first, last = ends[0], ends[-1]
    # A range may wrap over the weekend: "fri-mon" is fri, sat, sun, mon.
    return [(first + i) % 7 for i in range((last - first) % 7 + 1)]


def _day_number(name: str) -> int:
    key = name.strip().lower()
    for names in (_DAYS, _FULL_DAYS):
        if key in names:
            return names.index(key)
    raise _error("days", f"unknown day {name.strip()!r}; {_DAYS_HINT}")


def _parse_time(key: str, value: object) -> time:
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise _error(key, f'expected a local time like "09:00", got {value!r}')
        return value
    match = _TIME.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise _error(key, f'invalid time {value!r} (use HH:MM, e.g. "09:00")')
    hour, minute = int(match[1]), int(match[2])
    if hour == 24:
        if minute or key != "close":
            raise _error(key, f'invalid time {value!r} (use HH:MM, e.g. "09:00")')
        return END_OF_DAY
    return time(hour, minute)


def _parse_holidays(value: object) -> frozenset[date]:
    if not isinstance(value, list | tuple):
        raise _error("holidays", f'expected a list of dates like ["2026-12-25"], got {value!r}')
    return frozenset(_parse_date(item) for item in value)


def _parse_date(item: object) -> date:
    # datetime is a subclass of date: a TOML date-time here is a mistake, not a holiday.
    if isinstance(item, date) and not isinstance(item, datetime):
        return item
    if isinstance(item, str) and _DATE.fullmatch(item.strip()):
        try:
            return date.fromisoformat(item.strip())
        except ValueError:
            pass
    raise _error("holidays", f"invalid date {item!r} (use YYYY-MM-DD)")


def _show_time(t: time) -> str:
    return "24:00" if t == END_OF_DAY else t.isoformat(timespec="minutes")


def _error(key: str, problem: str) -> ConfigError:
    return ConfigError(f"[hours] {key}: {problem}")
