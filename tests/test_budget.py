"""`[budget] monthly_usd` stops reply, dm and bulk-reply before a send would pass it.

End to end over HTTP against the sandbox: the refused sends never reach it, so its own count of
posts created and DMs sent stays at what actually went out.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import NOW, Sandbox, cli

# After the first sync: users/me $0.010 + 3 mentions x $0.001 = $0.013 (no search configured).
SPENT_AFTER_SYNC = 0.013


def budget_error(spent: float, price: float, budget: float, what: str) -> str:
    return (
        f"Error: stopped before {what}: this month's estimated spend ${spent:.3f} plus "
        f"${price:.3f} would pass the ${budget:.2f} budget ([budget] monthly_usd)\n"
    )


def set_budget(usd: float) -> None:
    Path(os.environ["TWEETDESK_CONFIG"]).write_text(f"[budget]\nmonthly_usd = {usd}\n")


def writes(sandbox: Sandbox) -> list[str]:
    return [e.path for e in sandbox.state.exchanges if e.method in ("POST", "DELETE")]


def sent(sandbox: Sandbox) -> tuple[int, int]:
    counted = sandbox.state.usage()
    return counted["posts_created"], counted["dms_sent"]


def usage() -> dict[str, Any]:
    result = cli("usage", "--json")
    assert result.exit_code == 0, result.stderr
    value = json.loads(result.stdout)
    assert isinstance(value, dict)
    return value


@pytest.fixture
def desk(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", NOW.isoformat())
    handle = sandbox.state.account["username"]
    for n in range(3):
        sandbox.state.add_tweet(
            f"buyer{n}", f"@{handle} where is order {n}?", created_at=NOW - timedelta(minutes=9 - n)
        )
    assert cli("sync", "--quiet").exit_code == 0
    assert usage()["estimated_cost_usd"] == SPENT_AFTER_SYNC
    return sandbox


def buyers() -> list[dict[str, Any]]:
    views = json.loads(cli("inbox", "--json").stdout)
    return sorted(views, key=lambda v: v["author"])


def test_bulk_reply_stops_before_the_reply_that_would_pass_the_budget(
    desk: Sandbox, tmp_path: Path
) -> None:
    rows = [(v["tweet_id"], f"Order {i} ships today") for i, v in enumerate(buyers())]
    path = tmp_path / "replies.csv"
    path.write_text("tweet_id,text\n" + "".join(f"{t},{x}\n" for t, x in rows))
    set_budget(0.04)  # $0.013 spent: two replies at $0.010 fit, a third does not
    stopped = cli("bulk-reply", str(path), "--json")
    assert stopped.exit_code == 1
    assert stopped.stderr.endswith(budget_error(0.033, 0.010, 0.04, "the next reply"))
    assert [r["state"] for r in json.loads(stopped.stdout)] == ["sent", "sent"]
    assert sent(desk) == (2, 0)
    assert writes(desk) == ["/2/tweets", "/2/tweets"]  # no request for the refused row
    assert usage()["posts_created"] == 2
    set_budget(1)
    resumed = cli("bulk-reply", str(path), "--json")
    assert resumed.exit_code == 0, resumed.stderr
    assert [r["state"] for r in json.loads(resumed.stdout)] == ["already", "already", "sent"]
    assert sent(desk) == (3, 0)


def test_reply_is_refused_before_any_request(desk: Sandbox) -> None:
    target = buyers()[0]["tweet_id"]
    set_budget(0.02)
    refused = cli("reply", target, "It ships today!")
    assert refused.exit_code == 1
    assert refused.stderr == budget_error(SPENT_AFTER_SYNC, 0.010, 0.02, "this reply")
    assert refused.stdout == ""
    set_budget(0.03)  # a plain reply fits, but one with a URL is priced $0.200
    priced = cli("reply", target, "Track it at https://acme.com/track")
    assert priced.exit_code == 1
    assert priced.stderr.endswith(budget_error(SPENT_AFTER_SYNC, 0.200, 0.03, "this reply"))
    assert (sent(desk), writes(desk)) == ((0, 0), [])
    assert cli("reply", target, "It ships today!").exit_code == 0
    assert sent(desk) == (1, 0)


def test_dm_is_refused_before_any_request(desk: Sandbox) -> None:
    target = buyers()[0]["tweet_id"]
    set_budget(0.025)  # a DM costs $0.015: $0.028 would pass it (a $0.010 reply would not)
    refused = cli("dm", target, "Could you send your order number?", "--no-note")
    assert refused.exit_code == 1
    assert refused.stderr == budget_error(SPENT_AFTER_SYNC, 0.015, 0.025, "this DM")
    assert refused.stdout == ""
    assert (sent(desk), writes(desk)) == ((0, 0), [])
    assert usage()["dms_sent"] == 0
    set_budget(0.03)
    assert cli("dm", target, "Could you send your order number?", "--no-note").exit_code == 0
    assert sent(desk) == (0, 1)


def test_dm_fallback_is_priced_as_the_public_reply_it_becomes(desk: Sandbox) -> None:
    handle = desk.state.account["username"]
    desk.state.add_user("closed_carl", name="Carl", receives_your_dm=False)
    desk.state.add_tweet("closed_carl", f"@{handle} wrong grind", created_at=NOW)
    assert cli("sync", "--quiet").exit_code == 0
    spent = usage()["estimated_cost_usd"]
    set_budget(round(spent + 0.012, 3))  # the $0.010 reply fits; a DM and its note would not
    result = cli("dm", "@closed_carl", "Could you send your order number?", "--fallback")
    assert result.exit_code == 0, result.stderr
    assert sent(desk) == (1, 0)
