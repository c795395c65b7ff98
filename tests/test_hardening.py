"""Faults, bad input and secrets: each with its documented exit code, nothing lost, nothing
changed by a refusal, no secret anywhere. Concurrency is in test_concurrency.py; failures of
`reply` and `dm` end to end in test_faults_e2e.py."""

from __future__ import annotations

import json
import os
import socket
from datetime import timedelta
from pathlib import Path

import pytest

from tweetdesk.sandbox.model import Fault

from conftest import NOW, SANDBOX_KEYS, Sandbox, cli


@pytest.fixture
def desk(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    Path(os.environ["TWEETDESK_CONFIG"]).write_text("[x]\nretries = 1\n")
    sandbox.state.add_mentions(250, start=NOW - timedelta(hours=5), spacing=timedelta(minutes=1))
    return sandbox


def tweets_stored() -> int:
    import sqlite3

    path = os.environ["TWEETDESK_DB"]
    if not Path(path).exists():
        return 0
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM tweets").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("fault", "code", "words"),
    [
        (Fault(match="*", status=401), 1, "auth login"),
        (Fault(match="*", status=402), 1, "credits"),
        (Fault(match="*", status=429, reset_in=120), 4, "retry after"),
        (Fault(match="*", status=503, times=50), 1, "try again later"),
        (Fault(match="*", drop=True, times=50), 1, "cannot reach"),
    ],
)
def test_api_failures_at_sync_exit_with_the_documented_code(
    desk: Sandbox, fault: Fault, code: int, words: str
) -> None:
    desk.state.add_fault(fault)
    result = cli("sync")
    assert result.exit_code == code
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert tweets_stored() == 0


def test_server_gone_mid_sync_keeps_the_pages_it_stored(desk: Sandbox) -> None:
    mentions = f"GET /2/users/{desk.state.account['id']}/mentions"
    desk.state.add_fault(Fault(match=mentions, drop=True, after=1, times=50))
    result = cli("sync")
    assert result.exit_code == 1
    assert "the connection dropped in the middle of X's answer" in result.stderr
    assert "IncompleteRead" not in result.stderr and "Connection" not in result.stderr
    assert tweets_stored() == 100
    desk.state.faults.clear()
    assert cli("sync", "--quiet").exit_code == 0
    assert tweets_stored() == 250


def test_no_server_at_all(sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("TWEETDESK_API_URL", f"http://127.0.0.1:{port}")
    Path(os.environ["TWEETDESK_CONFIG"]).write_text("[x]\nretries = 0\n")
    result = cli("sync")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot reach the X API at 127.0.0.1:{port}: the connection was refused or "
        "dropped; check the network and TWEETDESK_API_URL\n"
    )


@pytest.mark.parametrize(
    "content", [b"not a database" * 10, None], ids=["garbage", "foreign-sqlite"]
)
def test_garbage_or_foreign_database_is_left_untouched(
    desk: Sandbox, content: bytes | None
) -> None:
    import sqlite3

    path = Path(os.environ["TWEETDESK_DB"])
    if content is None:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE accounts (id INTEGER)")
        conn.commit()
        conn.close()
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    for args in (("sync",), ("inbox",), ("close", "1")):
        result = cli(*args)
        assert result.exit_code == 2, args
        assert "left untouched" in result.stderr
    assert path.read_bytes() == before
    assert desk.state.exchanges == []


def test_malformed_bulk_input_sends_nothing(desk: Sandbox) -> None:
    cli("sync", "--quiet")
    tweet_id = json.loads(cli("inbox", "--json").stdout)[0]["tweet_id"]
    lines = json.dumps({"tweet_id": tweet_id, "text": "hi"}) + "\n{not json\n"
    result = cli("bulk-reply", "-", "--yes", input=lines)
    assert result.exit_code == 2
    assert "line 2: not valid JSON" in result.stderr
    result = cli("bulk-reply", "-", "--yes", input="id,message\n1,hi\n")
    assert result.exit_code == 2
    assert "header must have tweet_id" in result.stderr
    assert not [e for e in desk.state.exchanges if e.method == "POST"]


def test_bad_arguments_are_usage_errors(desk: Sandbox) -> None:
    assert cli("sync", "--quiet").exit_code == 0
    for args, words in [
        (("sync", "--since", "forever"), "bad value for --since"),
        (("snooze", "1", "--until", "someday soon"), "bad value for --until"),
        (("stale", "--older-than", "x"), "bad value for --older-than"),
        (("show", "not-an-id"), "is not a tweet id"),
        (("inbox", "--source", "email"), "bad value for --source"),
    ]:
        result = cli(*args)
        assert result.exit_code == 2, args
        assert words in result.stderr, args


def test_secrets_never_appear_in_output_traces_database_or_exports(
    desk: Sandbox, tmp_path: Path
) -> None:
    secrets = [v for k, v in SANDBOX_KEYS.items() if "SECRET" in k or "TOKEN" in k]
    outputs = []
    for args in (
        ("--verbose", "sync"),
        ("--verbose", "auth", "status"),
        ("config", "check"),
        ("config", "check", "--json"),
        ("--verbose", "inbox", "--json"),
        ("evidence", "@customer1", "--format", "csv"),
        ("usage", "--json"),
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        outputs.append(result.stdout + result.stderr)
    assert "GET /2/users/:id/mentions -> 200" in outputs[0]  # the trace is there...
    db = Path(os.environ["TWEETDESK_DB"])
    blobs = [*outputs, db.read_bytes().decode("latin-1")]
    wal = Path(f"{db}-wal")
    if wal.exists():
        blobs.append(wal.read_bytes().decode("latin-1"))
    for secret in secrets:
        for blob in blobs:
            assert secret not in blob  # ...and no secret in any of it
