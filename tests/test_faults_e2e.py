"""API failures outside sync, end to end: the installed console script sends `reply` and `dm` to
the sandbox over HTTP while it injects a fault. Each failure exits with the documented code
(1 for an API failure, 4 for a 429) and one line on stderr; a send left in doubt by a timeout
is reconciled on the rerun, never posted twice.

`[x] retries = 0` makes each failure final in one try, so no test waits for a back-off.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tweetdesk.sandbox.model import Fault

from conftest import NOW, Sandbox, cli

pytestmark = pytest.mark.e2e
SCRIPT = Path(sys.executable).parent / "tweetdesk"
TIMEOUT = 1  # seconds, as `[x] timeout` in the config
REPLY = "So sorry about the wait: your order leaves the roastery today."
DM = "Could you send us your order number so we can look into it?"
SENDS = {
    "reply": ("POST /2/tweets", ("reply", "1", REPLY)),
    "dm": ("POST /2/dm_conversations", ("dm", "1", DM)),
}


@pytest.fixture
def desk(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    assert SCRIPT.exists(), f"the console script is not installed at {SCRIPT}"
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    Path(os.environ["TWEETDESK_CONFIG"]).write_text(f'[x]\nretries = 0\ntimeout = "{TIMEOUT}s"\n')
    sandbox.state.add_mentions(3, start=NOW - timedelta(minutes=30), spacing=timedelta(minutes=1))
    assert cli("sync", "--quiet").exit_code == 0
    return sandbox


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def posts_to(desk: Sandbox, match: str) -> int:
    method, _, prefix = match.partition(" ")
    return sum(1 for e in desk.state.exchanges if e.method == method and e.path.startswith(prefix))


def assert_one_error_line(result: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    assert result.returncode == code, result.stderr
    assert result.stderr.startswith("Error: "), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("send", list(SENDS))
@pytest.mark.parametrize(
    ("fault", "code", "words"),
    [
        ({"status": 401}, 1, "run `tweetdesk auth login` again"),
        ({"status": 402}, 1, "no credits left (402 CreditsDepleted)"),
        ({"status": 429, "reset_in": 120}, 4, "retry after 2026-11-23 09:02:00 UTC"),
        ({"status": 503}, 1, "X is failing (503"),
        ({"drop": True}, 1, "cannot reach the X API"),
    ],
    ids=["401", "402", "429", "503", "dropped"],
)
def test_a_failed_send_exits_with_the_documented_code(
    desk: Sandbox, send: str, fault: dict[str, Any], code: int, words: str
) -> None:
    endpoint, args = SENDS[send]
    desk.state.add_fault(Fault(match=endpoint, **fault))
    result = run(*args)
    assert_one_error_line(result, code, words)
    assert posts_to(desk, endpoint) == 1
    assert desk.state.account_tweets() == []  # nothing went out: not the reply, not a note
    assert desk.state.dms == []


@pytest.mark.parametrize("send", list(SENDS))
def test_a_send_in_doubt_after_a_timeout_goes_out_once(desk: Sandbox, send: str) -> None:
    endpoint, args = SENDS[send]
    # X takes the post, then answers after the client has given up.
    desk.state.add_fault(Fault(match=endpoint, delay=TIMEOUT + 1))
    result = run(*args)
    assert_one_error_line(result, 1, "X did not answer in time (timeout)")
    assert "may or may not have gone out; run the same command again" in result.stderr
    assert posts_to(desk, endpoint) == 1

    desk.state.advance(10)  # the person runs it again a little later: X's timeline shows it
    rerun = run(*args)
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    assert posts_to(desk, endpoint) == 1  # found on X, not sent again
    if send == "reply":
        assert "Replied to @" in rerun.stdout
        assert [t["text"].endswith(REPLY) for t in desk.state.account_tweets()] == [True]
    else:
        assert "DM sent to @" in rerun.stdout
        assert [d["text"] for d in desk.state.dms] == [DM]
        assert posts_to(desk, "POST /2/tweets") == 1  # the public note, posted once
        assert len(desk.state.account_tweets()) == 1
