"""Sending against a simulator as strict as X: what X really posted is found, each
403 is told by its kind, 24-hour caps are read, and a write X answered oddly is reconciled.

Through the CLI and the real tweepy path over HTTP. X's own timeline lags a new post by 5 s (the
simulator's default); a pause of a sending command moves X's clock on instead of sleeping.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_sending import buyers, desk, ours, thread, tweet_posts, write_csv

from tweetdesk.sandbox.model import Fault

from conftest import Sandbox, cli

__all__ = ["desk"]  # the fixture, shared with test_sending


@pytest.fixture
def pauses(desk: Sandbox, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every pause a sending command takes, recorded; X's clock moves on by each."""
    from tweetdesk.desk import sending

    taken: list[float] = []

    def pause(seconds: float) -> None:
        taken.append(seconds)
        desk.state.advance(seconds)

    monkeypatch.setattr(sending, "pause", pause)
    return taken


def timeline_reads(sandbox: Sandbox) -> int:
    """Reads of the account's own timeline (where a reply in doubt is looked for) since `desk`
    synced it once."""
    own = f"/2/users/{sandbox.state.account['id']}/tweets"
    return sum(1 for e in sandbox.state.exchanges if e.method == "GET" and e.path == own) - 1


def usage() -> dict[str, Any]:
    result = cli("usage", "--json")
    assert result.exit_code == 0, result.stderr
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


# --- 1. reconcile finds what X really posted ------------------------------------------------------


def test_a_bare_domain_x_wrapped_in_t_co_is_still_our_reply(
    desk: Sandbox, pauses: list[float]
) -> None:
    """X links `acmeroasters.example.com` as it links https:// URLs: the reply in doubt after a
    503 is recognised in the timeline by its text, t.co link and all, and not posted again."""
    text = "Track it at acmeroasters.example.com/orders, Ann"
    desk.state.add_fault(Fault(match="POST /2/tweets", status=503, commit=True))
    result = cli("reply", "@ann", text)
    assert result.exit_code == 0, result.stderr
    posted = ours(desk)
    assert len(posted) == 1 and "https://t.co/" in posted[0]["text"]
    assert tweet_posts(desk) == 1
    assert thread("ann")["status"] == "replied"


def test_a_lagging_timeline_is_looked_at_again_before_any_retry(
    desk: Sandbox, pauses: list[float]
) -> None:
    """X took the post, answered 503, and its timeline does not show the post for 5 s: the
    reconcile looks again (bounded) rather than posting a second time."""
    desk.state.add_fault(Fault(match="POST /2/tweets", status=503, commit=True))
    result = cli("reply", "@ann", "We're on it, Ann.")
    assert result.exit_code == 0, result.stderr
    assert tweet_posts(desk) == 1
    assert timeline_reads(desk) == 3  # nothing, nothing (2 s later), found (6 s after the post)
    assert pauses[-2:] == [2.0, 4.0]


def test_a_second_different_reply_is_not_taken_for_the_first(
    desk: Sandbox, pauses: list[float]
) -> None:
    """The timeline holds our first reply to the tweet; a second one, with other words, whose
    POST X never took, is not mistaken for it: it is posted."""
    assert cli("reply", "@ann", "We're on it, Ann.").exit_code == 0
    desk.state.advance(10)  # the first reply shows in X's timeline now
    desk.state.add_fault(Fault(match="POST /2/tweets", status=503))  # X did not take it
    result = cli("reply", ours(desk)[0]["referenced_tweets"][0]["id"], "A new bag is on its way.")
    assert result.exit_code == 0, result.stderr
    assert sorted(t["text"] for t in ours(desk)) == [
        "A new bag is on its way.",
        "We're on it, Ann.",
    ]
    assert tweet_posts(desk) == 3  # the first, the refused one, the retry


