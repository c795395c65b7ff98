"""Reading against a simulator as strict as X: search's 7-day window on X's clock,
long posts, no `source`, quotes, answers that are not JSON, the PIN flow's timeout, and prices
as X states them.

Through the CLI and the real tweepy path over HTTP against the simulator.
"""

from __future__ import annotations

import json
import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tweetdesk.sandbox.model import Fault

from conftest import NOW, Sandbox, cli

HANDLE = "acmeroasters"
LONG = (
    f"@{HANDLE} I have been a subscriber for two years and I love the Guji, but this month the "
    "bag arrived torn along the seam, half the beans were on the floor of the post van and the "
    "courier left it in the rain by the bins. I have photos of all of it. Could someone please "
    "look into the packaging? This is awful, terrible, the worst service ever and I am furious. "
    "#shipping"
)


@pytest.fixture
def desk(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", NOW.isoformat())
    Path(os.environ["TWEETDESK_CONFIG"]).write_text(
        "[listen]\nqueries = ['\"Acme Roasters\"']\n"
        '[tags]\nshipping = ["#shipping"]\n[templates]\nthanks = "Thanks!"\n'
    )
    return sandbox


def inbox() -> list[dict[str, Any]]:
    result = cli("inbox", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    views: list[dict[str, Any]] = json.loads(result.stdout)
    return views


def sync_ok() -> Any:
    result = cli("sync", "--quiet")
    assert result.exit_code == 0, result.stderr
    return result


def searches(sandbox: Sandbox) -> list[Any]:
    return [e for e in sandbox.state.exchanges if e.path == "/2/tweets/search/recent"]


# --- 4. search's 7-day window on X's clock ----------------------------------------------------


def test_a_clock_minutes_behind_xs_still_searches(desk: Sandbox) -> None:
    """X's clock is 5 minutes ahead of this machine's (or the sync spent 5 minutes before its
    search): the first search still asks for a start inside X's 7 days."""
    desk.state.add_tweet("fan", "Acme Roasters is lovely", created_at=NOW - timedelta(days=2))
    desk.state.advance(5 * 60)
    result = sync_ok()
    assert result.stderr == ""
    assert [v["author"] for v in inbox()] == ["fan"]
    assert [e.status for e in searches(desk)] == [200]


def test_a_start_x_refuses_is_retried_once_later_with_a_warning(desk: Sandbox) -> None:
    desk.state.add_tweet("fan", "Acme Roasters is lovely", created_at=NOW - timedelta(days=2))
    desk.state.advance(30 * 60)  # X's clock half an hour ahead: past any fixed margin
    result = cli("sync")
    assert result.exit_code == 0, result.stderr
    assert [e.status for e in searches(desk)] == [400, 200]
    assert (
        "Warning: search '\"Acme Roasters\"': X refused the start_time as older than its 7-day "
        "window (its clock and this machine's differ?); searched from 2026-11-16 09:40:00 UTC "
        "instead" in result.stderr
    )
    assert [v["author"] for v in inbox()] == ["fan"]


# --- 5. long posts and no `source` ------------------------------------------------------------


def test_a_long_post_is_stored_whole_for_triage_tags_and_show(desk: Sandbox) -> None:
    long = desk.state.add_tweet("gracie", LONG, created_at=NOW - timedelta(minutes=20))
    sync_ok()
    (view,) = inbox()
    assert view["text"] == LONG  # X's `text` stops before "refund. #shipping"
    assert view["tags"] == ["shipping"]  # the hashtag past the cut
    assert view["sentiment"] < -0.5  # "awful, terrible, the worst": past the cut too
    shown = json.loads(cli("show", long["id"], "--json").stdout)
    assert shown["items"][0]["text"] == LONG
    asked = {e.query["tweet.fields"][0] for e in desk.state.exchanges if "tweet.fields" in e.query}
    assert all("note_tweet" in fields.split(",") for fields in asked)


def test_source_is_not_asked_for_and_a_phone_reply_still_counts(desk: Sandbox) -> None:
    """X retired `source`: tweetdesk does not ask for it, and tells an answer from the phone app
    by its absence from the outbox: it answers the thread, and `show` names no client."""
    from tweetdesk.store.lookup import answered_in_app
    from tweetdesk.store.store import Store

    ann = desk.state.add_tweet("ann", f"@{HANDLE} open today?", created_at=NOW - timedelta(hours=1))
    bob = desk.state.add_tweet("bob", f"@{HANDLE} decaf?", created_at=NOW - timedelta(hours=1))
    desk.state.add_tweet(
        HANDLE, "Yes, till 5!", in_reply_to=ann["id"], created_at=NOW - timedelta(minutes=50)
    )  # from the phone
    sync_ok()
    assert cli("reply", bob["id"], "Yes, the Swiss Water one.").exit_code == 0
    fields = {e.query["tweet.fields"][0] for e in desk.state.exchanges if "tweet.fields" in e.query}
    assert fields and not any("source" in f.split(",") for f in fields)
    assert {v["author"]: v["status"] for v in inbox()} == {"ann": "replied", "bob": "replied"}
    store = Store(Path(os.environ["TWEETDESK_DB"]))
    assert [user for _, user, _ in answered_in_app(store)] == ["ann"]  # not ours from tweetdesk
    shown = json.loads(cli("show", ann["id"], "--json").stdout)
    assert [item["client"] for item in shown["items"]] == [None, None]


# --- 6. quotes are answerable -----------------------------------------------------------------


def test_a_quote_without_an_at_is_replyable_not_brand_talk(desk: Sandbox) -> None:
    announce = desk.state.add_tweet(
        HANDLE, "Holiday Blend is back!", created_at=NOW - timedelta(hours=3)
    )
    sync_ok()  # the account's own post reaches the desk
    quote = desk.state.add_tweet(
        "jamie", "Ordering two bags of this", created_at=NOW - timedelta(minutes=30),
        quote_of=announce["id"],
    )  # fmt: skip
    sync_ok()
    (view,) = [v for v in inbox() if v["author"] == "jamie"]
    assert (view["tweet_id"], view["source"], view["replyable"]) == (quote["id"], "mention", True)
    asked = [e.query["query"][0] for e in searches(desk)]
    assert f"quotes_of_tweet_id:{announce['id']}" in asked
    result = cli("reply", quote["id"], "Enjoy them, Jamie!")
    assert result.exit_code == 0, result.stderr
    assert {v["author"]: v["status"] for v in inbox()}["jamie"] == "replied"


def test_a_quotes_page_is_budgeted_as_the_post_reads_it_costs(isolated: Path) -> None:
    from tweetdesk.errors import BudgetExceeded
    from tweetdesk.store.ledger import sync_guard
    from tweetdesk.store.store import Store

    guard = sync_guard(Store(isolated / "desk.db"), NOW, {"post_read": 0.005}, 0.2)
    with pytest.raises(BudgetExceeded, match=r"next quotes page .* \$0\.500 would pass"):
        guard("quotes")  # a page of 100 found by search: $0.005 each, not $0.001


def test_no_quote_search_while_the_account_has_no_post_of_its_own(desk: Sandbox) -> None:
    sync_ok()
    assert [e.query["query"][0] for e in searches(desk)] == ['"Acme Roasters"']


def test_the_quote_search_can_be_turned_off(desk: Sandbox, config_file: Path) -> None:
    desk.state.add_tweet(HANDLE, "Holiday Blend is back!", created_at=NOW - timedelta(hours=3))
    config_file.write_text("[listen]\nqueries = ['\"Acme Roasters\"']\nquotes = false\n")
    sync_ok()
    sync_ok()
    assert [e.query["query"][0] for e in searches(desk)] == ['"Acme Roasters"'] * 2


# --- 7. answers that are not JSON ---------------------------------------------------------------


def test_a_non_json_200_on_a_read_is_an_error_not_an_empty_page(desk: Sandbox) -> None:
    desk.state.add_mentions(3, start=NOW - timedelta(minutes=30), spacing=timedelta(minutes=1))
    desk.state.add_fault(Fault(match="GET /2/users/", status=200, html=True, times=10))
    result = cli("sync")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: X's answer was not JSON (200, text/html): something between this machine and X "
        "answered instead (a captive portal or a proxy?)"
    )
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    desk.state.faults.clear()
    sync_ok()
    assert len(inbox()) == 3


def test_an_html_503_is_one_line(desk: Sandbox, config_file: Path) -> None:
    config_file.write_text("[x]\nretries = 0\n")
    desk.state.add_fault(Fault(match="GET /2/users/me", status=503, html=True))
    result = cli("sync")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: X is failing (503 Service Unavailable); try again later\n",
    )


