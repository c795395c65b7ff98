"""`sandbox serve` prints the scenario name inert, the address it really listens on, and warns
on stderr when other machines can reach it (the /_sandbox control API has no authentication).
Tests bind loopback only: the non-loopback case uses a stand-in for the listening socket."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tweetdesk.sandbox import server as server_module
from tweetdesk.sandbox.server import SandboxServer

from conftest import cli

EXPORTS = (
    "TWEETDESK_CONSUMER_KEY=sandbox-consumer-key TWEETDESK_CONSUMER_SECRET=sandbox-consumer-secret "
    "TWEETDESK_ACCESS_TOKEN=sandbox-access-token "
    "TWEETDESK_ACCESS_TOKEN_SECRET=sandbox-access-token-secret"
)


@pytest.fixture
def hostile_scenario(tmp_path: Path) -> Path:
    path = tmp_path / "sc\x1b]0;pwned\x07.json"
    path.write_text(json.dumps({"account": {"username": "acmeroasters"}}), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def returns_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Serving stops as soon as the banner is out (as if Ctrl-C came at once)."""
    monkeypatch.setattr(SandboxServer, "serve", lambda self: self._httpd.server_close())


class FakeListener:
    """Stands in for a socket bound to every interface (tests never listen beyond loopback)."""

    def __init__(self, address: tuple[str, int], handler: Any) -> None:
        self.server_address = address

    def server_close(self) -> None:
        pass


def test_on_loopback_the_banner_is_as_before_and_inert(hostile_scenario: Path) -> None:
    result = cli("sandbox", "serve", "--port", "0", "--scenario", str(hostile_scenario))
    assert result.exit_code == 0, result.stderr
    first, *rest = result.stdout.splitlines()
    shown = str(hostile_scenario).replace("\x1b", "␛").replace("\x07", "\\x07")
    assert first.startswith(f"X API v2 simulator ({shown}) serving at http://127.0.0.1:")
    assert "listening on" not in first
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    url = first.rsplit(" ", 1)[1]
    port = url.rsplit(":", 1)[1]
    db = Path(os.environ["XDG_DATA_HOME"]) / "tweetdesk" / "sandbox" / f"tweetdesk-{port}.db"
    assert rest == [
        "Use it from another shell (a desk of its own, fresh for this run):",
        f"  export TWEETDESK_API_URL={url} TWEETDESK_DB={db} {EXPORTS}",
        "Press Ctrl-C to stop.",
    ]
    assert result.stderr == ""


def test_every_interface_shows_the_real_address_and_warns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(server_module, "_Server", FakeListener)
    result = cli("sandbox", "serve", "--host", "0.0.0.0", "--port", "8765", "--scenario", "empty")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "X API v2 simulator (empty) serving at http://127.0.0.1:8765 (listening on 0.0.0.0:8765)"
    )
    assert result.stderr == (
        "Warning: listening on 0.0.0.0:8765, reachable from other machines: anyone who can "
        "connect can read and post through the simulator and drive its unauthenticated "
        "/_sandbox control API (use --host 127.0.0.1 to keep it on this machine).\n"
    )


def test_a_named_outside_address_is_shown_and_warned_about(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(server_module, "_Server", FakeListener)
    result = cli("sandbox", "serve", "--host", "192.0.2.7", "--port", "8765")
    assert result.exit_code == 0, result.stderr
    assert "serving at http://192.0.2.7:8765\n" in result.stdout
    assert result.stderr.startswith("Warning: listening on 192.0.2.7:8765, reachable from other")


def test_the_simulator_serves_on_ipv6_loopback(
    monkeypatch: pytest.MonkeyPatch, sandbox_env: None
) -> None:
    import socket

    from tweetdesk.sandbox.scenario import load_scenario
    from tweetdesk.sandbox.server import SandboxServer
    from tweetdesk.sandbox.state import SandboxState

    from conftest import NOW, cli

    try:
        socket.socket(socket.AF_INET6).close()
    except OSError:
        pytest.skip("no IPv6 on this machine")
    state = SandboxState(load_scenario("demo", NOW), clock=lambda: NOW)
    with SandboxServer(state, host="::1") as server:
        assert server.url.startswith("http://[::1]:")
        monkeypatch.setenv("TWEETDESK_API_URL", server.url)
        monkeypatch.setenv("TWEETDESK_NOW", NOW.isoformat())
        result = cli("sync", "--quiet")
        assert result.exit_code == 0, result.stderr
    assert len(state.exchanges) >= 3
