"""Durations as people write them (`90s`, `15m`, `1h30m`) and as tables show them.

Pure functions, no I/O. `parse_duration` raises a plain `ValueError` whose message quotes the bad
value; callers that know the config key or option wrap it into a `ConfigError`/`UsageError`.
"""

from __future__ import annotations

import re
from datetime import timedelta

_UNIT_SECONDS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
# ASCII digits only: `\d` would accept Arabic-Indic and other Unicode digits that int() converts.
_PART = re.compile(r"([0-9]+)\s*([a-z])", re.ASCII)
_WHOLE = re.compile(r"(?:[0-9]+\s*[a-z]\s*)+", re.ASCII)
# More digits than any valid duration has; stops int() from chewing on a megabyte of digits.
_MAX_DIGITS = 15
_ACCEPTED = "a whole number and a unit s, m, h, d or w, e.g. 90s, 15m, 2h, 1d, 1h30m"
_FORMAT_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


def parse_duration(text: str) -> timedelta:
    """Parse `90s`, `15m`, `2h`, `1d`, `1w` or a compound such as `1h30m` / `2h 5m`.

    Raises ValueError for empty, zero, negative, fractional, unknown-unit or oversized values.
    """
    stripped = text.strip() if isinstance(text, str) else ""
    if not _WHOLE.fullmatch(stripped):
        if stripped.startswith("-"):
            raise ValueError(f"invalid duration {_quote(text)}: must be longer than zero")
        raise ValueError(f"invalid duration {_quote(text)}: use {_ACCEPTED}")
    seconds = 0
    seen: set[str] = set()
    for number, unit in _PART.findall(stripped):
        if unit not in _UNIT_SECONDS:
            raise ValueError(
                f"invalid duration {_quote(text)}: unknown unit {unit!r}; use {_ACCEPTED}"
            )
        if unit in seen:
            raise ValueError(f"invalid duration {_quote(text)}: unit {unit!r} given twice")
        if len(number.lstrip("0")) > _MAX_DIGITS:
            raise ValueError(f"invalid duration {_quote(text)}: too long")
        seen.add(unit)
        seconds += int(number) * _UNIT_SECONDS[unit]
    if seconds == 0:
        raise ValueError(f"invalid duration {_quote(text)}: must be longer than zero")
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError(f"invalid duration {_quote(text)}: too long") from None


def looks_like_duration(text: str) -> bool:
    """Written the way a duration is (`2h`, `0m`, `1h30m`), valid or not: `10pm` is not."""
    return bool(_WHOLE.fullmatch(text.strip()))


def format_duration(td: timedelta) -> str:
    """Exact compact form that `parse_duration` reads back: "45s", "15m", "2h 5m", "3d 4h".

    Fractions of a second are dropped; zero is "0s"; a negative duration gets a leading "-".
    """
    if td < timedelta(0):
        inner = format_duration(-td)
        return inner if inner == "0s" else "-" + inner
    total = _whole_seconds(td)
    if total == 0:
        return "0s"
    parts = []
    for unit, size in _FORMAT_UNITS:
        amount, total = divmod(total, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return " ".join(parts)


def format_age(td: timedelta) -> str:
    """Short age for table cells: "now", "3m", "1h 12m", "2d" (rounded down, never negative)."""
    minutes = _whole_seconds(td) // 60
    if minutes < 1:
        return "now"
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 24 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours}h {rest}m" if rest else f"{hours}h"
    return f"{minutes // (24 * 60)}d"


def _whole_seconds(td: timedelta) -> int:
    # Integer arithmetic: total_seconds() is a float and loses exactness for large values.
    return td.days * 86400 + td.seconds


def _quote(text: object) -> str:
    # repr() spells out control characters, so the message is safe to print; long garbage is cut.
    shown = text if not isinstance(text, str) or len(text) <= 40 else text[:40] + "…"
    return repr(shown)
