"""DM threads through the real tweepy path over HTTP against the sandbox: a customer's
DM becomes a thread that goes overdue, alerts once, is answered with `reply N` and counts in
stats; a DM from the phone answers it; a conversation moved with `dm` continues in DM, as one
timeline; a DM in doubt is sent once; an idle sync reads one DM event."""

from __future__ import annotations

import json
import os
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tweetdesk.sandbox.model import Fault

from conftest import NOW, Sandbox, cli

CONFIG = (
    '[x]\nretries = 1\n[templates]\nsorry = "So sorry {{first_name|there}}, refund on its way."\n'
)


@pytest.fixture
def desk(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    from tweetdesk.desk import sending

    monkeypatch.setattr(sending, "pause", lambda seconds: None)
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    Path(os.environ["TWEETDESK_CONFIG"]).write_text(CONFIG)
    sandbox.state.add_user("priya_s", name="Priya Shah")
    return sandbox


def ok(*args: str) -> Any:
    result = cli(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result


def threads(*extra: str) -> list[dict[str, Any]]:
    return list(json.loads(ok("inbox", "--all", "--json", *extra).stdout))


def dm_thread(author: str) -> dict[str, Any]:
    return next(t for t in threads() if t["author"] == author and t["source"] == "dm")


def dm_reads(desk: Sandbox) -> list[Any]:
    return [e for e in desk.state.exchanges if e.method == "GET" and "dm_" in e.path]


def control(desk: Sandbox, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """The simulator's control API over HTTP (as a phone or a customer would act)."""
    request = urllib.request.Request(
        f"{desk.url}/_sandbox/{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        return dict(json.loads(answer.read()))


def customer_dm(desk: Sandbox, text: str, minutes_ago: float) -> dict[str, Any]:
    return control(desk, "dms", {"from": "priya_s", "text": text, "minutes_ago": minutes_ago})


def test_a_customer_dm_is_a_thread_that_goes_overdue_alerts_once_and_is_answered(
    desk: Sandbox,
) -> None:
    first = customer_dm(desk, "I've been charged twice for November.", 20)["data"]
    second = customer_dm(desk, "The reference is SUB-20931.", 18)["data"]
    ok("sync")
    account = desk.state.account["id"]
    thread = dm_thread("priya_s")
    priya = first["sender_id"]
    conversation = f"{min(int(account), int(priya))}-{max(int(account), int(priya))}"
    assert {k: thread[k] for k in ("conversation_id", "tweet_id", "url", "status")} == {
        "conversation_id": conversation,
        "tweet_id": second["id"],  # the newest customer DM
        "url": f"https://x.com/messages/{conversation}",
        "status": "open",
    }
    assert thread["waiting_since"] == first["created_at"].replace(".000Z", "Z")  # the first one
    assert thread["overdue"] and thread["replyable"] and thread["waiting_minutes"] == 20
    assert [t["number"] for t in json.loads(ok("overdue", "--json").stdout)] == [thread["number"]]
    assert cli("overdue", "--exit-code").exit_code == 3

    alert = ok("alert")
    assert f"#{thread['number']}  @priya_s  waiting 20m  (DM)" in alert.stdout
    assert f"https://x.com/messages/{conversation}" in alert.stdout
    assert ok("alert").stdout == ""  # the same episode never twice

    sent = ok("reply", str(thread["number"]), "--template", "sorry")
    assert sent.stdout == (
        f"DM sent to @priya_s (thread {thread['number']}): https://x.com/messages/{conversation}\n"
    )
    posted = [e for e in desk.state.exchanges if e.method == "POST"]
    assert [e.path for e in posted] == [f"/2/dm_conversations/{conversation}/messages"]
    assert [d["text"] for d in desk.state.dms] == ["So sorry Priya, refund on its way."]
    assert dm_thread("priya_s")["status"] == "replied"  # at once, before any sync
    ok("sync")
    assert dm_thread("priya_s")["status"] == "replied"  # X's copy of our DM changes nothing

    stats = json.loads(ok("stats", "--since", "1d", "--json").stdout)
    assert (stats["received"], stats["answered"]) == (1, 1)
    assert stats["first_response_median_minutes"] == 20.0
    assert stats["sla_met_pct"] == 0.0  # answered after 20 minutes: the target was missed
    assert stats["by_source"]["dm"]["received"] == 1
    usage = json.loads(ok("usage", "--json").stdout)
    assert usage["dms_sent"] == 1 and usage["dm_events_read"] >= 2


def test_a_dm_from_the_phone_answers_the_thread(desk: Sandbox) -> None:
    customer_dm(desk, "Do you have the Guji in 1kg?", 12)
    ok("sync")
    assert dm_thread("priya_s")["status"] == "open"
    control(desk, "dms", {"to": "priya_s", "text": "Yes! Ordering now?", "minutes_ago": 2})
    ok("sync")
    thread = dm_thread("priya_s")
    assert thread["status"] == "replied"
    assert json.loads(ok("inbox", "--json").stdout) == []
    stats = json.loads(ok("stats", "--since", "1d", "--json").stdout)
    assert stats["first_response_median_minutes"] == 10.0 and stats["sla_met_pct"] == 100.0
    # the customer writes again: the clock starts at that message
    customer_dm(desk, "Great, and a grinder?", 1)
    ok("sync")
    assert dm_thread("priya_s")["status"] == "open"
    assert dm_thread("priya_s")["waiting_minutes"] == 1


def test_a_moved_conversation_continues_in_dm_as_one_timeline(
    desk: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = desk.state
    handle = state.account["username"]
    mention = state.add_tweet(
        "marcus_b",
        f"@{handle} my order is short a bag again",
        created_at=NOW - timedelta(minutes=9),
    )
    state.script_dm_answer("marcus_b", "It's order #A1077, the Huila was missing.")
    ok("sync")
    public = next(t for t in threads() if t["author"] == "marcus_b")
    moved = ok("dm", str(public["number"]), "Sorry Marcus! Could you send the order number?")
    assert f"thread {public['number']} is now dm" in moved.stdout
    state.advance(10)  # X's own timeline shows the public note a few seconds after it
    ok("sync")  # brings the customer's DM answer, and X's copy of the note

    views = threads()
    public_now = next(t for t in views if t["number"] == public["number"])
    dm = next(t for t in views if t["author"] == "marcus_b" and t["source"] == "dm")
    assert public_now["status"] == "dm"  # stays dm until the customer writes again in public
    assert dm["status"] == "open" and dm["text"].startswith("It's order #A1077")
    assert dm["waiting_minutes"] == 0 and not dm["overdue"]
    inbox = [t["number"] for t in json.loads(ok("inbox", "--json").stdout)]
    assert dm["number"] in inbox and public["number"] not in inbox

    shown = json.loads(ok("show", str(public["number"]), "--json").stdout)
    kinds = [(i["kind"], i.get("mark"), i.get("author")) for i in shown["items"]]
    # in time order: his mention; then, all at 09:00 (in the milliseconds X gave them), our DM
    # and the move, his answer a moment after our DM, and the public note
    assert kinds == [
        ("tweet", None, "marcus_b"),
        ("dm", None, handle),
        ("mark", "dm", None),
        ("dm", None, "marcus_b"),
        ("tweet", None, handle),
    ]
    assert shown["items"][0]["id"] == mention["id"]
    ours = next(i for i in shown["items"] if i["kind"] == "dm" and i["author"] == handle)
    assert ours["url"] == dm["url"] and ours["text"].startswith("Sorry Marcus!")
    assert shown["linked"] == [dm["number"]]
    from_dm = json.loads(ok("show", str(dm["number"]), "--json").stdout)
    assert from_dm["items"] == shown["items"]  # the same timeline from either thread
    assert (from_dm["source"], from_dm["conversation_id"]) == ("dm", dm["conversation_id"])
    assert from_dm["linked"] == [public["number"]]
    text = ok("show", str(dm["number"])).stdout
    assert "moved to DM" in text and "(DM)" in text and "It's order #A1077" in text

    answered = ok("reply", str(dm["number"]), "Thanks, a new bag ships today.")
    assert answered.stdout.startswith("DM sent to @marcus_b")
    assert [d["text"] for d in state.dms][-1] == "Thanks, a new bag ships today."
    # the public mention again: only now does the public thread open
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:05:00Z")
    state.set_now(NOW + timedelta(minutes=5))
    later = NOW + timedelta(minutes=4)
    state.add_tweet("marcus_b", f"@{handle} got it!", created_at=later, in_reply_to=mention["id"])
    ok("sync")
    assert next(t for t in threads() if t["number"] == public["number"])["status"] == "open"


def test_a_dm_in_doubt_is_reconciled_in_its_conversation_not_the_lagging_dm_events(
    desk: Sandbox,
) -> None:
    customer_dm(desk, "Where is my refund?", 5)
    ok("sync")
    number = str(dm_thread("priya_s")["number"])
    desk.state.set_options({"dm_events_lag_seconds": 60})  # /2/dm_events misses fresh events
    desk.state.add_fault(Fault(match="POST /2/dm_conversations", status=503, commit=True))
    result = ok("reply", number, "The refund went out this morning.")
    assert result.stdout.startswith("DM sent to @priya_s")
    assert [d["text"] for d in desk.state.dms] == ["The refund went out this morning."]
    reads = [e.path for e in dm_reads(desk)][1:]  # after the sync's read
    assert reads and all(p.startswith("/2/dm_conversations/") for p in reads)
    # a rerun of the same command sends nothing more
    again = ok("reply", number, "The refund went out this morning.")
    assert again.stdout.startswith("Already sent this DM to @priya_s")
    assert len(desk.state.dms) == 1
    usage = json.loads(ok("usage", "--json").stdout)
    assert usage["dms_sent"] == 1  # the one X took is billed once, when found


def test_the_dm_move_in_doubt_is_reconciled_in_the_conversation_too(desk: Sandbox) -> None:
    state = desk.state
    state.add_tweet("priya_s", f"@{state.account['username']} help?", created_at=NOW)
    ok("sync")
    number = str(next(t for t in threads() if t["author"] == "priya_s")["number"])
    state.set_options({"dm_events_lag_seconds": 60})
    state.add_fault(Fault(match="POST /2/dm_conversations", status=503, commit=True))
    ok("dm", number, "Could you DM us your order number?", "--no-note")
    assert len(state.dms) == 1
    assert any(e.path.startswith("/2/dm_conversations/") for e in dm_reads(desk))
    assert not any(e.path == "/2/dm_events" for e in dm_reads(desk)[1:])


def test_an_idle_sync_reads_one_dm_event(desk: Sandbox) -> None:
    for n in range(5):
        customer_dm(desk, f"message {n}", 30 - n)
    ok("sync")
    before = desk.state.usage()["dm_events_read"]
    requests = len(dm_reads(desk))
    idle = ok("sync")
    reads = dm_reads(desk)[requests:]
    assert [(e.path, e.query["max_results"]) for e in reads] == [("/2/dm_events", ["1"])]
    assert desk.state.usage()["dm_events_read"] - before == 1
    # mentions, own timeline and DMs: one request each; the one DM event read is $0.010
    assert idle.stderr == "Synced 0 new tweets (nothing new): 3 requests, about $0.010.\n"


def test_new_dms_are_read_in_growing_pages_and_each_only_once(desk: Sandbox) -> None:
    customer_dm(desk, "first", 60)
    ok("sync")
    for n in range(6):
        customer_dm(desk, f"more {n}", 50 - n)
    start = desk.state.usage()["dm_events_read"]
    requests = len(dm_reads(desk))
    ok("sync")
    sizes = [e.query["max_results"] for e in dm_reads(desk)[requests:]]
    assert sizes == [["1"], ["2"], ["4"]]  # 1 + 2 + 4 events: the 6 new ones and the stored one
    assert desk.state.usage()["dm_events_read"] - start == 7
    thread = dm_thread("priya_s")
    assert thread["text"] == "more 5" and thread["waiting_minutes"] == 60


def test_an_interrupted_dm_sync_keeps_what_it_stored_and_fills_the_gap(desk: Sandbox) -> None:
    for n in range(250):
        customer_dm(desk, f"dm {n}", 600 - n)
    Path(os.environ["TWEETDESK_CONFIG"]).write_text("[x]\nretries = 0\n")
    desk.state.add_fault(Fault(match="GET /2/dm_events", status=503, after=1))
    assert cli("sync").exit_code == 1  # the second DM page failed
    stored = json.loads(ok("show", str(dm_thread("priya_s")["number"]), "--json").stdout)
    assert len(stored["items"]) == 100  # the first page was kept
    ok("sync")
    shown = json.loads(ok("show", str(dm_thread("priya_s")["number"]), "--json").stdout)
    assert [i["text"] for i in shown["items"]] == [f"dm {n}" for n in range(250)]
    # every event read once, plus the idle check of the newest: 250 + 1
    assert desk.state.usage()["dm_events_read"] == 251


def test_muted_authors_dms_never_alert_and_dm_threads_go_stale_only_when_set(
    desk: Sandbox, config_file: Path
) -> None:
    customer_dm(desk, "still waiting", 30 * 60)  # 30 hours: a mention would be stale
    ok("sync")
    thread = dm_thread("priya_s")
    assert thread["status"] == "open" and thread["overdue"]
    assert json.loads(ok("stale", "--dry-run", "--json").stdout) == []
    config_file.write_text(CONFIG + '[dms]\nstale_after = "3d"\n')
    assert dm_thread("priya_s")["status"] == "open"
    config_file.write_text(CONFIG + '[dms]\nstale_after = "1d"\n')
    assert dm_thread("priya_s")["status"] == "stale"
    assert [t["number"] for t in json.loads(ok("stale", "--json").stdout)] == [thread["number"]]
    config_file.write_text(CONFIG)
    customer_dm(desk, "hello??", 1)
    ok("sync")
    assert dm_thread("priya_s")["status"] == "open"
    ok("mute", "@priya_s")
    assert dm_thread("priya_s")["status"] == "muted"
    assert "priya_s" not in ok("alert").stdout
    assert json.loads(ok("overdue", "--json").stdout) == []


def test_inbox_groups_and_filters_dm_threads(desk: Sandbox) -> None:
    state = desk.state
    handle = state.account["username"]
    state.add_tweet("ann", f"@{handle} hello", created_at=NOW - timedelta(minutes=3))
    customer_dm(desk, "a private question", 5)
    ok("sync")
    table = ok("inbox").stdout
    assert table.index("Waiting (1)") < table.index("Direct messages (1)")
    assert "DM: a private question" in table
    only = json.loads(ok("inbox", "--json", "--source", "dm").stdout)
    assert [t["author"] for t in only] == ["priya_s"]
    number = only[0]["number"]
    assert cli("inbox", "--source", "email").exit_code == 2
    ok("snooze", str(number), "--until", "1h")
    assert [t["author"] for t in json.loads(ok("inbox", "--json").stdout)] == ["ann"]
    ok("close", "@priya_s")
    assert dm_thread("priya_s")["status"] == "closed"
    refused = cli("dm", str(number), "hello")
    assert refused.exit_code == 2 and "is a DM conversation already" in refused.stderr
    bulk = cli("bulk-reply", "--filter", "source=dm", "--template", "sorry")
    assert bulk.exit_code == 2 and "bulk-reply sends public replies only" in bulk.stderr


def test_evidence_holds_the_users_dms_marked_as_such(desk: Sandbox) -> None:
    state = desk.state
    state.add_tweet("priya_s", f"@{state.account['username']} hi", created_at=NOW)
    customer_dm(desk, "a private insult", 3)
    ok("sync")
    doc = json.loads(ok("evidence", "@priya_s", "--json").stdout)
    assert [(t["kind"], t["text"]) for t in doc["tweets"]] == [
        ("dm", "a private insult"),
        ("tweet", f"@{state.account['username']} hi"),
    ]
    assert doc["tweets"][0]["url"].startswith("https://x.com/messages/")
    csv_out = ok("evidence", "@priya_s")
    assert csv_out.stderr == "2 tweet(s) by @priya_s, 1 of them DMs.\n"


def test_dm_sync_can_be_turned_off_and_a_refused_dm_read_is_a_warning(
    desk: Sandbox, config_file: Path
) -> None:
    customer_dm(desk, "hello", 3)
    config_file.write_text(CONFIG + "[dms]\nsync = false\n")
    ok("sync")
    assert dm_reads(desk) == []
    config_file.write_text(CONFIG)
    desk.state.set_options({"app_access_level": "read-write"})
    result = ok("sync")
    assert (
        "Warning: DMs not synced: X refused: the developer app lacks the permission for this "
        "(403" in result.stderr
    )
    assert "[dms] sync = false" in result.stderr


def test_a_gap_whose_token_x_no_longer_takes_is_read_again_from_the_newest(
    desk: Sandbox,
) -> None:
    from tweetdesk.store.store import Store

    for n in range(150):
        customer_dm(desk, f"dm {n}", 600 - n)
    Path(os.environ["TWEETDESK_CONFIG"]).write_text("[x]\nretries = 0\n")
    desk.state.add_fault(Fault(match="GET /2/dm_events", status=503, after=1))
    assert cli("sync").exit_code == 1
    store = Store(os.environ["TWEETDESK_DB"])
    gaps = store.cursor("dms")["gaps"]  # type: ignore[index]
    assert len(gaps) == 1 and gaps[0][2]  # since, until and X's token for the next page
    store.save_cursor("dms", {"gaps": [[gaps[0][0], gaps[0][1], "not-a-token"]]})
    store.close()
    ok("sync")  # X answers 400 to the token: the gap is walked again from the newest
    shown = json.loads(ok("show", str(dm_thread("priya_s")["number"]), "--json").stdout)
    assert [i["text"] for i in shown["items"]] == [f"dm {n}" for n in range(150)]
    ok("sync")
    assert json.loads(ok("show", "@priya_s", "--json").stdout)["items"] == shown["items"]
