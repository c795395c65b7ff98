"""A full tweetdesk morning (sync with DMs, reply, dm, a DM reply and one reconciled in its
conversation, undo, bulk, auth status) validated, exchange by exchange, against X's official
OpenAPI description: what the client sends and what the simulator answers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tweetdesk.cli.app import app
from tweetdesk.sandbox.model import Fault

from conftest import Sandbox
from openapi_conformance import require_spec, validate_exchange

runner = CliRunner()


def cli(*args: str, input: str | None = None) -> object:
    result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == 0, (args, result.stderr)
    return result


def test_a_whole_run_conforms_to_the_openapi_description(
    demo_sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_spec()
    monkeypatch.setenv("TWEETDESK_API_URL", demo_sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    Path(os.environ["TWEETDESK_CONFIG"]).write_text(
        "[listen]\nqueries = ['\"Acme Roasters\"']\n"
        '[templates]\nthanks = "Thank you {{first_name|friend}}!"\n'
    )
    cli("sync")
    cli("auth", "status")
    views = json.loads(cli("inbox", "--json").stdout)  # type: ignore[attr-defined]
    mentions = [v for v in views if v["replyable"]]
    sent = cli("reply", str(mentions[0]["number"]), "Sorry, a replacement ships today.", "--yes")
    reply_id = sent.stdout.split("tweetdesk undo ")[1].strip()  # type: ignore[attr-defined]
    dm_target = next(v for v in mentions[1:] if v["author"] != "bean_hater_9000")
    cli("dm", str(dm_target["number"]), "Could you send us your order number?", "--yes")
    dm_threads = [v for v in views if v["source"] == "dm"]
    cli("reply", str(dm_threads[0]["number"]), "Sorry about that, refunded today.", "--yes")
    # a DM X took but never confirmed: reconciled in its conversation's events
    demo_sandbox.state.add_fault(Fault(match="POST /2/dm_conversations", status=503, commit=True))
    cli("reply", str(dm_threads[1]["number"]), "Yes, we'd love to host one!", "--yes")
    cli("undo", reply_id)
    rows = "".join(
        json.dumps({"tweet_id": v["tweet_id"], "template": "thanks"}) + "\n" for v in mentions[2:4]
    )
    cli("bulk-reply", "-", "--yes", input=rows)
    cli("sync")  # brings our own replies back through the timeline
    exchanges = [e for e in demo_sandbox.state.exchanges if e.path.startswith("/2/")]
    endpoints = {f"{e.method} {e.path.split('/')[2]}" for e in exchanges}
    assert {
        "GET users",
        "GET tweets",
        "POST tweets",
        "DELETE tweets",
        "POST dm_conversations",
        "GET dm_events",
        "GET dm_conversations",
    } <= endpoints
    paths = {e.path for e in exchanges}
    assert any(p.endswith("/messages") and "/with/" in p for p in paths)  # the dm move
    assert any(p.endswith("/messages") and "/with/" not in p for p in paths)  # into a thread
    assert any(p.endswith("/dm_events") and p.startswith("/2/dm_conversations/") for p in paths)
    for exchange in exchanges:
        validate_exchange(exchange)
