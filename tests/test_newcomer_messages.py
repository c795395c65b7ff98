"""Messages that must not mislead a newcomer: stale with nothing old enough, a reply repeated
word for word, closing twice, and undo naming the thread it reopens."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import NOW, Sandbox, cli


@pytest.fixture
def desk(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    Path(os.environ["TWEETDESK_CONFIG"]).write_text('[hours]\ntimezone = "Europe/Paris"\n')
    handle = sandbox.state.account["username"]
    sandbox.state.add_user("ann", name="Ann Archer")
    sandbox.state.add_tweet("ann", f"@{handle} my bag split", created_at=NOW - timedelta(hours=2))
    assert cli("sync", "--quiet").exit_code == 0
    return sandbox


def ann() -> dict[str, Any]:
    found: dict[str, Any] = json.loads(cli("inbox", "--all", "--json").stdout)[0]
    return found


def test_stale_with_nothing_old_enough_does_not_say_nothing_is_waiting(desk: Sandbox) -> None:
    for args in (("stale",), ("stale", "--dry-run")):
        result = cli(*args)
        assert result.exit_code == 0
        assert result.stdout == ""
        assert result.stderr == (
            "Nothing to mark stale: no open thread has waited longer than 1d.\n"
        )
    result = cli("stale", "--dry-run", "--older-than", "3h")
    assert "longer than 3h" in result.stderr
    assert ann()["status"] == "open"  # still waiting, and nothing recorded


def test_an_identical_reply_says_it_was_already_sent(desk: Sandbox) -> None:
    first = cli("reply", "@ann", "On it, Ann!")
    assert first.stdout.startswith("Replied to @ann (thread 1): https://x.com/")
    link = first.stdout.split(": ", 1)[1].splitlines()[0]
    again = cli("reply", "1", "On it, Ann!")
    assert again.exit_code == 0, again.stderr
    assert again.stdout.splitlines()[0] == (
        f"Already replied to @ann (thread 1) at Mon 23 Nov 10:00 (Europe/Paris), "
        f"not sent again: {link}"
    )
    posted = [e for e in desk.state.exchanges if e.method == "POST" and e.path == "/2/tweets"]
    assert len(posted) == 1


def test_closing_twice_records_one_mark(desk: Sandbox) -> None:
    assert cli("close", "1").stdout == "Thread 1 is now closed.\n"
    again = cli("close", "@ann")
    assert (again.exit_code, again.stdout) == (0, "Thread 1 is already closed; nothing recorded.\n")
    marks = [i for i in json.loads(cli("show", "1", "--json").stdout)["items"] if "mark" in i]
    assert [m["mark"] for m in marks] == ["closed"]


def test_undo_names_the_thread(desk: Sandbox) -> None:
    sent = cli("reply", "@ann", "On it, Ann!").stdout
    reply_id = sent.split("tweetdesk undo ", 1)[1].strip()
    result = cli("undo", reply_id)
    assert result.stdout == f"Deleted reply {reply_id} to @ann (thread 1); it is open again.\n"
