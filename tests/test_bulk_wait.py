"""bulk-reply --wait on a 429, and reruns that never post a row twice (POSTs counted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_sending import buyers, desk, ours, tweet_posts, write_csv

from tweetdesk.sandbox.model import Fault

from conftest import Sandbox, cli

__all__ = ["desk"]  # the fixture, shared with test_sending


@pytest.fixture
def pauses(desk: Sandbox, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every sleep a sending command asks for, recorded instead of slept; X's clock moves on
    by each, as it would."""
    from tweetdesk.desk import sending as send_commands

    asked: list[float] = []

    def pause(seconds: float) -> None:
        desk.state.advance(seconds)
        asked.append(seconds)

    monkeypatch.setattr(send_commands, "pause", pause)
    return asked


def rows_file(tmp_path: Path) -> tuple[Path, list[tuple[str, str]]]:
    rows = [(v["tweet_id"], f"Order {i} ships today") for i, v in enumerate(buyers()[:4])]
    return write_csv(tmp_path, rows), rows


def test_wait_sleeps_until_the_reset_then_goes_on(
    desk: Sandbox, tmp_path: Path, pauses: list[float]
) -> None:
    path, rows = rows_file(tmp_path)
    # The sandbox's clock and TWEETDESK_NOW agree: the reset is one second from "now".
    desk.state.add_fault(Fault(match="POST /2/tweets", status=429, after=2, reset_in=1))
    result = cli("bulk-reply", str(path), "--wait", "--json")
    assert result.exit_code == 0, result.stderr
    assert "waiting 2s for the reset (--wait)" in result.stderr
    assert pauses == [pytest.approx(2.0, abs=0.5)]
    assert [r["state"] for r in json.loads(result.stdout)] == ["sent"] * 4
    assert tweet_posts(desk) == len(rows) + 1  # the refused one, then each row once


@pytest.mark.parametrize(
    "fault",
    [
        Fault(match="POST /2/tweets", status=429, after=1, reset_in=3600),
        Fault(match="POST /2/tweets", status=429, after=1, monthly_cap=True),
    ],
)
def test_wait_gives_up_past_one_window_or_on_the_monthly_cap(
    desk: Sandbox, tmp_path: Path, pauses: list[float], fault: Fault
) -> None:
    path, _ = rows_file(tmp_path)
    desk.state.add_fault(fault)
    result = cli("bulk-reply", str(path), "--wait")
    assert result.exit_code == 4
    assert pauses == []
    assert tweet_posts(desk) == 2


def test_without_wait_a_429_stops_with_exit_4(
    desk: Sandbox, tmp_path: Path, pauses: list[float]
) -> None:
    path, _ = rows_file(tmp_path)
    desk.state.add_fault(Fault(match="POST /2/tweets", status=429, after=1, reset_in=1))
    result = cli("bulk-reply", str(path))
    assert result.exit_code == 4
    assert "retry after 2026-11-23 09:00:01 UTC" in result.stderr
    assert pauses == []


def test_rerun_after_503_and_429_posts_each_row_once(
    desk: Sandbox, tmp_path: Path, pauses: list[float]
) -> None:
    """Counted at the sandbox: an in-doubt reply is found in the timeline, never re-posted (a
    re-post would be rescued by X's duplicate check, so only the POST count shows it)."""
    path, rows = rows_file(tmp_path)
    desk.state.add_fault(Fault(match="POST /2/tweets", status=503, after=1, commit=True))
    desk.state.add_fault(Fault(match="POST /2/tweets", status=429, after=2, reset_in=60))
    first = cli("bulk-reply", str(path))
    assert first.exit_code == 4, first.stderr
    second = cli("bulk-reply", str(path), "--json")
    assert second.exit_code == 0, second.stderr
    assert [r["state"] for r in json.loads(second.stdout)] == ["already"] * 3 + ["sent"]
    texts = [t["text"] for t in ours(desk)]
    assert all(texts.count(text) == 1 for _, text in rows)
    assert tweet_posts(desk) == len(rows) + 1  # plus the one the 429 refused
