"""`tweetdesk stats`: first-response median and p90, answered %, SLA met %, stale, per tag."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from tweetdesk.cli.app import app
from tweetdesk.reports.stats import percentile

from conftest import NOW
from deskdata import DeskData

M = timedelta(minutes=1)
D = timedelta(days=1)


def run(*args: str, now: Any = NOW) -> Result:
    return CliRunner().invoke(app, list(args), env={"TWEETDESK_NOW": now.isoformat()})


def stats_json(*args: str, now: Any = NOW) -> dict[str, Any]:
    result = run("stats", "--json", *args, now=now)
    assert result.exit_code == 0, result.stderr
    value = json.loads(result.stdout)
    assert isinstance(value, dict)
    return value


@pytest.fixture
def desk(isolated: Path, config_file: Path) -> DeskData:
    config_file.write_text('[tags]\nshipping = ["order"]\n', encoding="utf-8")
    d = DeskData(isolated / "desk.db", NOW)
    for uid, name in [(10, "ann"), (11, "ben"), (12, "cat"), (13, "dev"), (14, "eve")]:
        d.user(uid, name)
    d.user(66, "troll")
    # A: answered in 10m (met), tagged shipping by [tags] and by its own hashtag.
    d.tweet(100, 10, NOW - 3 * D, "@acme my order #shipping", hashtags=("shipping",))
    d.tweet(101, 1, NOW - 3 * D + 10 * M, "@ann sorted", conversation_id=100, reply_to=100)
    # B: answered in 30m (missed).
    d.tweet(110, 11, NOW - 2 * D, "@acme order late")
    d.tweet(111, 1, NOW - 2 * D + 30 * M, "@ben sorry!", conversation_id=110, reply_to=110)
    # C: two customer tweets; first response counts from the first one: 90m (missed).
    d.tweet(120, 12, NOW - D - 2 * 60 * M, "@acme hello")
    d.tweet(121, 12, NOW - D - 60 * M, "@acme hello??", conversation_id=120, reply_to=120)
    d.tweet(122, 1, NOW - D - 30 * M, "@cat hi!", conversation_id=120, reply_to=121)
    # D: unanswered, 5m old (SLA not decided yet). E: unanswered, 2h old (missed).
    d.tweet(130, 13, NOW - 5 * M, "@acme quick question")
    d.tweet(140, 14, NOW - 2 * 60 * M, "@acme anyone there?")
    # S: unanswered and marked stale in the period.
    d.tweet(150, 10, NOW - 3 * D - 60 * M, "@acme old question")
    d.mark(150, "stale", NOW - 2 * D)
    # Before the period: not received, but its stale mark falls inside the period.
    d.tweet(160, 11, NOW - 8 * D, "@acme very old")
    d.mark(160, "stale", NOW - 6 * D)
    d.tweet(170, 12, NOW - 10 * D, "@acme ancient")
    d.tweet(171, 1, NOW - 10 * D + M, "@cat hi", conversation_id=170, reply_to=170)
    # Muted: left out entirely, stale mark included.
    d.tweet(180, 66, NOW - 60 * M, "@acme you all suck")
    d.mark(180, "stale", NOW - 30 * M)
    d.mute(66, "troll")
    return d


def test_stats_json_has_the_spec_figures(desk: DeskData) -> None:
    doc = stats_json("--since", "7d")
    assert {k: doc[k] for k in list(doc)[:10]} == {
        "since": "2026-11-16T09:00:00Z",
        "until": "2026-11-23T09:00:00Z",
        "sla_minutes": 15.0,
        "received": 6,
        "answered": 3,
        "answered_pct": 50.0,
        "first_response_median_minutes": 30.0,
        "first_response_p90_minutes": 78.0,  # 30 + 0.8 * (90 - 30)
        "sla_met_pct": 20.0,  # A met; B, C, E, S missed; D still open within the target
        "stale": 2,
    }
    assert doc["by_tag"] == {
        "shipping": {
            "received": 2,
            "answered": 2,
            "answered_pct": 100.0,
            "first_response_median_minutes": 20.0,
            "first_response_p90_minutes": 28.0,
            "sla_met_pct": 50.0,
            "stale": 0,
        }
    }
    assert list(doc["by_source"]) == ["mention"]


def test_since_narrows_the_period(desk: DeskData) -> None:
    doc = stats_json("--since", "36h")
    assert (doc["received"], doc["answered"], doc["first_response_median_minutes"]) == (3, 1, 90.0)
    assert doc["stale"] == 0
    assert doc["by_day"] == [
        {"date": "2026-11-21", "received": 0, "answered": 0, "first_response_median_minutes": None},
        {"date": "2026-11-22", "received": 1, "answered": 1, "first_response_median_minutes": 90.0},
        {"date": "2026-11-23", "received": 2, "answered": 0, "first_response_median_minutes": None},
    ]


def test_an_empty_period_has_no_percentages(isolated: Path) -> None:
    doc = stats_json()
    assert doc["received"] == 0
    assert doc["answered_pct"] is None
    assert doc["first_response_median_minutes"] is None
    assert doc["sla_met_pct"] is None
    assert len(doc["by_day"]) == 31


def test_sla_counts_business_hours(isolated: Path, config_file: Path) -> None:
    d = DeskData(isolated / "desk.db", NOW)
    d.user(10, "ann")
    # Saturday 10:00 UTC, answered Monday 09:10: 10 business minutes, 47h10m on the wall.
    d.tweet(100, 10, NOW - 2 * D + 60 * M, "@acme weekend question")
    d.tweet(101, 1, NOW + 10 * M, "@ann hi", conversation_id=100, reply_to=100)
    later = NOW + 60 * M
    assert stats_json(now=later)["sla_met_pct"] == 0.0
    config_file.write_text(
        '[hours]\ntimezone = "UTC"\ndays = "mon-fri"\nopen = "09:00"\nclose = "17:00"\n',
        encoding="utf-8",
    )
    doc = stats_json(now=later)
    assert doc["sla_met_pct"] == 100.0
    assert doc["first_response_median_minutes"] == 2830.0  # wall-clock, as the customer waited


def test_stats_terminal_shows_figures_tags_and_a_day_chart(desk: DeskData) -> None:
    result = run("stats", "--since", "3d")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Threads first heard from 2026-11-20T09:00:00Z to 2026-11-23T09:00:00Z" in out
    # tags and times as the inbox writes them: "shipping", "30m", "1h 18m" (not "#shipping",
    # "30.0" minutes)
    assert "(SLA 15m; muted threads left out)" in out
    cells = [[c.strip() for c in r.split("│")[1:-1]] for r in out.splitlines() if "│" in r]
    rows = {r[0]: r[1:] for r in cells}
    assert rows["all"] == ["5", "3", "60.0", "30m", "1h 18m", "25.0", "1"]
    assert rows["shipping"] == ["2", "2", "100.0", "20m", "28m", "50.0", "0"]
    assert "#shipping" not in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("2026-11-")}
    assert list(lines) == ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]
    assert lines["2026-11-22"].count("█") == 40  # the slowest day fills the bar
    assert lines["2026-11-21"].count("█") == 13  # 30m of 90m
    assert "█" not in lines["2026-11-23"]
    assert lines["2026-11-22"].split()[:3] == ["2026-11-22", "1/1", "1h"]  # 1h 30m


def test_bad_since_is_a_usage_error(isolated: Path) -> None:
    result = run("stats", "--since", "soon")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: bad value for --since: invalid duration 'soon'")


def stale_desk(isolated: Path) -> DeskData:
    d = DeskData(isolated / "desk.db", NOW)
    for uid, name in [(10, "ann"), (11, "ben"), (12, "cat")]:
        d.user(uid, name)
    return d


def test_an_unmarked_thread_waiting_past_stale_after_counts_as_stale(isolated: Path) -> None:
    """SPEC: a thread waiting longer than stale_after "counts as stale at once"."""
    d = stale_desk(isolated)
    d.tweet(100, 10, NOW - D - M, "@acme order late #shipping", hashtags=("shipping",))
    d.tweet(110, 11, NOW - D + M, "@acme anyone?")  # 23h59m: not stale yet
    d.tweet(120, 12, NOW - 2 * 60 * M, "@acme hello")
    d.tweet(121, 1, NOW - 60 * M, "@cat hi", conversation_id=120, reply_to=120)
    doc = stats_json("--since", "7d")
    assert doc["stale"] == 1
    assert doc["by_tag"]["shipping"]["stale"] == 1
    assert doc["by_source"]["mention"]["stale"] == 1
    assert stats_json("--since", "7d", now=NOW + 2 * M)["stale"] == 2


def test_a_marked_stale_thread_counts_once(isolated: Path) -> None:
    d = stale_desk(isolated)
    # Marked stale twice; the second wait is past stale_after again, unmarked: still one thread.
    d.tweet(100, 10, NOW - 4 * D, "@acme hello?")
    d.mark(100, "stale", NOW - 3 * D)
    d.tweet(101, 10, NOW - 3 * D + M, "@acme hello??", conversation_id=100, reply_to=100)
    d.mark(100, "stale", NOW - 2 * D)
    d.tweet(102, 10, NOW - 2 * D + M, "@acme HELLO?", conversation_id=100, reply_to=101)
    # Marked once and still marked (stale now, too): one.
    d.tweet(110, 11, NOW - 3 * D, "@acme where?")
    d.mark(110, "stale", NOW - D)
    doc = stats_json("--since", "7d")
    assert doc["stale"] == 2
    assert doc["by_source"]["mention"]["stale"] == 2


def test_stale_counts_only_what_went_stale_in_the_period(isolated: Path) -> None:
    d = stale_desk(isolated)
    d.tweet(100, 10, NOW - 10 * D, "@acme ancient")  # stale since 9 days ago, unmarked
    d.tweet(110, 11, NOW - 10 * D, "@acme old")
    d.mark(110, "stale", NOW - 9 * D)  # marked before the period
    d.tweet(120, 12, NOW - 7 * D + 60 * M, "@acme older")  # went stale inside the period
    assert stats_json("--since", "7d")["stale"] == 1
    assert stats_json("--since", "30d")["stale"] == 3


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([], 90, None), ([7.0], 90, 7.0), ([10.0, 20.0], 50, 15.0), ([1.0, 2.0, 3.0, 4.0], 90, 3.7)],
)
def test_percentile_interpolates_linearly(
    values: list[float], q: int, expected: float | None
) -> None:
    result = percentile(values, q)
    assert result == pytest.approx(expected) if expected is not None else result is None
