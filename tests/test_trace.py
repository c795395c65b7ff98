"""`--verbose` shows each request as it really went: the URL asked (the sandbox's, not tweepy's
api.twitter.com), the status and only the headers that matter; never the request's headers
(the OAuth signature), never the body (customers' words)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from conftest import NOW, Sandbox, cli


@pytest.fixture
def desk(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    handle = sandbox.state.account["username"]
    sandbox.state.add_tweet(
        "sam", f"@{handle} secret order details \x1b[2J", created_at=NOW - timedelta(minutes=2)
    )
    return sandbox


def test_the_trace_names_the_url_really_requested_and_few_headers(desk: Sandbox) -> None:
    result = cli("-v", "sync")
    assert result.exit_code == 0, result.stderr
    trace = result.stderr
    assert "api.twitter.com" not in trace
    uid = desk.state.account["id"]
    line = next(x for x in trace.splitlines() if "GET /2/users/:id/mentions" in x)
    assert line.split(": ", 1)[1].startswith(
        f"GET /2/users/:id/mentions -> 200 OK (1 posts) at {desk.url}/2/users/{uid}/mentions?"
    )
    headers = line.split("; ", 1)[1].split()
    assert [h.split("=")[0] for h in headers] == [
        "x-transaction-id",
        "x-rate-limit-limit",
        "x-rate-limit-remaining",
        "x-rate-limit-reset",
    ]
    for noise in ("Headers:", "Content:", "User-Agent", "x-connection-hash", "strict-transport"):
        assert noise not in trace, noise
    for private in ("Authorization", "oauth_", "secret order details", "\x1b"):
        assert private not in trace, private


def test_a_request_without_an_answer_is_traced_with_its_url(
    sandbox_env: None, monkeypatch: pytest.MonkeyPatch, config_file: object
) -> None:
    import socket
    from pathlib import Path

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{sock.getsockname()[1]}"
    monkeypatch.setenv("TWEETDESK_API_URL", down)
    Path(str(config_file)).write_text("[x]\nretries = 0\n")
    result = cli("-v", "sync")
    assert result.exit_code == 1
    assert f"GET /2/users/me -> no answer (ConnectionError) at {down}/2/users/me?" in result.stderr
