"""bulk-reply reruns and --filter picks, and undo after a reopen, against the sandbox."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from test_sending import buyers, desk, ours, thread, tweet_posts, write_csv

from conftest import NOW, Sandbox, cli

__all__ = ["desk"]  # the fixture, shared with test_sending


def test_a_rerun_counts_only_what_is_missing(desk: Sandbox, tmp_path: Path) -> None:
    rows = [(v["tweet_id"], "Hi {{first_name}}, order {{order}} ships today") for v in buyers()]
    path = write_csv(tmp_path, rows)
    assert cli("bulk-reply", str(path), "--var", "order=A1", "--yes").exit_code == 0
    sent = tweet_posts(desk)
    again = cli("bulk-reply", str(path), "--var", "order=A1", "--dry-run", "--json")
    assert again.exit_code == 0, again.stderr
    assert [r["already_sent"] for r in json.loads(again.stdout)] == [True] * len(rows)
    assert (
        "0 replies would be sent (8 already sent in an earlier run)"
        in cli("bulk-reply", str(path), "--var", "order=A1", "--dry-run").stderr
    )
    # no confirmation is needed for nothing new, and nothing is posted
    assert cli("bulk-reply", str(path), "--var", "order=A1").exit_code == 0
    assert tweet_posts(desk) == sent


def test_another_text_to_an_answered_tweet_needs_force(desk: Sandbox, tmp_path: Path) -> None:
    first = buyers()[0]
    path = write_csv(tmp_path, [(first["tweet_id"], "Order {{order}} ships today")])
    assert cli("bulk-reply", str(path), "--var", "order=A1").exit_code == 0
    sent = tweet_posts(desk)
    other = cli("bulk-reply", str(path), "--var", "order=B2")
    assert other.exit_code == 2
    assert "already has a reply from tweetdesk with another text" in other.stderr
    assert tweet_posts(desk) == sent
    assert cli("bulk-reply", str(path), "--var", "order=B2", "--force").exit_code == 0
    assert tweet_posts(desk) == sent + 1


def test_filter_picks_only_open_threads_that_can_be_answered(desk: Sandbox) -> None:
    # buyer0 is snoozed; the brand-talk thread and the day-old one match author= too broadly
    assert cli("snooze", "@buyer0", "--until", "2h").exit_code == 0
    result = cli(
        "bulk-reply", "--filter", "status=open", "--template", "thanks", "--dry-run", "--json"
    )
    assert result.exit_code == 0, result.stderr
    authors = {r["author"] for r in json.loads(result.stdout)}
    assert "buyer0" not in authors and "fan" not in authors and "old_olga" not in authors
    assert {"ann", "buyer1"} <= authors
    nothing = cli("bulk-reply", "--filter", "tag=none", "--template", "thanks", "--json")
    assert (nothing.exit_code, nothing.stdout) == (0, "[]\n")  # a quiet success, as in cron
    assert "No thread matches --filter tag=none; nothing to send." in nothing.stderr
    bogus = cli("bulk-reply", "--filter", "status=bogus", "--template", "thanks")
    assert bogus.exit_code == 2 and "bad --filter status='bogus': use one of open" in bogus.stderr
    # replied threads are read too when asked for: one answered from the phone app
    b1 = thread("buyer1")
    desk.state.add_tweet(  # a minute ago: X's timeline lags a post by seconds
        desk.state.account["username"],
        "@buyer1 on its way!",
        in_reply_to=b1["tweet_id"],
        created_at=NOW - timedelta(minutes=1),
    )
    assert cli("sync", "--quiet").exit_code == 0
    replied = cli(
        "bulk-reply", "--filter", "status=replied", "--template", "thanks", "--dry-run", "--json"
    )
    assert replied.exit_code == 0, replied.stderr
    assert [r["author"] for r in json.loads(replied.stdout)] == ["buyer1"]


def test_undo_after_a_reopen_waits_from_the_customer_tweet(
    desk: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = thread("ann")
    assert cli("reply", "@ann", "So sorry Ann, a new bag goes out today.").exit_code == 0
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:05:00Z")
    reopened = cli("reopen", "@ann")  # a follow-up: waits again from now
    assert reopened.stdout.endswith("is now open.\n")
    assert thread("ann")["waiting_since"] == "2026-11-23T09:05:00Z"
    assert cli("undo", "@ann").exit_code == 0
    after = thread("ann")
    assert (after["status"], after["waiting_since"]) == ("open", before["waiting_since"])
    assert ours(desk) == []
