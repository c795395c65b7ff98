"""ISO 8601 UTC text for storage, and parsing of X's timestamps (with or without milliseconds)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo


def to_iso(moment: datetime) -> str:
    """Storage form: UTC, milliseconds, trailing Z; text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every time in tweetdesk is UTC-aware")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


def from_iso(text: str) -> datetime:
    """Parse stored text or X's `created_at` (2026-11-23T08:40:00.000Z or without .000)."""
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_utc_text(moment: datetime) -> str:
    """Display and JSON form: second precision, trailing Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_when(text: str, now: datetime, tz: tzinfo | None = None) -> datetime:
    """A future moment from `2h`, `90m`, `tomorrow 9:00`, `mon 09:00` or `2026-11-24 09:00`.

    Clock times are read in `tz` (the desk's [hours] timezone, else the machine's).
    Raises ValueError with a message for a person.
    """
    from dateutil import parser as dateparser

    from tweetdesk.durations import parse_duration

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
