from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tweetdesk.values.durations import format_age, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", timedelta(seconds=90)),
        ("15m", timedelta(minutes=15)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("1w", timedelta(weeks=1)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("2h 5m", timedelta(hours=2, minutes=5)),
        ("1d 2h 3m 4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
        ("30m1h", timedelta(hours=1, minutes=30)),
        ("  15m  ", timedelta(minutes=15)),
        ("15 m", timedelta(minutes=15)),
        ("\t24h\n", timedelta(hours=24)),
        ("015m", timedelta(minutes=15)),
        ("0h15m", timedelta(minutes=15)),
        ("72h", timedelta(days=3)),
    ],
)
def test_parse_duration_accepts(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "use a whole number and a unit s, m, h, d or w, e.g. 90s, 15m, 2h, 1d, 1h30m"),
        ("   ", "use a whole number and a unit"),
        ("15", "use a whole number and a unit"),
        ("m", "use a whole number and a unit"),
        ("15x", "unknown unit 'x'"),
        ("15M", "use a whole number and a unit"),
        ("1.5h", "use a whole number and a unit"),
        ("1h30", "use a whole number and a unit"),
        ("fifteen minutes", "use a whole number and a unit"),
        ("0s", "must be longer than zero"),
        ("0h0m", "must be longer than zero"),
        ("-15m", "must be longer than zero"),
        ("1h1h", "unit 'h' given twice"),
        ("99999999999w", "too long"),
        ("9" * 40 + "s", "too long"),
        ("٣m", "use a whole number and a unit"),  # Arabic-Indic digit: int() would accept it
        ("15m;rm -rf", "use a whole number and a unit"),
    ],
)
def test_parse_duration_rejects_with_quoted_value(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match="invalid duration") as caught:
        parse_duration(text)
    message = str(caught.value)
    assert problem in message
    assert repr(text if len(text) <= 40 else text[:40] + "…") in message


def test_parse_duration_message_spells_out_control_characters() -> None:
    with pytest.raises(ValueError, match=r"'\\x1b\[31m'"):
        parse_duration("\x1b[31m")


def test_parse_duration_rejects_non_strings_with_value_error() -> None:
    # A TOML `sla = 15` arrives as an int; the caller still gets the friendly ValueError.
    with pytest.raises(ValueError, match="invalid duration 15: use"):
        parse_duration(15)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("td", "expected"),
    [
        (timedelta(seconds=45), "45s"),
        (timedelta(minutes=15), "15m"),
        (timedelta(hours=2, minutes=5), "2h 5m"),
        (timedelta(days=3, hours=4), "3d 4h"),
        (timedelta(days=1, seconds=1), "1d 1s"),
        (timedelta(weeks=2), "14d"),
        (timedelta(0), "0s"),
        (timedelta(seconds=59, microseconds=999_999), "59s"),
        (timedelta(minutes=-90), "-1h 30m"),
        (timedelta(microseconds=-5), "0s"),
    ],
)
def test_format_duration(td: timedelta, expected: str) -> None:
    assert format_duration(td) == expected


@pytest.mark.parametrize(
    ("td", "expected"),
    [
        (timedelta(0), "now"),
        (timedelta(seconds=59), "now"),
        (timedelta(seconds=-30), "now"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=3, seconds=59), "3m"),
        (timedelta(minutes=59, seconds=59), "59m"),
        (timedelta(hours=1), "1h"),
        (timedelta(hours=1, minutes=12), "1h 12m"),
        (timedelta(hours=23, minutes=59), "23h 59m"),
        (timedelta(days=1), "1d"),
        (timedelta(days=2, hours=23), "2d"),
        (timedelta(days=400), "400d"),
    ],
)
def test_format_age(td: timedelta, expected: str) -> None:
    assert format_age(td) == expected


@given(st.integers(min_value=1, max_value=10**9 * 86400 // 2))
def test_format_then_parse_round_trips_whole_seconds(seconds: int) -> None:
    td = timedelta(seconds=seconds)
    assert parse_duration(format_duration(td)) == td


@given(st.text())
def test_parse_duration_raises_only_value_error(text: str) -> None:
    try:
        result = parse_duration(text)
    except ValueError:
        return
    assert result > timedelta(0)


@given(st.from_regex(r"[ \t]*([0-9]{1,4} ?[wdhms] ?){1,3}", fullmatch=True))
def test_parse_duration_on_well_formed_text_gives_positive_or_value_error(text: str) -> None:
    try:
        result = parse_duration(text)
    except ValueError as error:
        message = str(error)
    else:
        assert result > timedelta(0)
        return
    assert "given twice" in message or "longer than zero" in message