def test_a_post_that_answered_another_item_is_not_taken_for_this_one(
    desk: Sandbox, pauses: list[float]
) -> None:
    """The DM's public note to Ann says the same words as a reply written later: the note's
    post is in the timeline, but it stands for the note, so the reply in doubt is not "found"
    in it. X refuses the retry as a duplicate, and the reply is reported as not sent."""
    assert cli("dm", "@ann", "Could you send your order number?").exit_code == 0
    note = ours(desk)[0]["text"]
    desk.state.advance(10)
    desk.state.add_fault(Fault(match="POST /2/tweets", status=503))  # X did not take it
    result = cli("reply", "@ann", note)
    assert result.exit_code == 1
    assert "X refused a duplicate" in result.stderr
    assert [t["text"] for t in ours(desk)] == [note]


def test_a_retry_answered_duplicate_content_is_reconciled_once_more(
    desk: Sandbox, pauses: list[float]
) -> None:
    """X's timeline lags longer than the reconcile's looks: the retry is refused as a duplicate
    (X has the post), and that answer is reconciled again rather than marked failed."""
    desk.state.set_options({"timeline_lag_seconds": 10})
    desk.state.add_fault(Fault(match="POST /2/tweets", status=503, commit=True))
    result = cli("reply", "@ann", "We're on it, Ann.")
    assert result.exit_code == 0, result.stderr
    assert [t["text"] for t in ours(desk)] == ["We're on it, Ann."]
    assert tweet_posts(desk) == 2  # the one in doubt, and the retry X refused as a duplicate
    assert thread("ann")["status"] == "replied"


def test_a_reply_found_by_reconcile_is_billed_and_counted_once(
    desk: Sandbox, pauses: list[float]
) -> None:
    desk.state.set_options({"timeline_lag_seconds": 10})  # found only after a duplicate 403
    desk.state.add_fault(Fault(match="POST /2/tweets", status=503, commit=True))
    assert cli("reply", "@ann", "We're on it, Ann.").exit_code == 0
    doc = usage()
    assert doc["posts_created"] == desk.state.usage()["posts_created"] == 1
    assert doc["by_price"]["reply_created"] == {"units": 1, "usd": 0.01}
    assert doc["requests"] == desk.state.usage()["requests"]


def test_a_bulk_run_over_bare_domains_a_lagging_timeline_and_503s_posts_each_row_once(
    desk: Sandbox, pauses: list[float], tmp_path: Any
) -> None:
    """Replies with bare-domain links (X wraps them in t.co), X's timeline lagging each new post
    by 5 s, and two posts X took but answered 503: every row goes out exactly once, and `usage`
    says what the simulator counted."""
    rows = [
        (view["tweet_id"], f"Order {n} ships today: acmeroasters.example.com/track/{n}")
        for n, view in enumerate(buyers()[:6])
    ]
    path = write_csv(tmp_path, rows)
    desk.state.add_fault(Fault(match="POST /2/tweets", status=503, commit=True, after=1))
    desk.state.add_fault(Fault(match="POST /2/tweets", status=503, commit=True, after=3))
    result = cli("bulk-reply", str(path), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    assert [r["state"] for r in json.loads(result.stdout)] == ["sent"] * len(rows)
    texts = [t["text"] for t in ours(desk)]
    assert len(texts) == len(rows) and all("https://t.co/" in t for t in texts)
    assert tweet_posts(desk) == len(rows)  # the two in doubt were found, not posted again
    assert pauses.count(4.0) == 2  # each was looked for until X's timeline showed it
    counted = desk.state.usage()
    doc = usage()
    figures = ("requests", "posts_read", "posts_created", "dms_sent")
    assert {k: doc[k] for k in figures} == {k: counted[k] for k in figures}
    assert doc["posts_created"] == len(rows)
    assert doc["by_price"]["url_post_created"]["units"] == len(rows)


# --- 2. each 403 by its kind ------------------------------------------------------------------


def test_only_xs_refusal_for_the_dm_settings_asks_in_public(desk: Sandbox) -> None:
    """Ann closed her DMs after the sync (the desk still thinks she takes them): X's refusal for
    her settings is the one answer that lets --fallback ask in public."""
    ann = desk.state.data.users[desk.state.data.names["ann"]]
    ann["receives_your_dm"] = False
    result = cli("dm", "@ann", "Could you send your order number?", "--fallback")
    assert result.exit_code == 0, result.stderr
    assert "DM not possible: X refused the DM: the customer's settings do not accept it" in (
        result.stderr
    )
    assert desk.state.dms == []
    assert "send us a DM" in ours(desk)[-1]["text"]


def test_a_permission_403_says_fix_the_app_and_posts_nothing(desk: Sandbox) -> None:
    """An app without DM access gets X's oauth1-permissions 403: no "please DM us" in public,
    and the error says where to fix it."""
    desk.state.set_options({"app_access_level": "read-write"})
    result = cli("dm", "@ann", "Could you send your order number?", "--fallback")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        'Error: X refused: the developer app lacks the permission for this (403: "Your client '
        'app is not configured with the appropriate oauth1 app permissions for this endpoint."); '
        "in the X Developer Console set the app's permissions to"
    )
    assert "auth login" in result.stderr and result.stderr.count("\n") == 1
    assert ours(desk) == [] and desk.state.dms == []
    assert thread("ann")["status"] == "open"


