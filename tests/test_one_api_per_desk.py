"""One desk, one X API: a desk synced from the simulator refuses a sync from another base URL
(api.x.com, another simulator), as it refuses a second account; nothing is asked of the other."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import NOW, Sandbox, cli


@pytest.fixture
def other() -> Iterator[Sandbox]:
    from tweetdesk.sandbox.scenario import load_scenario
    from tweetdesk.sandbox.server import SandboxServer
    from tweetdesk.sandbox.state import SandboxState

    state = SandboxState(load_scenario("empty", NOW), clock=lambda: NOW)
    with SandboxServer(state) as server:
        yield Sandbox(state, server.url)


@pytest.fixture
def synced(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    handle = sandbox.state.account["username"]
    sandbox.state.add_tweet("sam", f"@{handle} hello", created_at=NOW - timedelta(minutes=3))
    assert cli("sync", "--quiet").exit_code == 0
    return sandbox


def _stored_url() -> str | None:
    with sqlite3.connect(os.environ["TWEETDESK_DB"]) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = 'api_url'").fetchone()
    return None if row is None else str(row[0])


def test_a_desk_refuses_a_sync_from_another_api(
    synced: Sandbox, other: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert _stored_url() == synced.url
    monkeypatch.setenv("TWEETDESK_API_URL", other.url)
    result = cli("sync")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: this desk ({os.environ['TWEETDESK_DB']}) was synced from {synced.url}, not "
        f"{other.url}: give each API its own database (--db or TWEETDESK_DB)\n"
    )
    assert other.state.exchanges == []  # refused before any request
    assert cli("sync", "--quiet", "--db", str(tmp_path / "other.db")).exit_code == 0
    monkeypatch.setenv("TWEETDESK_API_URL", synced.url + "/")  # the same API
    assert cli("sync", "--quiet").exit_code == 0


def test_a_desk_from_before_the_url_was_recorded_adopts_the_current_one(
    synced: Sandbox, other: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite3.connect(os.environ["TWEETDESK_DB"]) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'api_url'")
    assert cli("sync", "--quiet").exit_code == 0
    assert _stored_url() == synced.url
    monkeypatch.setenv("TWEETDESK_API_URL", other.url)
    assert cli("sync", "--quiet").exit_code == 2


def test_a_desk_that_holds_nothing_yet_may_change_its_api(
    sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on: the first sync fails
        sock.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{sock.getsockname()[1]}"
    monkeypatch.setenv("TWEETDESK_API_URL", down)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    Path(os.environ["TWEETDESK_CONFIG"]).write_text("[x]\nretries = 0\n")
    assert cli("sync", "--quiet").exit_code == 1
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    assert cli("sync", "--quiet").exit_code == 0
    assert _stored_url() == sandbox.url
