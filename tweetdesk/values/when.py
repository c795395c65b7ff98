"""A moment a person types (`snooze --until`): a duration from now, or a day and a clock time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo


def parse_when(text: str, now: datetime, tz: tzinfo | None = None) -> datetime:
    """A future moment from `2h`, `90m`, `tomorrow 9:00`, `mon 09:00` or `2026-11-24 09:00`.

    Clock times are read in `tz` (the desk's [hours] timezone, else the machine's).
    Raises ValueError with a message for a person.
    """
    from dateutil import parser as dateparser

    from tweetdesk.values.durations import parse_duration

    raw = text.strip()
    try:
        return now + parse_duration(raw)
    except (ValueError, OverflowError):
        pass
    zone = tz or datetime.now().astimezone().tzinfo or UTC
    local_now = now.astimezone(zone)
    words = raw.lower().split(maxsplit=1)
    shift = {"today": 0, "tomorrow": 1}.get(words[0]) if words else None
    rest = words[1] if shift is not None and len(words) > 1 else ("9:00" if shift else raw)
    try:
        default = local_now.replace(second=0, microsecond=0) + timedelta(days=shift or 0)
        value = dateparser.parse(rest, default=default.replace(tzinfo=None))
    except (ValueError, ArithmeticError):  # dateutil can raise decimal.InvalidOperation
        raise ValueError(
            f"cannot read {text!r} as a time: use e.g. 2h, 'tomorrow 9:00' or '2026-11-24 09:00'"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    if shift is None and value <= now and value.date() == local_now.date() and ":" in raw:
        value += timedelta(days=1)  # a bare clock time already past today means tomorrow
    return value.astimezone(UTC)
