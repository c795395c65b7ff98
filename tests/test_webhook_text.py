"""The webhook's `text` cannot ping a chat channel or show a spoofed link: @here/@everyone/
@channel/@all get a WORD JOINER, markdown is escaped; `threads` keep the exact text."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from typer.testing import CliRunner

from tweetdesk.cli.app import app

from conftest import NOW
from deskdata import DeskData

HOSTILE = "@acme @here @Everyone @channel @all [your refund](http://evil.example) *now* _x_ `c` ~s~"
WJ = "\u2060"


def test_the_webhook_text_is_inert_for_chat_apps(isolated: Path, config_file: Path) -> None:
    d = DeskData(isolated / "desk.db", NOW)
    d.user(20, "everyone")  # an X username can be a chat keyword too
    d.tweet(120, 20, NOW - timedelta(minutes=30), HOSTILE)
    d.synced(NOW - timedelta(minutes=5))
    config_file.write_text(
        '[alerts]\nchannels = ["stdout", "webhook"]\n'
        '[alerts.webhook]\nurl = "https://hooks.example.com/services/T0/B0/x"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["alert", "--dry-run", "--json"], env={"TWEETDESK_NOW": NOW.isoformat()}
    )
    assert result.exit_code == 0, result.stderr
    channels = json.loads(result.stdout)["channels"]
    hooked, plain = channels["webhook"], channels["stdout"]
    assert f"#{d.number(120)}  @{WJ}everyone  waiting 30m  (mention)" in hooked["text"]
    assert (
        f"    @acme @{WJ}here @{WJ}Everyone @{WJ}channel @{WJ}all "
        "\\[your refund\\](http://evil.example) \\*now\\* \\_x\\_ \\`c\\` \\~s\\~\n"
    ) in hooked["text"]
    assert "https://x.com/everyone/status/120" in hooked["text"]  # our link stays usable
    assert hooked["threads"][0]["text"] == HOSTILE  # data, exact
    assert f"    {HOSTILE}\n" in plain["text"]  # the other channels get the plain text
    assert f"@{WJ}" not in plain["text"]
