"""The CLI through CliRunner: exact --json output, stderr text, exit codes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from conftest import NOW, Sandbox, cli


@pytest.fixture
def desk(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """A small desk: an overdue complaint, a fresh question, an answered thread, brand talk."""
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    s = sandbox.state
    handle = s.account["username"]
    s.add_user("angry_ann", name="Ann Archer", followers_count=120)
    s.add_user("quiet_q", name="Quinn", followers_count=5)
    s.add_tweet(
        "angry_ann",
        f"@{handle} my bag arrived split open, terrible packaging",
        created_at=NOW - timedelta(minutes=40),
    )
    s.add_tweet("quiet_q", f"@{handle} do you sell decaf?", created_at=NOW - timedelta(minutes=5))
    done = s.add_tweet("happy_hal", f"@{handle} great beans!", created_at=NOW - timedelta(hours=3))
    s.add_tweet(
        handle, "@happy_hal thank you!", created_at=NOW - timedelta(hours=2), in_reply_to=done["id"]
    )
    s.add_tweet("fan", "Acme Roasters makes my mornings", created_at=NOW - timedelta(minutes=20))
    return sandbox


def synced(desk: Sandbox, config: str = "") -> None:
    import os
    from pathlib import Path

    Path(os.environ["TWEETDESK_CONFIG"]).write_text(
        '[listen]\nqueries = [\'"Acme Roasters"\']\n[tags]\nshipping = ["bag", "arrived"]\n'
        + config
    )
    result = cli("sync", "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_every_command_has_help_with_an_example() -> None:
    commands = [
        "demo",
        "sync",
        "inbox",
        "overdue",
        "show",
        "reply",
        "undo",
        "dm",
        "close",
        "reopen",
        "snooze",
        "mute",
        "unmute",
        "stale",
        "bulk-reply",
        "auth login",
        "auth status",
        "config check",
        "sandbox serve",
        "alert",
        "stats",
        "usage",
        "evidence",
    ]
    for command in commands:
        result = cli(*command.split(), "--help")
        assert result.exit_code == 0, command
        assert "Example:" in result.stdout, command


def test_inbox_json_exact(desk: Sandbox) -> None:
    synced(desk)
    result = cli("inbox", "--json")
    assert result.exit_code == 0
    threads = json.loads(result.stdout)
    assert [(t["author"], t["overdue"], t["source"], t["replyable"]) for t in threads] == [
        ("angry_ann", True, "mention", True),
        ("fan", True, "search", False),
        ("quiet_q", False, "mention", True),
    ]
    ann = threads[0]
    assert set(ann) >= {
        "number",
        "conversation_id",
        "status",
        "author",
        "tweet_id",
        "text",
        "waiting_since",
        "waiting_minutes",
        "overdue",
        "sentiment",
        "tags",
        "source",
        "replyable",
        "url",
    }
    assert ann["status"] == "open"
    assert ann["waiting_since"] == "2026-11-23T08:20:00Z"
    assert ann["waiting_minutes"] == 40
    assert ann["tags"] == ["shipping"]
    assert ann["sentiment"] < -0.3
    assert isinstance(ann["tweet_id"], str) and len(ann["tweet_id"]) == 19
    assert ann["url"] == f"https://x.com/angry_ann/status/{ann['tweet_id']}"
    assert "business_minutes" not in ann


def test_business_minutes_with_hours(desk: Sandbox) -> None:
    synced(
        desk,
        '[hours]\ntimezone = "Europe/London"\ndays = "mon-fri"\nopen = "08:50"\nclose = "17:00"\n',
    )
    threads = json.loads(cli("inbox", "--json").stdout)
    ann = next(t for t in threads if t["author"] == "angry_ann")
    assert ann["waiting_minutes"] == 40
    assert ann["business_minutes"] == 10  # the desk opened at 08:50
    assert ann["overdue"] is False


def test_overdue_exit_code(desk: Sandbox) -> None:
    synced(desk)
    result = cli("overdue", "--exit-code", "--json")
    assert result.exit_code == 3
    assert [t["author"] for t in json.loads(result.stdout)] == ["angry_ann", "fan"]
    assert cli("overdue").exit_code == 0


def test_ids_only_for_xargs(desk: Sandbox) -> None:
    synced(desk)
    lines = cli("inbox", "-q", "--source", "mention").stdout.split()
    assert len(lines) == 2
    assert all(len(x) == 19 and x.isdigit() for x in lines)
    every = json.loads(cli("inbox", "--json").stdout)
    assert cli("inbox", "-q").stdout.split() == [t["tweet_id"] for t in every if t["replyable"]]
    brand = [t["tweet_id"] for t in every if t["source"] == "search"]
    assert brand and cli("inbox", "-q", "--source", "search").stdout.split() == brand


def test_stale_on_a_desk_that_never_synced_lists_nothing() -> None:
    result = cli("stale", "--dry-run", "--json")
    assert (result.exit_code, result.stdout) == (0, "[]\n")
    assert cli("stale").exit_code == 0


def test_resolve_by_number_tweet_id_and_username(desk: Sandbox) -> None:
    synced(desk)
    ann = json.loads(cli("inbox", "--json").stdout)[0]
    for ref in (str(ann["number"]), ann["tweet_id"], "@angry_ann", "@ANGRY_ANN"):
        shown = json.loads(cli("show", ref, "--json").stdout)
        assert shown["number"] == ann["number"], ref
    result = cli("show", "9999")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no thread number or tweet 9999")


def test_close_reopen_snooze_mute(desk: Sandbox) -> None:
    synced(desk)
    ann = json.loads(cli("inbox", "--json").stdout)[0]
    number = str(ann["number"])
    assert "is now closed" in cli("close", number).stdout
    assert "angry_ann" not in cli("inbox", "--json").stdout
    assert "is now open" in cli("reopen", number).stdout
    assert cli("snooze", number, "--until", "2h").exit_code == 0
    assert "angry_ann" not in cli("inbox", "--json").stdout
    assert "angry_ann" in cli("inbox", "--all", "--json").stdout
    assert cli("reopen", number).exit_code == 0
    assert cli("mute", "@angry_ann").exit_code == 0
    assert "angry_ann" not in cli("overdue", "--json").stdout
    assert cli("unmute", "angry_ann").exit_code == 0
    assert "angry_ann" in cli("overdue", "--json").stdout


def test_reopen_of_open_thread_is_refused(desk: Sandbox) -> None:
    synced(desk)
    ann = json.loads(cli("inbox", "--json").stdout)[0]
    result = cli("reopen", str(ann["number"]))
    assert result.exit_code == 1
    assert "nothing to reopen" in result.stderr


def test_stale_marks_and_reports(desk: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    synced(desk)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-24T10:00:00Z")
    listed = json.loads(cli("stale", "--dry-run", "--json").stdout)
    assert sorted(t["author"] for t in listed) == ["angry_ann", "fan", "quiet_q"]
    assert json.loads(cli("inbox", "--json").stdout) == []
    cli("stale")
    assert json.loads(cli("stale", "--dry-run", "--json").stdout) == []
    statuses = {
        t["author"]: t["status"] for t in json.loads(cli("inbox", "--all", "--json").stdout)
    }
    assert statuses["angry_ann"] == "stale"
    assert statuses["happy_hal"] == "replied"


def test_bad_config_is_one_line_exit_2(desk: Sandbox) -> None:
    import os
    from pathlib import Path

    Path(os.environ["TWEETDESK_CONFIG"]).write_text("[triage]\nsla = 'soon'\n")
    result = cli("inbox")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: bad value for [triage] sla")


def test_markup_and_escape_codes_print_literally(desk: Sandbox) -> None:
    evil = (
        "@acme [bold red]FREE[/bold red] [/b] [link=http://x]y[/link] "
        "\x1b[2J\x1b]8;;http://evil\x07z\x9b31m \u202etxt"
    )
    s = desk.state
    s.add_tweet(
        "mallory",
        evil.replace("@acme", f"@{s.account['username']}"),
        created_at=NOW - timedelta(minutes=1),
    )
    synced(desk)
    for args in (
        ("inbox",),
        ("inbox", "--json"),
        ("show", "@mallory"),
        ("show", "@mallory", "--json"),
    ):
        out = cli(*args).stdout
        assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out, args
        assert "\x07" not in out
    table = cli("show", "@mallory").stdout
    assert "[bold red]FREE[/bold red]" in table
    assert "[/b]" in table and "[link=http://x]y[/link]" in table
    data = json.loads(cli("inbox", "--json", "--author", "mallory").stdout)
    assert data[0]["text"].endswith("\u202etxt")  # JSON keeps the exact text, escaped


def test_config_check_masks_secrets(desk: Sandbox) -> None:
    result = cli("config", "check")
    assert result.exit_code == 0
    assert "sandbox-consumer-secret" not in result.stdout
    assert "sandbox-access-token-secret" not in result.stdout
    assert 'triage.sla = "15m"    (default)' in result.stdout


def test_version() -> None:
    from tweetdesk import __version__

    assert cli("--version").stdout.strip() == f"tweetdesk {__version__}"


def test_sync_says_what_it_fetched_and_what_it_cost(desk: Sandbox) -> None:
    import os
    from pathlib import Path

    Path(os.environ["TWEETDESK_CONFIG"]).write_text("[listen]\nqueries = ['\"Acme Roasters\"']\n")
    first = cli("sync")
    assert first.exit_code == 0
    assert first.stderr == (
        'Synced 5 new tweets (mentions 3, own 1, search:"Acme Roasters" 1): '
        "5 requests, about $0.019.\n"
    )
    again = cli("sync")
    assert again.stderr == "Synced 0 new tweets (nothing new): 4 requests, about $0.000.\n"


def test_show_prints_marks_and_the_live_status(
    desk: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced(desk)
    number = str(json.loads(cli("inbox", "--json").stdout)[0]["number"])
    assert cli("snooze", number, "--until", "2h").exit_code == 0
    assert cli("close", number).exit_code == 0
    result = cli("show", number)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith(f"#{number} closed")
    # times in the desk's timezone (no [hours]: the machine's), with their age
    from datetime import datetime

    from tweetdesk.values.times import local_text

    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    at = local_text(NOW, zone).rsplit(" (", 1)[0]
    until = local_text(NOW + timedelta(hours=2), zone).rsplit(" (", 1)[0]
    assert f"{at} (just now)  -- snoozed until {until}" in result.stdout
    assert f"{at} (just now)  -- closed by hand" in result.stdout
    shown = json.loads(cli("show", number, "--json").stdout)
    snooze = next(i for i in shown["items"] if i.get("mark") == "snooze")
    assert snooze["until"] == "2026-11-23T11:00:00Z"
    # a day later an unanswered thread shows as stale, as the inbox counts it
    quiet = str(json.loads(cli("inbox", "--json", "--author", "quiet_q").stdout)[0]["number"])
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-24T10:00:00Z")
    assert json.loads(cli("show", quiet, "--json").stdout)["status"] == "stale"


def test_reopen_puts_a_stale_or_answered_thread_back_in_the_inbox(
    desk: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced(desk)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-24T10:00:00Z")
    assert cli("stale").exit_code == 0
    ann = json.loads(cli("inbox", "--all", "--json", "--author", "angry_ann").stdout)[0]
    assert ann["status"] == "stale"
    assert cli("reopen", str(ann["number"])).stdout == f"Thread {ann['number']} is now open.\n"
    again = json.loads(cli("inbox", "--json", "--author", "angry_ann").stdout)
    assert [(t["status"], t["waiting_since"], t["overdue"]) for t in again] == [
        ("open", "2026-11-24T10:00:00Z", False)
    ]
    hal = json.loads(cli("inbox", "--all", "--json", "--author", "happy_hal").stdout)[0]
    assert hal["status"] == "replied"
    assert cli("reopen", str(hal["number"])).exit_code == 0
    assert [t["author"] for t in json.loads(cli("inbox", "--json").stdout)] == [
        "angry_ann",
        "happy_hal",
    ]


def test_tag_filter_ignores_case(desk: Sandbox) -> None:
    synced(desk, '[tags]\nPackaging = ["split"]\n'.replace("[tags]\n", ""))
    for tag in ("packaging", "Packaging", "#PACKAGING", "shipping"):
        assert [t["author"] for t in json.loads(cli("inbox", "--json", "--tag", tag).stdout)] == [
            "angry_ann"
        ], tag
    assert json.loads(cli("inbox", "--json", "--tag", "decaf").stdout) == []


def test_overdue_json_is_exact(desk: Sandbox) -> None:
    synced(desk)
    handle = desk.state.account["username"]
    ids = {t["text"]: t["id"] for t in desk.state.data.tweets.values()}
    ann_id = ids[f"@{handle} my bag arrived split open, terrible packaging"]
    fan_id = ids["Acme Roasters makes my mornings"]
    numbers = {t["author"]: t["number"] for t in json.loads(cli("inbox", "--json").stdout)}
    assert json.loads(cli("overdue", "--json").stdout) == [
        {
            "number": numbers["angry_ann"],
            "conversation_id": ann_id,
            "status": "open",
            "author": "angry_ann",
            "tweet_id": ann_id,
            "text": f"@{handle} my bag arrived split open, terrible packaging",
            "waiting_since": "2026-11-23T08:20:00Z",
            "waiting_minutes": 40,
            "overdue": True,
            "sentiment": -0.4767,
            "tags": ["shipping"],
            "source": "mention",
            "replyable": True,
            "url": f"https://x.com/angry_ann/status/{ann_id}",
            "name": "Ann Archer",
            "priority": 3.148,
        },
        {
            "number": numbers["fan"],
            "conversation_id": fan_id,
            "status": "open",
            "author": "fan",
            "tweet_id": fan_id,
            "text": "Acme Roasters makes my mornings",
            "waiting_since": "2026-11-23T08:40:00Z",
            "waiting_minutes": 20,
            "overdue": True,
            "sentiment": 0.0,
            "tags": [],
            "source": "search",
            "replyable": False,
            "url": f"https://x.com/fan/status/{fan_id}",
            "name": "fan",
            "priority": 0.347,
        },
    ]


@pytest.mark.parametrize(
    "ref", ["99999999999999999999999999", "9223372036854775808", "²", "٣", "1.5"]
)
def test_what_is_no_id_is_one_line_exit_2(desk: Sandbox, ref: str) -> None:
    synced(desk)
    for command in ("show", "close"):
        result = cli(command, ref)
        assert result.exit_code == 2, (command, ref)
        assert result.stderr == (
            f"Error: {ref!r} is not a tweet id, a thread number or an @username\n"
        )


def test_a_tweet_synced_after_a_mark_still_waits(
    desk: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The customer wrote at 09:57; the desk closed the thread at 10:00 before syncing it."""
    synced(desk)
    handle = desk.state.account["username"]
    ann = json.loads(cli("inbox", "--json", "--author", "angry_ann").stdout)[0]
    desk.state.add_tweet(
        "angry_ann",
        f"@{handle} hello? anyone there?",
        created_at=NOW + timedelta(minutes=57),
        in_reply_to=ann["tweet_id"],
    )
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T10:00:00Z")
    assert cli("close", str(ann["number"])).exit_code == 0
    assert cli("sync", "--quiet").exit_code == 0
    again = json.loads(cli("inbox", "--json", "--author", "angry_ann").stdout)
    assert [(t["number"], t["status"], t["waiting_since"]) for t in again] == [
        (ann["number"], "open", "2026-11-23T09:57:00Z")
    ]


@pytest.mark.parametrize("until", ["9" * 40 + "h", "99999999d", "9" * 400])
def test_absurd_snooze_times_are_one_line_usage_errors(desk: Sandbox, until: str) -> None:
    synced(desk)
    result = cli("snooze", "@angry_ann", "--until", until)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: bad value for --until")
    assert result.stderr.count("\n") == 1