def test_the_pin_flows_last_request_has_the_timeout_too(
    desk: Sandbox, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X takes the PIN but never answers: `auth login` gives up after [x] timeout, as every
    other request does, instead of waiting on X for ever."""
    for name in ("TWEETDESK_ACCESS_TOKEN", "TWEETDESK_ACCESS_TOKEN_SECRET"):
        monkeypatch.delenv(name)
    config_file.write_text('[x]\ntimeout = "1s"\n')
    desk.state.add_fault(Fault(match="POST /oauth/access_token", delay=4))
    began = time.monotonic()
    result = cli("auth", "login", input="1234567\n")
    assert time.monotonic() - began < 3.5
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "Error: X did not answer in time (timeout) while checking the PIN\n"
    )


# --- 8. prices as X states them -----------------------------------------------------------------


def usage() -> dict[str, Any]:
    result = cli("usage", "--json")
    assert result.exit_code == 0, result.stderr
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


@pytest.mark.parametrize(("owner", "price"), [("true", 0.001), ("false", 0.005)])
def test_owned_reads_are_cheap_only_for_the_apps_owner(
    desk: Sandbox, config_file: Path, owner: str, price: float
) -> None:
    config_file.write_text(f"[x]\napp_owner = {owner}\n")
    desk.state.add_mentions(10, start=NOW - timedelta(minutes=30), spacing=timedelta(minutes=1))
    sync_ok()
    doc = usage()
    assert doc["prices"]["owned_read"] == price
    assert doc["by_price"]["owned_read"] == {"units": 10, "usd": round(10 * price, 4)}


def test_a_delete_is_priced_as_x_lists_it(desk: Sandbox) -> None:
    mention = desk.state.add_tweet("ann", f"@{HANDLE} hi", created_at=NOW - timedelta(minutes=9))
    sync_ok()
    assert cli("reply", mention["id"], "Hello Ann!").exit_code == 0
    assert cli("undo", mention["id"]).exit_code == 0
    assert usage()["by_price"]["delete"] == {"units": 1, "usd": 0.01}
