"""`snooze --until`: what a typed moment means, at an explicit now (a table), and what the
confirmation says."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tweetdesk.values.when import parse_when

from conftest import NOW, Sandbox, cli

LONDON = ZoneInfo("Europe/London")
# Wednesday 2 December 2026, 18:49 in London (GMT: UTC+0 in winter)
EVENING = datetime(2026, 12, 2, 18, 49, 27, tzinfo=UTC)


def london(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON).astimezone(UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2h", "2026-12-02 20:49:27"),
        ("90m", "2026-12-02 20:19:27"),
        ("1h30m", "2026-12-02 20:19:27"),
        ("tomorrow 9am", "2026-12-03 09:00"),
        ("tomorrow 9:00", "2026-12-03 09:00"),
        ("Tomorrow 14:30", "2026-12-03 14:30"),
        ("tomorrow", "2026-12-03 09:00"),  # a day alone: the opening time
        ("10pm", "2026-12-02 22:00"),  # no minutes: :00
        ("22:15", "2026-12-02 22:15"),
        ("9am", "2026-12-03 09:00"),  # already past today: tomorrow
        ("18:00", "2026-12-03 18:00"),
        ("friday", "2026-12-04 09:00"),
        ("fri 14:00", "2026-12-04 14:00"),
        ("wednesday", "2026-12-09 09:00"),  # today's 09:00 is past: next week
        ("2026-12-05", "2026-12-05 09:00"),
        ("2026-12-05 16:45", "2026-12-05 16:45"),
        ("Dec 3", "2026-12-03 09:00"),
        ("3 December 10am", "2026-12-03 10:00"),
        ("Dec 1", "2027-12-01 09:00"),  # no year and already past: the next one
    ],
)
def test_what_a_typed_moment_means(typed: str, expected: str) -> None:
    wanted = london(expected) if len(expected) == 16 else datetime.fromisoformat(expected + "Z")
    assert parse_when(typed, EVENING, LONDON) == wanted


def test_a_day_alone_means_the_desk_opening_time() -> None:
    assert parse_when("friday", EVENING, LONDON, time(8, 30)) == london("2026-12-04 08:30")
    assert parse_when("tomorrow", EVENING, LONDON, time(10, 0)) == london("2026-12-03 10:00")


def test_clock_times_follow_the_zone_across_summer_time() -> None:
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)  # 13:00 in London (BST)
    assert parse_when("tomorrow 9am", summer, LONDON) == datetime(2026, 7, 2, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("0m", "'0m' is not in the future: give a duration longer than zero"),
        ("0h", "is not in the future"),
        ("3", "'3' is not a clear time (a bare number could be a day or an hour)"),
        ("december", "is not a clear time (name the day too)"),
        ("someday soon", "cannot read 'someday soon' as a time"),
        ("next week", "cannot read 'next week' as a time"),
        ("tomorrow friday", "names two days"),
        ("Feb 30", "is no date"),
        ("fri 2026-12-05", "2026-12-05 is a Saturday"),
        ("", "give a time"),
    ],
)
def test_unclear_input_is_refused_with_an_example(typed: str, says: str) -> None:
    with pytest.raises(ValueError, match=r"e\.g\. 2h|is no date|is a Saturday") as caught:
        parse_when(typed, EVENING, LONDON)
    assert says in str(caught.value)


@pytest.fixture
def desk(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T18:49:00Z")  # a Monday evening
    handle = sandbox.state.account["username"]
    sandbox.state.add_tweet(
        "sam", f"@{handle} where is my order?", created_at=NOW + timedelta(hours=9, minutes=40)
    )
    return sandbox


def _sync(config: str = "") -> None:
    import os
    from pathlib import Path

    Path(os.environ["TWEETDESK_CONFIG"]).write_text(config)
    assert cli("sync", "--quiet").exit_code == 0


def _until() -> str:
    items = json.loads(cli("show", "@sam", "--json").stdout)["items"]
    return str([i for i in items if i.get("mark") == "snooze"][-1]["until"])


def test_snooze_stores_and_confirms_the_resolved_time_in_the_desk_zone(desk: Sandbox) -> None:
    _sync('[hours]\ntimezone = "Europe/London"\nopen = "08:30"\nclose = "17:00"\n')
    result = cli("snooze", "@sam", "--until", "tomorrow")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Thread 1 snoozed until Tue 24 Nov 08:30 (Europe/London) or the next customer tweet.\n"
    )
    assert _until() == "2026-11-24T08:30:00Z"
    result = cli("snooze", "@sam", "--until", "10pm")
    assert "snoozed until Mon 23 Nov 22:00 (Europe/London)" in result.stdout
    assert _until() == "2026-11-23T22:00:00Z"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("0m", "Error: bad value for --until: '0m' is not in the future"),
        ("3", "Error: bad value for --until: '3' is not a clear time"),
        ("today", "Error: bad value for --until: 'today' is Mon 23 Nov 09:00 (UTC), not in the"),
    ],
)
def test_snooze_refuses_what_is_unclear_or_past(desk: Sandbox, typed: str, says: str) -> None:
    _sync('[hours]\ntimezone = "UTC"\n')
    result = cli("snooze", "@sam", "--until", typed)
    assert result.exit_code == 2
    assert result.stderr.startswith(says), result.stderr
    assert result.stderr.count("\n") == 1