def test_an_unknown_403_quotes_x_and_posts_nothing_else(desk: Sandbox) -> None:
    """Ann deleted her tweet after the sync: X's 403 is shown in its own words."""
    desk.state.data.delete(thread("ann")["tweet_id"])
    result = cli("reply", "@ann", "We're on it, Ann.")
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: X refused the request (403): "You attempted to reply to a Tweet that is deleted '
        'or not visible to you."\n'
    )
    assert ours(desk) == []


# --- 3. 24-hour caps ----------------------------------------------------------------------------


def test_a_spent_daily_cap_says_when_the_day_resets(desk: Sandbox) -> None:
    desk.state.add_fault(
        Fault(match="POST /2/tweets", status=429, daily_cap="user", reset_in=86400)
    )
    result = cli("reply", "@ann", "We're on it, Ann.")
    assert result.exit_code == 4
    assert result.stderr == (
        "Error: X's 24-hour limit on this account's posts is used up (429): retry after "
        "2026-11-24 09:00:00 UTC, when the daily window resets\n"
    )


def test_bulk_wait_does_not_sleep_into_a_day_long_cap(
    desk: Sandbox, pauses: list[float], tmp_path: Any
) -> None:
    """The 15-minute headers of a 24-hour cap's 429 still show room and a reset minutes away:
    --wait must not sleep window after window while the day-long cap stays spent."""
    from test_bulk_wait import rows_file

    path, _ = rows_file(tmp_path)
    desk.state.add_fault(
        Fault(match="POST /2/tweets", status=429, daily_cap="app", reset_in=86400, after=1, times=5)
    )
    result = cli("bulk-reply", str(path), "--wait")
    assert result.exit_code == 4
    assert "24-hour limit on the developer app's posts is used up" in result.stderr
    assert "retry after 2026-11-24 09:00:00 UTC" in result.stderr
    assert pauses == []
    assert tweet_posts(desk) == 2  # one sent, one refused: then the run stopped


# --- 7. odd answers on writes -----------------------------------------------------------------


def test_a_non_json_200_on_a_post_is_in_doubt_and_reconciled(
    desk: Sandbox, pauses: list[float]
) -> None:
    """A captive portal answers 200 with HTML, but X took the post: no traceback, no second
    post, and it is billed once."""
    desk.state.add_fault(Fault(match="POST /2/tweets", status=200, html=True, commit=True))
    result = cli("reply", "@ann", "We're on it, Ann.")
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert [t["text"] for t in ours(desk)] == ["We're on it, Ann."]
    assert tweet_posts(desk) == 1
    assert usage()["by_price"]["reply_created"]["units"] == 1


def test_a_non_json_200_on_a_post_is_one_line_when_it_stays_in_doubt(desk: Sandbox) -> None:
    desk.state.add_fault(Fault(match="POST /2/tweets", status=200, html=True, times=10))
    result = cli("reply", "@ann", "We're on it, Ann.")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: X's answer was not JSON (200, text/html): something between this machine and X "
        "answered instead (a captive portal or a proxy?); try again — X did not confirm the reply"
    )
    assert result.stderr.count("\n") == 1
