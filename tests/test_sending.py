"""reply, undo, dm and bulk-reply through the CLI, over HTTP against the sandbox."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tweetdesk.sandbox.model import Fault

from conftest import NOW, Sandbox, cli


def posts(sandbox: Sandbox) -> list[Any]:
    return [e for e in sandbox.state.exchanges if e.method in ("POST", "DELETE")]


def tweet_posts(sandbox: Sandbox) -> int:
    """POST /2/tweets requests the sandbox received, whatever it answered."""
    return int(sandbox.state.usage()["by_endpoint"].get("POST /2/tweets", 0))


def dm_posts(sandbox: Sandbox) -> int:
    by_endpoint = sandbox.state.usage()["by_endpoint"]
    return sum(n for k, n in by_endpoint.items() if k.startswith("POST /2/dm_conversations"))


def ours(sandbox: Sandbox) -> list[dict[str, Any]]:
    """The account's tweets, with X's leading reply @handles taken off the text."""
    import re

    tweets = [dict(t) for t in sandbox.state.account_tweets()]
    for t in tweets:
        t["text"] = re.sub(r"^(?:@\w+\s+)+", "", t["text"])
    return tweets


CONFIG = """
[templates]
thanks = "Thanks {{first_name|friend}}, enjoy the beans!"
order = "Hi {{first_name|there}}, order {{order}} is on its way."
dm_invite = "Hi {{first_name|there}}, we've sent you a DM."
"""


@pytest.fixture
def desk(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    Path(os.environ["TWEETDESK_CONFIG"]).write_text(
        "[listen]\nqueries = ['\"Acme Roasters\"']\n" + CONFIG
    )
    s = sandbox.state
    handle = s.account["username"]
    s.add_user("ann", name="Ann Archer")
    s.add_user("closed_carl", name="Carl", receives_your_dm=False)
    s.add_tweet("ann", f"@{handle} my bag arrived split", created_at=NOW - timedelta(minutes=30))
    s.add_tweet(
        "closed_carl", f"@{handle} wrong grind again", created_at=NOW - timedelta(minutes=20)
    )
    s.add_tweet("old_olga", f"@{handle} hello?", created_at=NOW - timedelta(hours=30))
    s.add_tweet("fan", "Acme Roasters is lovely", created_at=NOW - timedelta(minutes=10))
    for n in range(8):
        s.add_tweet(
            f"buyer{n}", f"@{handle} where is order {n}?", created_at=NOW - timedelta(minutes=9 - n)
        )
    assert cli("sync", "--quiet").exit_code == 0
    return sandbox


def thread(author: str) -> dict[str, Any]:
    views = json.loads(cli("inbox", "--all", "--json").stdout)
    return next(v for v in views if v["author"] == author)


def test_reply_answers_the_thread_and_offers_undo(desk: Sandbox) -> None:
    result = cli("reply", "@ann", "So sorry Ann, a new bag goes out today.")
    assert result.exit_code == 0, result.stderr
    reply = ours(desk)[-1]
    assert f"https://x.com/{desk.state.account['username']}/status/{reply['id']}" in result.stdout
    assert f"tweetdesk undo {reply['id']}" in result.stdout
    assert thread("ann")["status"] == "replied"
    assert reply["referenced_tweets"][0]["id"] == thread("ann")["tweet_id"]


def test_reply_template_with_customer_and_operator_values(desk: Sandbox) -> None:
    assert cli("reply", "@ann", "--template", "order", "--var", "order=A1043").exit_code == 0
    assert ours(desk)[-1]["text"] == "Hi Ann, order A1043 is on its way."


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("reply", "@ann", "x" * 281), 2, "281 characters"),
        (("reply", "@ann", "🙂" * 141), 2, "282 characters"),  # X counts an emoji as 2
        (("reply", "@ann", "é" * 200 + "🙂" * 41), 2, "282 characters"),
        (("reply", "@ann", "--template", "order"), 2, "{{order}}"),
        (("reply", "@ann", "--template", "nope"), 2, "no template 'nope'"),
        (("reply", "@ann"), 2, "give the text"),
        (("reply", "@fan", "Thanks!"), 1, "found by search"),
        (("reply", "@old_olga", "Sorry for the wait"), 1, "stale"),
        (("reply", "@ann", "THIS IS NOT OUR FAULT!!! STOP COMPLAINING"), 1, "take a breath"),
        (("dm", "@closed_carl", "Can you DM your order number?"), 1, "do not accept DMs"),
        (("dm", "@ann", ""), 2, "empty"),
        (("bulk-reply", "--filter", "tag=x"), 2, "--template"),
    ],
)
def test_guards_refuse_before_any_request(
    desk: Sandbox, args: tuple[str, ...], code: int, words: str
) -> None:
    before = len(posts(desk))
    result = cli(*args)
    assert result.exit_code == code, result.stderr
    assert words in result.stderr
    assert result.stderr.startswith("Error: ")
    assert len(posts(desk)) == before


def test_stale_reply_with_force_goes_out(desk: Sandbox) -> None:
    assert cli("reply", "@old_olga", "Sorry for the wait, Olga", "--force").exit_code == 0


def test_heated_reply_goes_out_with_yes(desk: Sandbox) -> None:
    assert cli("reply", "@ann", "THIS IS NOT OUR FAULT!!!", "--yes").exit_code == 0


def test_url_warns_about_the_price(desk: Sandbox) -> None:
    result = cli("reply", "@ann", "Tracking: https://example.com/t/1")
    assert result.exit_code == 0
    assert "X charges $0.200 instead of $0.010 (20x) for this reply" in result.stderr


def test_undo_deletes_and_reopens(desk: Sandbox) -> None:
    cli("reply", "@ann", "On it!")
    reply_id = ours(desk)[-1]["id"]
    result = cli("undo", reply_id)
    assert result.exit_code == 0, result.stderr
    assert "open again" in result.stdout
    assert desk.state.tweet(reply_id) is None
    assert thread("ann")["status"] == "open"
    assert cli("undo", reply_id).exit_code == 1  # nothing left to undo


def test_reply_already_sent_is_not_sent_twice(desk: Sandbox) -> None:
    cli("reply", "@ann", "On it!")
    cli("reply", "@ann", "On it!")
    assert len([e for e in posts(desk) if e.path == "/2/tweets"]) == 1


def test_ambiguous_5xx_is_reconciled_not_resent(desk: Sandbox) -> None:
    """X created the reply but answered 503: tweetdesk finds it instead of posting again."""
    desk.state.add_fault(Fault(match="POST /2/tweets", status=503, commit=True))
    result = cli("reply", "@ann", "We're on it, Ann.")
    assert result.exit_code == 0, result.stderr
    assert [t["text"] for t in ours(desk)].count("We're on it, Ann.") == 1
    assert thread("ann")["status"] == "replied"
    # Found in the timeline before any retry: a blind retry would be a second POST (that X's
    # duplicate check happens to refuse).
    assert tweet_posts(desk) == 1


def test_duplicate_content_answer_is_reconciled_to_our_reply(desk: Sandbox) -> None:
    """X already has this reply (posted, but the desk never recorded it): the 403 duplicate
    answer is matched against the timeline and the reply counts as sent, once."""
    ann = thread("ann")
    desk.state.add_tweet(
        desk.state.account["username"], "We're on it, Ann.", in_reply_to=ann["tweet_id"]
    )
    result = cli("reply", "@ann", "We're on it, Ann.")
    assert result.exit_code == 0, result.stderr
    assert [t["text"] for t in ours(desk)].count("We're on it, Ann.") == 1
    assert tweet_posts(desk) == 1
    assert thread("ann")["status"] == "replied"


def test_literal_text_placeholders_are_filled(desk: Sandbox) -> None:
    result = cli(
        "reply",
        "@ann",
        "Hi {{first_name}}, sorry: order {{order}} ships today.",
        "--var",
        "order=A1043",
    )
    assert result.exit_code == 0, result.stderr
    assert ours(desk)[-1]["text"] == "Hi Ann, sorry: order A1043 ships today."
    assert cli("dm", "@ann", "Hi {{name}}, {{what|thanks}}!", "--no-note").exit_code == 0
    assert desk.state.dms[-1]["text"] == "Hi Ann Archer, thanks!"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("reply", "@ann", "Hi {{first_name}}, order {{order}} ships"), "needs a value for"),
        (("dm", "@ann", "Your order {{order}}?"), "text needs a value for {{order}}"),
        (("reply", "@ann", "Hi {{first_name"), "unclosed placeholder"),
    ],
)
def test_unfilled_placeholder_in_a_text_refuses(
    desk: Sandbox, args: tuple[str, ...], words: str
) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert words in result.stderr
    assert posts(desk) == []


def test_dm_moves_the_thread_and_posts_a_note(desk: Sandbox) -> None:
    result = cli("dm", "@ann", "Hi Ann, could you send your order number?")
    assert result.exit_code == 0, result.stderr
    assert desk.state.dms[-1]["text"] == "Hi Ann, could you send your order number?"
    assert ours(desk)[-1]["text"] == "Hi Ann, we've sent you a DM."
    assert thread("ann")["status"] == "dm"


def test_dm_in_doubt_is_reconciled_to_one_dm(desk: Sandbox) -> None:
    """X sent the DM but answered 503: the DM events show it, so it is not sent again."""
    desk.state.add_fault(Fault(match="POST /2/dm_conversations", status=503, commit=True))
    result = cli("dm", "@ann", "Hi Ann, could you send your order number?")
    assert result.exit_code == 0, result.stderr
    assert [d["text"] for d in desk.state.dms] == ["Hi Ann, could you send your order number?"]
    assert dm_posts(desk) == 1
    assert thread("ann")["status"] == "dm"


@pytest.mark.parametrize(
    ("fault", "why"),
    [
        (Fault(match="POST /2/tweets", status=503, times=10), "X is failing (503"),
        (Fault(match="POST /2/tweets", status=429, reset_in=60), "rate-limited by X (429)"),
        (None, "vary [templates] dm_invite (e.g. with {{first_name}}) or use --no-note"),
    ],
)
def test_dm_sent_but_note_failing_is_a_warning_not_a_failure(
    desk: Sandbox, monkeypatch: pytest.MonkeyPatch, fault: Fault | None, why: str
) -> None:
    from tweetdesk.desk import sending as send_commands

    monkeypatch.setattr(send_commands, "pause", lambda seconds: None)
    if fault is None:  # the account already posted the note's text, not in reply: a duplicate
        desk.state.add_tweet(desk.state.account["username"], "@ann Hi Ann, we've sent you a DM.")
    else:
        desk.state.add_fault(fault)
    before = len(ours(desk))
    result = cli("dm", "@ann", "Hi Ann, could you send your order number?")
    assert result.exit_code == 0, result.stderr
    assert f"DM sent to @ann; thread {thread('ann')['number']} is now dm." in result.stdout
    assert "Public note" not in result.stdout
    assert "Warning: the DM went out, but the public note was not posted" in result.stderr
    assert why in result.stderr
    assert len(desk.state.dms) == 1
    assert len(ours(desk)) == before
    assert thread("ann")["status"] == "dm"


def test_dm_rerun_after_a_failed_note_posts_only_the_note(desk: Sandbox) -> None:
    desk.state.add_fault(Fault(match="POST /2/tweets", status=429, reset_in=60))
    assert cli("dm", "@ann", "Hello Ann").exit_code == 0
    again = cli("dm", "@ann", "Hello Ann")
    assert again.exit_code == 0, again.stderr
    assert "Public note: " in again.stdout
    assert [d["text"] for d in desk.state.dms] == ["Hello Ann"]
    assert ours(desk)[-1]["text"] == "Hi Ann, we've sent you a DM."


def test_dm_to_a_stale_thread_skips_the_public_note(desk: Sandbox) -> None:
    before = len(ours(desk))
    result = cli("dm", "@old_olga", "Sorry for the wait, Olga: how can we help?")
    assert result.exit_code == 0, result.stderr
    assert "No public note: thread" in result.stderr
    assert "stale" in result.stderr
    assert desk.state.dms[-1]["text"] == "Sorry for the wait, Olga: how can we help?"
    assert len(ours(desk)) == before
    assert thread("old_olga")["status"] == "dm"


def test_dm_to_a_stale_thread_with_force_posts_the_note(desk: Sandbox) -> None:
    result = cli("dm", "@old_olga", "Sorry for the wait, Olga", "--force")
    assert result.exit_code == 0, result.stderr
    assert ours(desk)[-1]["text"] == "Hi old_olga, we've sent you a DM."


def test_dm_fallback_on_a_stale_thread_needs_force(desk: Sandbox) -> None:
    result = cli("dm", "@old_olga", "Sorry for the wait", "--fallback")
    assert result.exit_code == 1
    assert "--fallback would answer the old mention in public" in result.stderr
    assert posts(desk) == []


def test_dm_budget_counts_the_public_note(desk: Sandbox, config_file: Path) -> None:
    spent = json.loads(cli("usage", "--json").stdout)["estimated_cost_usd"]
    # Room for the DM ($0.015) but not for the DM and its note ($0.015 + $0.010).
    config_file.write_text(config_file.read_text() + f"[budget]\nmonthly_usd = {spent + 0.02}\n")
    refused = cli("dm", "@ann", "Hello Ann")
    assert refused.exit_code == 1
    assert "stopped before this DM and its public note" in refused.stderr
    assert posts(desk) == []
    assert cli("dm", "@ann", "Hello Ann", "--no-note").exit_code == 0
    assert len(desk.state.dms) == 1


def test_dm_refused_by_settings_keeps_the_thread_open(desk: Sandbox) -> None:
    result = cli("dm", "@closed_carl", "Can you DM your order number?")
    assert result.exit_code == 1
    assert "do not accept DMs" in result.stderr
    assert "stays open" in result.stderr
    assert posts(desk) == []
    assert desk.state.dms == []
    assert thread("closed_carl")["status"] == "open"


def test_dm_without_note(desk: Sandbox) -> None:
    before = len(ours(desk))
    assert cli("dm", "@ann", "Hello", "--no-note").exit_code == 0
    assert len(ours(desk)) == before


def test_dm_refused_by_x_keeps_the_thread_open_and_posts_nothing_false(desk: Sandbox) -> None:
    desk.state.add_fault(Fault(match="POST /2/dm_conversations", status=403))
    before = len(ours(desk))
    result = cli("dm", "@ann", "Hello", "--fallback")
    assert result.exit_code == 1
    # a 403 of no known kind: X's words, and no public "please DM us" either
    assert result.stderr == 'Error: X refused the request (403): "Forbidden"\n'
    assert len(ours(desk)) == before  # no public note claiming a DM
    assert thread("ann")["status"] == "open"


def test_dm_fallback_asks_in_public(desk: Sandbox) -> None:
    result = cli("dm", "@closed_carl", "Hello", "--fallback")
    assert result.exit_code == 0, result.stderr
    assert desk.state.dms == []
    assert "send us a DM" in ours(desk)[-1]["text"]
    assert thread("closed_carl")["status"] == "replied"


def write_csv(tmp_path: Path, rows: list[tuple[str, str]], header: str = "tweet_id,text") -> Path:
    import csv

    path = tmp_path / "replies.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header.split(","))
        writer.writerows(rows)
    return path


def buyers() -> list[dict[str, Any]]:
    views = json.loads(cli("inbox", "--json", "--source", "mention").stdout)
    return sorted((v for v in views if v["author"].startswith("buyer")), key=lambda v: v["author"])


def test_bulk_validates_every_row_before_sending(desk: Sandbox, tmp_path: Path) -> None:
    b = buyers()
    path = write_csv(
        tmp_path,
        [
            (b[0]["tweet_id"], "Hi, it ships today"),
            (b[1]["tweet_id"], "Hi, it ships today"),
            ("1234567890123456789", "Who?"),
            (b[2]["tweet_id"], "y" * 300),
        ],
    )
    result = cli("bulk-reply", str(path), "--yes")
    assert result.exit_code == 2
    assert "line 3: same text as line 2" in result.stderr
    assert "line 4: no tweet 1234567890123456789" in result.stderr
    assert "line 5: the reply is 300 characters" in result.stderr
    assert posts(desk) == []


def test_bulk_dry_run_sends_nothing(desk: Sandbox, tmp_path: Path) -> None:
    b = buyers()
    path = write_csv(tmp_path, [(v["tweet_id"], "thanks") for v in b[:1]])
    result = cli("bulk-reply", str(path), "--dry-run", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["text"] == "thanks"
    assert posts(desk) == []


def test_bulk_more_than_five_needs_yes_off_a_terminal(desk: Sandbox, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path, [(v["tweet_id"], f"Order {i} ships today") for i, v in enumerate(buyers())]
    )
    result = cli("bulk-reply", str(path))
    assert result.exit_code == 1
    assert "--yes" in result.stderr
    assert posts(desk) == []


def test_bulk_json_lines_from_stdin_with_templates(desk: Sandbox) -> None:
    lines = [
        json.dumps({"tweet_id": v["tweet_id"], "template": "order", "vars": {"order": str(i)}})
        for i, v in enumerate(buyers()[:3])
    ]
    result = cli("bulk-reply", "-", "--json", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    assert [r["state"] for r in json.loads(result.stdout)] == ["sent", "sent", "sent"]
    assert sorted(t["text"] for t in ours(desk))[-3:] == [
        "Hi buyer0, order 0 is on its way.",
        "Hi buyer1, order 1 is on its way.",
        "Hi buyer2, order 2 is on its way.",
    ]


def test_bulk_filter_with_template(desk: Sandbox) -> None:
    result = cli("bulk-reply", "--filter", "author=buyer3", "--template", "thanks", "--json")
    assert result.exit_code == 0, result.stderr
    assert [r["author"] for r in json.loads(result.stdout)] == ["buyer3"]
    assert ours(desk)[-1]["text"] == "Thanks buyer3, enjoy the beans!"


def test_bulk_rerun_after_503_and_429_sends_each_row_once(desk: Sandbox, tmp_path: Path) -> None:
    rows = [(v["tweet_id"], f"Order {i} ships today") for i, v in enumerate(buyers())]
    path = write_csv(tmp_path, rows)
    desk.state.add_fault(Fault(match="POST /2/tweets", status=503, after=1, times=1, commit=True))
    desk.state.add_fault(Fault(match="POST /2/tweets", status=429, after=4, times=1, reset_in=60))
    first = cli("bulk-reply", str(path), "--yes")
    assert first.exit_code == 4, first.stderr
    assert "retry after" in first.stderr
    second = cli("bulk-reply", str(path), "--yes", "--json")
    assert second.exit_code == 0, second.stderr
    states = [r["state"] for r in json.loads(second.stdout)]
    assert states.count("already") >= 3
    texts = [t["text"] for t in ours(desk)]
    for _, text in rows:
        assert texts.count(text) == 1, text
    assert tweet_posts(desk) == len(rows) + 1  # each row once, plus the one the 429 refused


@pytest.mark.parametrize(("status", "says"), [(401, "auth login"), (402, "credits")])
def test_bulk_stops_at_the_first_401_or_402(
    desk: Sandbox, tmp_path: Path, status: int, says: str
) -> None:
    rows = [(v["tweet_id"], f"Order {i} ships today") for i, v in enumerate(buyers())]
    path = write_csv(tmp_path, rows)
    desk.state.add_fault(Fault(match="POST /2/tweets", status=status, after=1, times=10))
    result = cli("bulk-reply", str(path), "--yes")
    assert result.exit_code == 1
    assert tweet_posts(desk) == 2  # one sent, one refused: the rest were not tried
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and says in errors[0].lower(), result.stderr
    assert "the rest went out" not in result.stderr


def test_a_long_url_counts_23_as_x_counts_it(desk: Sandbox) -> None:
    text = "a" * 250 + " https://example.com/" + "p" * 60  # 311 code points, 274 as X counts
    result = cli("reply", "@ann", text)
    assert result.exit_code == 0, result.stderr
    assert "$0.200 instead of $0.010" in result.stderr  # the URL price warning
    assert tweet_posts(desk) == 1


def test_replying_to_a_muted_author_warns(desk: Sandbox) -> None:
    assert cli("mute", "@ann").exit_code == 0
    result = cli("reply", "@ann", "We're sorry to hear that.")
    assert result.exit_code == 0, result.stderr
    assert "Warning: you muted @ann: ignoring a troll is often best" in result.stderr
    assert tweet_posts(desk) == 1


def test_the_url_warning_quotes_the_price_table(desk: Sandbox) -> None:
    with Path(os.environ["TWEETDESK_CONFIG"]).open("a") as fh:
        fh.write("[prices]\nurl_post_created = 0.3\nreply_created = 0.012\n")
    result = cli("reply", "@ann", "Tracking: https://example.com/t/2")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "Warning: the text has a URL: X charges $0.300 instead of $0.012 (25x) for this reply "
        "with it; consider moving the link to a DM\n"
    )
