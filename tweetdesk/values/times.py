"""ISO 8601 UTC text for storage and display, and parsing of X's timestamps (with or without
milliseconds)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


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


def local_text(moment: datetime, tz: tzinfo, now: datetime | None = None) -> str:
    """A moment as the person at the desk reads it: "Thu 3 Dec 09:00 (Europe/London)" (the
    year only when it is not `now`'s)."""
    local = moment.astimezone(tz)
    year = "" if now is None or now.astimezone(tz).year == local.year else f" {local.year}"
    return f"{local:%a} {local.day} {local:%b}{year} {local:%H:%M} ({zone_name(tz, moment)})"


def zone_name(tz: tzinfo, moment: datetime) -> str:
    """The zone's IANA name (Europe/London), else its abbreviation at that moment (CET)."""
    key = getattr(tz, "key", None)
    return str(key) if key else (moment.astimezone(tz).tzname() or "local time")
