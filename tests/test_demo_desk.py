"""The demo desk reads right at a glance: urgent complaints first, the rest in their groups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import cli

CALM_QUESTIONS = {"cafe_moreno", "lucy_liu_art", "hollymakes", "amara_n", "fiona_rides"}


@pytest.fixture
def demo_desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    result = cli("demo")
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "xdg-data" / "tweetdesk" / "demo"
    monkeypatch.setenv("TWEETDESK_DB", str(folder / "tweetdesk.db"))
    monkeypatch.setenv("TWEETDESK_CONFIG", str(folder / "config.toml"))
    threads: list[dict[str, object]] = json.loads(cli("inbox", "--json").stdout)
    return threads


def test_urgent_complaints_come_first(demo_desk: list[dict[str, object]]) -> None:
    top = demo_desk[:5]
    assert all(t["overdue"] for t in top)
    assert {t["author"] for t in top} >= {"BIGMIKE_77", "jess_brewster", "ellie_eats"}
    assert not {t["author"] for t in top} & CALM_QUESTIONS


def test_groups_and_states(demo_desk: list[dict[str, object]]) -> None:
    search = [t for t in demo_desk if t["source"] == "search"]
    assert search and all(not t["replyable"] for t in search)
    assert all(t["status"] == "open" for t in demo_desk)
    every = json.loads(cli("inbox", "--all", "--json").stdout)
    statuses = {t["status"] for t in every}
    assert {"replied", "stale"} <= statuses


@pytest.mark.parametrize("command", [["inbox"], ["overdue", "--exit-code"], ["inbox", "--json"]])
def test_listings_import_nothing_heavy(
    demo_desk: list[dict[str, object]], command: list[str]
) -> None:
    """Cost of a listing is start-up plus imports: no tweepy, VADER, twitter-text, sqlite-utils
    (nor rich, when the output goes to a pipe). -X importtime reports every module imported."""
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tweetdesk", *command],
        env={**os.environ, "TWEETDESK_NOW": "2026-11-23T09:00:00Z"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 3), result.stderr[-500:]
    assert result.stdout  # it listed the demo desk
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    heavy = {
        *("tweepy", "vaderSentiment", "twitter_text", "sqlite_utils", "rich", "requests"),
        "textual",  # only `tweetdesk triage` imports it
    }
    assert not imported & heavy


def test_the_demo_desk_has_its_dm_threads(demo_desk: list[dict[str, object]]) -> None:
    dms = {t["author"]: t for t in demo_desk if t["source"] == "dm"}
    assert set(dms) == {"priya_s", "hollymakes"}  # nadia_r was answered from the phone
    assert dms["priya_s"]["overdue"] and not dms["hollymakes"]["overdue"]
    assert all(str(t["url"]).startswith("https://x.com/messages/") for t in dms.values())
    every = json.loads(cli("inbox", "--all", "--json", "--source", "dm").stdout)
    assert {t["author"]: t["status"] for t in every}["nadia_r"] == "replied"
    table = cli("inbox").stdout
    assert table.index("Waiting (") < table.index("Direct messages (1)") < table.index("Brand")
    shown = cli("show", "@priya_s").stdout
    assert "(DM)" in shown and "SUB-20931" in shown
