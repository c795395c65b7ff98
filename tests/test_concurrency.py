"""cron's sync and the owner at the same time, with the installed console script.

WAL lets a reader and a writer work together, the busy timeout makes a writer wait for another,
and every write is a short transaction: the sync holds no lock while it waits for X. Each test
here fails when one of these is taken away (WAL off, busy_timeout 0, a sync in one transaction,
no sync lock file).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from tweetdesk.sandbox.model import Fault

from conftest import NOW, Sandbox, cli

pytestmark = pytest.mark.e2e
SCRIPT = Path(sys.executable).parent / "tweetdesk"
SYNC_DELAY = 6.0  # X "thinks" this long about one page of the sync
PROMPT = 3.0  # an owner's command must finish within this, also while the sync waits


@pytest.fixture
def desk(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """250 threads synced; commands run with the test's environment."""
    assert SCRIPT.exists(), f"the console script is not installed at {SCRIPT}"
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    Path(os.environ["TWEETDESK_CONFIG"]).write_text("[x]\nretries = 1\n")
    sandbox.state.add_mentions(250, start=NOW - timedelta(hours=5), spacing=timedelta(minutes=1))
    assert cli("sync", "--quiet").exit_code == 0
    return sandbox


@dataclass
class Run:
    proc: subprocess.Popen[str]
    started: float

    def finish(self, within: float) -> tuple[int, str, str, float]:
        """Exit code, stdout, stderr and seconds taken; fails the test past `within`."""
        try:
            out, err = self.proc.communicate(timeout=within)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{self.proc.args[1:]} still running after {within}s")
        return self.proc.returncode, out, err, time.monotonic() - self.started


Spawn = Callable[..., Run]


@pytest.fixture
def spawn(desk: Sandbox) -> Iterator[Spawn]:
    runs: list[Run] = []

    def start(*args: str) -> Run:
        proc = subprocess.Popen(
            [str(SCRIPT), *args],
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        runs.append(Run(proc, time.monotonic()))
        return runs[-1]

    yield start
    for run in runs:
        if run.proc.poll() is None:
            run.proc.kill()
        run.proc.communicate()


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def db_path() -> str:
    return os.environ["TWEETDESK_DB"]


def connect() -> sqlite3.Connection:
    return sqlite3.connect(db_path(), isolation_level=None, timeout=0)


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: what 'changes nothing' compares."""
    conn = connect()
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: sorted(conn.execute(f"SELECT * FROM [{n}]"), key=repr) for n in names}
    finally:
        conn.close()


def statuses() -> dict[int, dict[str, object]]:
    result = cli("inbox", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    return {v["number"]: v for v in json.loads(result.stdout)}


def has_opened_db(pid: int) -> bool:
    """The process has the database file open (Linux /proc): it is past its imports."""
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(fd) == db_path():
                return True
        except OSError:
            continue
    return False


def test_the_owner_works_while_a_sync_waits_on_x(desk: Sandbox, spawn: Spawn) -> None:
    """While a sync waits for a slow page, inbox, close, mute and reply finish promptly, a
    second sync skips cleanly; afterwards no update of either side is lost."""
    first = json.loads(cli("inbox", "--json").stdout)
    closing, replying = first[0], first[1]
    troll = next(
        v["author"] for v in first if v["author"] not in (closing["author"], replying["author"])
    )
    desk.state.add_mentions(400, start=NOW - timedelta(minutes=40), spacing=timedelta(seconds=5))
    mentions = desk.requests_to("/mentions")
    desk.state.add_fault(
        Fault(match=f"GET /2/users/{desk.state.account['id']}/mentions", delay=SYNC_DELAY, after=1)
    )
    sync = spawn("sync", "--quiet")
    # The second page was asked for (the first is stored): X now sits on the answer.
    wait_for(lambda: len(desk.requests_to("/mentions")) == len(mentions) + 2)
    assert sync.proc.poll() is None
    stored_page = snapshot()
    assert len(stored_page["tweets"]) == 250 + 100

    # (d) A second sync sees the first one's lock, says so, exits 0 and touches nothing.
    asked = len(desk.state.exchanges)
    code, _, err, _ = spawn("sync").finish(PROMPT)
    assert code == 0, err
    assert "another tweetdesk sync is running on this desk; skipped" in err
    assert len(desk.state.exchanges) == asked
    assert snapshot() == stored_page

    # (a) The owner's commands, one after another, each well before the slow page arrives.
    taken = {}
    for args in (
        ("inbox", "--json"),
        ("close", str(closing["number"])),
        ("mute", f"@{troll}"),
        ("reply", str(replying["number"]), "On its way today, thank you for waiting!"),
    ):
        code, _, err, took = spawn(*args).finish(PROMPT)
        assert code == 0, (args, err)
        assert "locked" not in err, args
        taken[args[0]] = took
    assert sync.proc.poll() is None, f"the sync ended before the owner was done: {taken}"
    assert all(took < PROMPT for took in taken.values()), taken

    # (b) The sync stores every page after the wait; the owner's updates are all still there.
    code, _, err, _ = sync.finish(SYNC_DELAY + 30)
    assert code == 0, err
    assert "locked" not in err
    tweets = snapshot()["tweets"]
    assert len(tweets) == 250 + 400 + 1  # every mention, and our reply once
    after = statuses()
    assert after[closing["number"]]["status"] == "closed"
    assert after[replying["number"]]["status"] == "replied"
    trolls = [v for v in after.values() if v["author"] == troll]
    assert len(trolls) == (250 + 400) // 50  # the sync's later pages brought more of theirs...
    assert all(v["status"] == "muted" for v in trolls)  # ...and the mute covers them too
    inbox = json.loads(cli("inbox", "--json").stdout)
    assert not [v for v in inbox if v["author"] == troll]


def test_close_waits_for_another_writer_then_succeeds(desk: Sandbox, spawn: Spawn) -> None:
    """A write lock held elsewhere (a sync committing a page) makes `close` wait, not fail."""
    number = json.loads(cli("inbox", "--json").stdout)[0]["number"]
    holder = connect()
    holder.execute("BEGIN IMMEDIATE")
    try:
        close = spawn("close", str(number))
        wait_for(lambda: has_opened_db(close.proc.pid) or close.proc.poll() is not None)
        time.sleep(1.0)  # close now needs the lock this connection holds
        if close.proc.poll() is not None:
            pytest.fail(f"close did not wait for the lock: {close.proc.communicate()}")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    code, _, err, _ = close.finish(PROMPT)
    assert code == 0, err
    assert "locked" not in err
    assert statuses()[number]["status"] == "closed"


def test_a_long_read_does_not_hold_up_the_owners_write(desk: Sandbox, spawn: Spawn) -> None:
    """A reader in the middle of a snapshot (a sync reading, a listing) never blocks a write:
    without WAL, the writer's commit would wait for the reader to finish."""
    number = json.loads(cli("inbox", "--json").stdout)[0]["number"]
    reader = connect()
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM tweets").fetchone()[0] == 250
    try:
        code, _, err, took = spawn("close", str(number)).finish(PROMPT)
        assert code == 0, err
        # The reader's snapshot is untouched by the commit it let through.
        assert reader.execute("SELECT count(*) FROM marks").fetchone()[0] == 0
    finally:
        reader.execute("ROLLBACK")
        reader.close()
    assert took < PROMPT
    assert statuses()[number]["status"] == "closed"
