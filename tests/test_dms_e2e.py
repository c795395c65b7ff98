"""A DM in doubt, end to end: the installed console script answers a DM thread while X takes the
DM and the client never hears back (killed with SIGKILL mid-send; a 503 after X took it), with
X's account-wide /2/dm_events lagging behind. Each DM reaches the customer exactly once: the
rerun finds it in the conversation's own events (GET /2/dm_conversations/:id/dm_events)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tweetdesk.sandbox.model import Fault

from conftest import SANDBOX_KEYS, Sandbox

pytestmark = pytest.mark.e2e
SCRIPT = Path(sys.executable).parent / "tweetdesk"
FIRST = "So sorry Priya, the second charge is refunded today."
SECOND = "The refund reference is R-8812, it shows in 3 to 5 days."


@pytest.fixture
def env(sandbox: Sandbox, tmp_path: Path) -> dict[str, str]:
    assert SCRIPT.exists(), f"the console script is not installed at {SCRIPT}"
    (tmp_path / "config.toml").write_text('[x]\nretries = 0\ntimeout = "5s"\n')
    base = {k: v for k, v in os.environ.items() if not k.startswith("TWEETDESK_")}
    return {
        **base,
        **SANDBOX_KEYS,
        "TWEETDESK_API_URL": sandbox.url,
        "TWEETDESK_DB": str(tmp_path / "desk.db"),
        "TWEETDESK_CONFIG": str(tmp_path / "config.toml"),
        "TWEETDESK_NOW": "2026-11-23T09:00:00Z",
    }


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def control(sandbox: Sandbox, path: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(
        f"{sandbox.url}/_sandbox/{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=5).close()


def dm_posts(sandbox: Sandbox) -> int:
    return sum(
        1
        for e in sandbox.state.exchanges
        if e.method == "POST" and e.path.startswith("/2/dm_conversations")
    )


def test_a_dm_in_doubt_reaches_the_customer_once_after_sigkill_and_after_a_503(
    sandbox: Sandbox, env: dict[str, str]
) -> None:
    state = sandbox.state
    control(sandbox, "dms", {"from": "priya_s", "text": "Charged twice!", "minutes_ago": 20})
    assert run(env, "sync", "--quiet").returncode == 0
    inbox = json.loads(run(env, "inbox", "--json", "--source", "dm").stdout)
    number = str(inbox[0]["number"])
    # X's account-wide DM read leaves out the last minute (the sandbox clock stands still)
    control(sandbox, "options", {"dm_events_lag_seconds": 60})

    # 1. X takes the DM, then the client waits for an answer that never comes: killed.
    state.add_fault(Fault(match="POST /2/dm_conversations", delay=60, commit=True))
    proc = subprocess.Popen(
        [str(SCRIPT), "reply", number, FIRST],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not state.dms:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the DM never reached the sandbox"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    state.faults.clear()
    rerun = run(env, "reply", number, FIRST)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.startswith(f"DM sent to @priya_s (thread {number})")
    assert dm_posts(sandbox) == 1  # found in the conversation, not sent again

    # 2. A 503 after X took the DM: the command says it may have gone out; the rerun finds it.
    state.add_fault(Fault(match="POST /2/dm_conversations", status=503, commit=True))
    failed = run(env, "reply", number, SECOND)
    assert failed.returncode == 1
    assert "may or may not have gone out; run the same command again" in failed.stderr
    again = run(env, "reply", number, SECOND)
    assert again.returncode == 0, again.stderr
    assert dm_posts(sandbox) == 2
    assert [d["text"] for d in state.dms] == [FIRST, SECOND]  # each once
    reads = [e.path for e in state.exchanges if e.method == "GET" and "dm_" in e.path]
    assert reads[0] == "/2/dm_events"  # the sync
    assert all(p.startswith("/2/dm_conversations/") for p in reads[1:])  # every reconcile
    usage = json.loads(run(env, "usage", "--json").stdout)
    assert usage["dms_sent"] == 2  # both billed once, as X billed them
    status = json.loads(run(env, "inbox", "--all", "--json", "--source", "dm").stdout)
    assert status[0]["status"] == "replied"
