"""Shared fixtures. Every test runs with its folders, database and config under tmp_path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
SANDBOX_KEYS = {
    "TWEETDESK_CONSUMER_KEY": "sandbox-consumer-key",
    "TWEETDESK_CONSUMER_SECRET": "sandbox-consumer-secret",
    "TWEETDESK_ACCESS_TOKEN": "sandbox-access-token",
    "TWEETDESK_ACCESS_TOKEN_SECRET": "sandbox-access-token-secret",
}


@pytest.fixture(autouse=True)
def quiet_logs() -> Iterator[None]:
    """`--verbose` in one in-process CLI run must not leak traces into the next test."""
    yield
    import logging

    from tweetdesk.output.trace import VERBOSE_HANDLER, VERBOSE_LOGGERS

    for name in VERBOSE_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.NOTSET)
        for handler in [h for h in logger.handlers if h.get_name() == VERBOSE_HANDLER]:
            logger.removeHandler(handler)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test sees the real environment, folders, credentials or clock."""
    for var in list(os.environ):
        if var.startswith("TWEETDESK_") or var.startswith("XDG_"):
            monkeypatch.delenv(var)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("TWEETDESK_DB", str(tmp_path / "desk.db"))
    monkeypatch.setenv("TWEETDESK_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").touch()  # a config file named explicitly must exist
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"


@pytest.fixture
def sandbox_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in SANDBOX_KEYS.items():
        monkeypatch.setenv(key, value)


class Sandbox:
    """A running X API simulator and helpers to build clients against it."""

    def __init__(self, state: Any, url: str) -> None:
        self.state = state
        self.url = url

    def client(self, store: Any = None, *, retries: int = 0, timeout: float = 5.0) -> Any:
        from tweetdesk.x.credentials import Credentials
        from tweetdesk.x.gateway import XClient

        creds = Credentials(*SANDBOX_KEYS.values(), source="test")
        hook = None
        if store is not None:

            def hook(row: dict[str, Any]) -> None:
                store.record_request({**row, "at": "2026-11-23T09:00:00.000Z"})

        return XClient(
            creds, self.url, timeout=timeout, retries=retries, on_request=hook, sleep=lambda s: None
        )

    def requests_to(self, endpoint_part: str) -> list[Any]:
        return [e for e in self.state.exchanges if endpoint_part in e.path]


def client_sandbox(scenario: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """The simulator as strict as X for the client's tests: the sandbox keys are required (not
    any dummy key), and a pause of a sending command moves X's clock on instead of sleeping,
    so a post that X's timeline lags behind shows up after it, as on X."""
    from tweetdesk.desk import sending
    from tweetdesk.sandbox.scenario import load_scenario
    from tweetdesk.sandbox.server import SandboxServer
    from tweetdesk.sandbox.state import SandboxState

    state = SandboxState(load_scenario(scenario, NOW), clock=lambda: NOW)
    state.set_options({"require_credentials": True})
    monkeypatch.setattr(sending, "pause", state.advance)
    with SandboxServer(state) as server:
        yield Sandbox(state, server.url)


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    yield from client_sandbox("empty", monkeypatch)


@pytest.fixture
def demo_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    yield from client_sandbox("demo", monkeypatch)


@pytest.fixture
def ticking(sandbox: Sandbox) -> Iterator[Sandbox]:
    """X's clock runs on in real time from NOW, for end-to-end runs of the console script, whose
    pauses are real: a post X's timeline lags behind appears to it seconds later, as on X."""
    import threading
    import time

    stop = threading.Event()

    def tick() -> None:
        last = time.monotonic()
        while not stop.wait(0.05):
            now = time.monotonic()
            sandbox.state.advance(now - last)
            last = now

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    yield sandbox
    stop.set()
    thread.join()


def cli(*args: str, input: str | None = None) -> Any:
    """Run the CLI in-process (stdout and stderr kept apart); exceptions propagate."""
    from typer.testing import CliRunner

    from tweetdesk.cli.app import app

    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)
