"""A moment a person types (`snooze --until`): a duration from now, or a day and a clock time.

python-dateutil reads the words (`10pm`, `fri 14:00`, `Dec 3`, `2026-12-05 09:30`); what the
person *named* decides the meaning of what they left out:

* a clock time without minutes means :00 (`10pm` is 22:00, never 22:<now's minutes>);
* a day without a clock time means the desk's opening time (`[hours] open`, else 09:00);
* a clock time without a day means the next such time (today, else tomorrow);
* a weekday means the next such day that is still ahead; a date without a year, the next one.

Anything else (a bare `3`: the 3rd or 3 o'clock?) is refused with examples, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

EXAMPLES = "e.g. 2h, 90m, 10pm, 'tomorrow 9:00', 'fri 14:00', 'Dec 3' or '2026-12-03 09:30'"
DEFAULT_OPENING = time(9, 0)
_SHIFTS = {"today": 0, "tomorrow": 1}


@dataclass(frozen=True)
class _Named:
    """The parts of a moment the person wrote (None: left out)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # 0 = Monday
    hour: int | None = None
    minute: int | None = None


def parse_when(
    text: str, now: datetime, tz: tzinfo | None = None, opens: time | None = None
) -> datetime:
    """The UTC moment `text` names: a duration from `now` or a day and time read in `tz` (the
    desk's timezone, else the machine's). `opens` is the time a day alone means (09:00).

    Raises ValueError with a message for a person (quoting the text and giving examples).
    """
    from tweetdesk.values.durations import looks_like_duration, parse_duration

    raw = " ".join(text.split())
    if not raw:
        raise ValueError(f"give a time, {EXAMPLES}")
    if looks_like_duration(raw):
        try:
            return now + parse_duration(raw)
        except OverflowError:
            raise ValueError(f"{_quote(raw)} is too far in the future") from None
        except ValueError as exc:
            if "longer than zero" in str(exc):
                raise ValueError(
                    f"{_quote(raw)} is not in the future: give a duration longer than zero, "
                    f"{EXAMPLES}"
                ) from None
            raise
    zone = tz or datetime.now().astimezone().tzinfo or UTC
    local_now = now.astimezone(zone)
    first, _, rest = raw.partition(" ")
    shift = _SHIFTS.get(first.lower())
    named = _read(rest if shift is not None else raw, raw)
    if shift is not None and (named.month or named.day or named.weekday is not None):
        raise ValueError(f"{_quote(raw)} names two days; {EXAMPLES}")
    clock = time(named.hour, named.minute or 0) if named.hour is not None else opens
    clock = clock or DEFAULT_OPENING
    moment = _on_day(named, shift, clock, local_now, zone, raw)
    return moment.astimezone(UTC)


def _read(words: str, raw: str) -> _Named:
    """What dateutil finds in the words, or a ValueError when they are not a clear moment."""
    if not words:
        return _Named()
    from dateutil import parser as dateparser

    try:
        # _parse, not parse: parse() silently fills what was left out from its `default`, and
        # what was left out is exactly what decides the meaning here.
        found, _ = dateparser.parser()._parse(words)  # type: ignore[attr-defined]
    except (ValueError, OverflowError, ArithmeticError):  # decimal.InvalidOperation too
        found = None
    if found is None:
        raise ValueError(f"cannot read {_quote(raw)} as a time: use {EXAMPLES}")
    named = _Named(found.year, found.month, found.day, found.weekday, found.hour, found.minute)
    if found.tzname or found.tzoffset is not None:
        raise ValueError(f"{_quote(raw)}: give the time without a zone (the desk's is used)")
    if named.hour is None and named.minute is not None:
        raise ValueError(f"{_quote(raw)} gives minutes without an hour; {EXAMPLES}")
    if (named.day is None) != (named.month is None) or (named.year and not named.day):
        what = "a bare number could be a day or an hour" if named.day else "name the day too"
        raise ValueError(f"{_quote(raw)} is not a clear time ({what}): {EXAMPLES}")
    return named


def _on_day(
    named: _Named, shift: int | None, clock: time, local_now: datetime, zone: tzinfo, raw: str
) -> datetime:
    """The moment on the day the words name (the next one still ahead when they leave a choice)."""
    today = local_now.date()

    def at(day: date) -> datetime:
        return datetime.combine(day, clock, tzinfo=zone)

    if named.month is not None and named.day is not None:
        try:
            day = date(named.year or today.year, named.month, named.day)
        except ValueError as exc:
            raise ValueError(f"{_quote(raw)} is no date: {exc}") from None
        if named.weekday is not None and day.weekday() != named.weekday:
            raise ValueError(f"{_quote(raw)}: {day:%Y-%m-%d} is a {day:%A}")
        if named.year is None and at(day) <= local_now:
            day = _next_year(day)
        return at(day)
    if named.weekday is not None:
        day = today + timedelta(days=(named.weekday - today.weekday()) % 7)
        return at(day) if at(day) > local_now else at(day + timedelta(days=7))
    if shift is not None:
        return at(today + timedelta(days=shift))
    # a clock time alone: today if still ahead, else tomorrow
    return at(today) if at(today) > local_now else at(today + timedelta(days=1))


def _next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _quote(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")
