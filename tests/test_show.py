"""`show` as a person reads it: who is waiting (display name), for how long, their mood and
tags, then each item at its time in the desk's timezone with its age."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import NOW, Sandbox, cli


@pytest.fixture
def desk(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    Path(os.environ["TWEETDESK_CONFIG"]).write_text(
        '[hours]\ntimezone = "Europe/Paris"\n[tags]\nshipping = ["bag"]\n'
    )
    handle = sandbox.state.account["username"]
    sandbox.state.add_user("ann", name="Ann Archer")
    sandbox.state.add_tweet(
        "ann", f"@{handle} my bag arrived split, awful", created_at=NOW - timedelta(hours=2)
    )
    assert cli("sync", "--quiet").exit_code == 0
    return sandbox


def test_show_says_who_waits_how_long_and_when_in_the_desk_zone(desk: Sandbox) -> None:
    assert cli("snooze", "1", "--until", "10:30").exit_code == 0
    result = cli("show", "1")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "#1 snoozed · @ann (Ann Archer) · waiting 2h · unhappy · shipping"
    assert lines[1].endswith(" · mention · times in Europe/Paris")
    assert lines[2] == "Mon 23 Nov 08:00 (2h ago)  @ann"
    assert "Mon 23 Nov 10:00 (just now)  -- snoozed until Mon 23 Nov 10:30" in lines


def test_show_to_a_pipe_keeps_each_line_whole(
    desk: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pipe or a file gets whole lines, not rich's default 80-column wrapping."""
    handle = desk.state.account["username"]
    long_text = f"@{handle} " + " ".join(["the courier left the parcel in the rain again"] * 4)
    desk.state.add_tweet("ann", long_text, created_at=NOW - timedelta(minutes=30))
    assert cli("sync", "--quiet").exit_code == 0
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("show", "2")
    assert long_text in result.stdout.splitlines()
    assert any(
        line.endswith(" · mention · times in Europe/Paris") for line in result.stdout.splitlines()
    )
