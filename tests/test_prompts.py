"""Take a breath and the bulk confirmation at a real terminal: the installed console script on a
pseudo-terminal, answered as a person would."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from test_e2e import SCRIPT, env, run

from conftest import NOW, Sandbox

__all__ = ["env"]  # the fixture, shared with test_e2e
pytestmark = pytest.mark.e2e
HEATED = "WHY IS THIS SO HARD TO UNDERSTAND!!!"


def answer_at_terminal(env: dict[str, str], args: list[str], reply: str) -> tuple[int, str]:
    """Run on a pty; when the question appears, type `reply`. Returns (exit code, screen)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [str(SCRIPT), *args], env={**env, "TERM": "dumb"}, stdin=slave, stdout=slave, stderr=slave
    )
    os.close(slave)
    screen, asked = b"", False
    deadline = time.monotonic() + 30
    while proc.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                screen += os.read(master, 4096)
            except OSError:
                break
        if not asked and b"?" in screen and b"[y/n]" in screen:
            os.write(master, reply.encode() + b"\r")
            asked = True
    proc.wait(timeout=30)
    os.close(master)
    return proc.returncode, screen.decode(errors="replace")


@pytest.fixture
def synced(sandbox: Sandbox, env: dict[str, str]) -> Sandbox:
    handle = sandbox.state.account["username"]
    for n in range(7):
        sandbox.state.add_tweet(
            f"buyer{n}", f"@{handle} where is order {n}?", created_at=NOW - timedelta(minutes=n)
        )
    assert run(env, "sync", "--quiet").returncode == 0
    return sandbox


def posts(sandbox: Sandbox) -> int:
    return int(sandbox.state.usage()["by_endpoint"].get("POST /2/tweets", 0))


def test_take_a_breath_asks_and_no_means_nothing_is_sent(
    synced: Sandbox, env: dict[str, str]
) -> None:
    code, screen = answer_at_terminal(env, ["reply", "@buyer0", HEATED], "n")
    assert "Take a breath" in screen and "shouting" in screen
    assert screen.index("To @buyer0 (thread") < screen.index(HEATED) < screen.index("Take a")
    assert "Cancelled, nothing sent." in screen
    assert code == 1
    assert posts(synced) == 0
    code, screen = answer_at_terminal(env, ["reply", "@buyer0", HEATED], "y")
    assert code == 0, screen
    assert posts(synced) == 1


def test_more_than_five_replies_ask_first(
    synced: Sandbox, env: dict[str, str], tmp_path: Path
) -> None:
    views = run(env, "inbox", "-q").stdout.split()
    path = tmp_path / "b.csv"
    path.write_text("tweet_id,text\n" + "".join(f"{t},Thanks {{{{first_name}}}}!\n" for t in views))
    code, screen = answer_at_terminal(env, ["bulk-reply", str(path)], "n")
    assert "Send 7 public replies?" in screen
    assert "7 public replies would go out, about $0.070:" in screen
    assert (code, posts(synced)) == (1, 0)
    code, screen = answer_at_terminal(env, ["bulk-reply", str(path)], "y")
    assert (code, posts(synced)) == (0, 7), screen
