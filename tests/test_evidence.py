"""`tweetdesk evidence USER`: every stored tweet by a user, exact, for a harassment report."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tweetdesk.cli.app import app
from tweetdesk.output.reports import to_csv

from conftest import NOW
from deskdata import DeskData

NASTY = '=HYPERLINK("http://evil.test","click")'
MULTILINE = 'line one, "quoted"\nline two \x1b[31mred\u202e'


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"TWEETDESK_NOW": NOW.isoformat()})


@pytest.fixture
def desk(isolated: Path) -> DeskData:
    d = DeskData(isolated / "desk.db", NOW)
    d.user(66, "Troll_66", "Not A Troll")
    d.user(10, "ann")
    d.tweet(200, 66, NOW - timedelta(hours=3), "@acme you are frauds")
    d.tweet(201, 66, NOW - timedelta(hours=2), NASTY, conversation_id=200, reply_to=200)
    d.tweet(202, 10, NOW - timedelta(hours=2), "@acme hi")
    d.tweet(203, 66, NOW - timedelta(hours=1), MULTILINE, conversation_id=202, reply_to=202)
    d.mute(66, "Troll_66")
    return d


def test_csv_is_inert_even_to_a_pipe_and_neutralises_formulas(desk: DeskData) -> None:
    result = run("evidence", "@troll_66")  # CliRunner's stdout is not a terminal
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "3 tweet(s) by @Troll_66.\n"
    out = result.stdout_bytes.decode("utf-8")  # .stdout would fold CRLF
    assert out == (
        "id,created_at,author,author_id,text,url,conversation_id,in_reply_to_id,kind\r\n"
        "200,2026-11-23T06:00:00Z,Troll_66,66,'@acme you are frauds,"
        "https://x.com/Troll_66/status/200,200,,tweet\r\n"
        '201,2026-11-23T07:00:00Z,Troll_66,66,"\'=HYPERLINK(""http://evil.test"",""click"")",'
        "https://x.com/Troll_66/status/201,200,200,tweet\r\n"
        '203,2026-11-23T08:00:00Z,Troll_66,66,"line one, ""quoted""\nline two ␛[31mred\\u202e",'
        "https://x.com/Troll_66/status/203,202,202,tweet\r\n"
    )
    assert "\x1b" not in out and "\u202e" not in out
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert rows[2]["text"] == 'line one, "quoted"\nline two ␛[31mred\\u202e'  # newlines kept
    assert rows[1]["text"] == "'" + NASTY


def test_json_is_exact_and_inert(desk: DeskData) -> None:
    result = run("evidence", "Troll_66", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "\\u202e" in result.stdout and "\u202e" not in result.stdout
    assert "\x1b" not in result.stdout
    doc = json.loads(result.stdout)
    assert doc["user"] == {"id": "66", "username": "Troll_66", "name": "Not A Troll", "muted": True}
    assert doc["exported_at"] == "2026-11-23T09:00:00Z"
    assert doc["count"] == 3
    assert [t["text"] for t in doc["tweets"]] == ["@acme you are frauds", NASTY, MULTILINE]
    assert doc["tweets"][1] == {
        "id": "201",
        "created_at": "2026-11-23T07:00:00Z",
        "author": "Troll_66",
        "author_id": "66",
        "text": NASTY,
        "url": "https://x.com/Troll_66/status/201",
        "conversation_id": "200",
        "in_reply_to_id": "200",
        "kind": "tweet",
    }


def test_a_user_id_works_too(desk: DeskData) -> None:
    result = run("evidence", "66", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["user"]["username"] == "Troll_66"


def test_unknown_user_exits_2(desk: DeskData) -> None:
    result = run("evidence", "@nobody")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: no user @nobody in the desk: evidence covers the tweets tweetdesk has synced\n"
    )


def test_bad_format_exits_2(desk: DeskData) -> None:
    result = run("evidence", "@ann", "--format", "xlsx")
    assert result.exit_code == 2
    assert result.stderr == "Error: bad value for --format: 'xlsx' (use csv or json)\n"


def test_csv_spells_out_control_characters() -> None:
    tweet = {
        "id": "1",
        "created_at": "2026-11-23T08:00:00Z",
        "author": "x",
        "author_id": "2",
        "text": "-\x1b[2J\u202e",
        "url": "u",
        "conversation_id": "1",
        "in_reply_to_id": None,
    }
    assert to_csv([tweet]).splitlines()[1] == "1,2026-11-23T08:00:00Z,x,2,'-␛[2J\\u202e,u,1,,"


def test_json_flag_is_the_json_format(desk: DeskData) -> None:
    flag = run("evidence", "@troll_66", "--json")
    assert flag.exit_code == 0, flag.stderr
    assert flag.stdout == run("evidence", "@troll_66", "--format", "json").stdout
    assert json.loads(flag.stdout)["count"] == 3
    both = run("evidence", "@troll_66", "--format", "JSON", "--json")
    assert (both.exit_code, both.stdout) == (0, flag.stdout)


def test_json_flag_with_csv_format_is_a_usage_error(desk: DeskData) -> None:
    result = run("evidence", "@troll_66", "--format", "csv", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: --json and --format csv contradict each other (give one of them)\n"
    )
    bad = run("evidence", "@troll_66", "--format", "xlsx", "--json")
    assert bad.stderr == "Error: bad value for --format: 'xlsx' (use csv or json)\n"
