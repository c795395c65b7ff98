"""`evidence` CSV is inert wherever it goes; JSON keeps the exact text."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

from typer.testing import CliRunner

from tweetdesk.cli.app import app

from conftest import NOW
from deskdata import DeskData

HOSTILE = "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\ \u202eRLO \x07"


def test_csv_to_a_pipe_is_inert_and_json_is_exact(isolated: Path) -> None:
    d = DeskData(isolated / "desk.db", NOW)
    d.user(66, "troll")
    d.tweet(200, 66, NOW - timedelta(hours=2), HOSTILE)
    d.tweet(201, 66, NOW - timedelta(hours=1), "\xa0=HYPERLINK(1)", conversation_id=200)
    env = {"TWEETDESK_NOW": NOW.isoformat()}
    out = CliRunner().invoke(app, ["evidence", "@troll"], env=env).stdout_bytes.decode()
    assert not any(c in out for c in "\x1b\x07\u202e")
    texts = [row["text"] for row in csv.DictReader(io.StringIO(out, newline=""))]
    assert texts == [
        "␛]8;;http://evil.example␛\\click␛]8;;␛\\ \\u202eRLO \\x07",
        "'\xa0=HYPERLINK(1)",  # a formula behind an NBSP is neutralised
    ]
    doc = CliRunner().invoke(app, ["evidence", "@troll", "--json"], env=env).stdout
    assert [t["text"] for t in json.loads(doc)["tweets"]] == [HOSTILE, "\xa0=HYPERLINK(1)"]
