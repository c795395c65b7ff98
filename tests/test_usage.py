"""`tweetdesk usage`: this month's ledger and cost; sync stops before passing the budget.

The end-to-end tests run the real commands against the sandbox over HTTP and compare the
ledger's figures with what the simulator itself counted.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from tweetdesk.cli.app import app
from tweetdesk.errors import BudgetExceeded
from tweetdesk.store.ledger import PAGE_POSTS, sync_guard
from tweetdesk.store.store import Store
from tweetdesk.x.gateway import PAGE_SIZE

from conftest import NOW, Sandbox

FIGURES = ("requests", "posts_read", "posts_created", "dms_sent")


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(
        app, list(args), env={"TWEETDESK_NOW": NOW.isoformat(), **(env or {})}
    )


def usage_json() -> dict[str, Any]:
    result = run("usage", "--json")
    assert result.exit_code == 0, result.stderr
    value = json.loads(result.stdout)
    assert isinstance(value, dict)
    return value


def request(at: str, endpoint: str, **fields: Any) -> dict[str, Any]:
    row = {"at": at, "method": endpoint.split()[0], "endpoint": endpoint, "status": 200}
    return {**row, "posts": 0, "price_key": None, "units": 0, **fields}


@pytest.fixture
def ledger(isolated: Path) -> Store:
    store = Store(isolated / "desk.db")
    this_month = "2026-11-02T10:00:00.000Z"
    for row in [
        request("2026-10-31T23:59:59.999Z", "GET /2/users/:id/mentions", posts=50,
                price_key="owned_read", units=50),  # last month: not counted
        request(this_month, "GET /2/users/me", price_key="user_read", units=1),
        request(this_month, "GET /2/users/:id/mentions", posts=100, price_key="owned_read",
                units=100),
        request(this_month, "GET /2/tweets/search/recent", posts=20, price_key="post_read",
                units=20),
        request(this_month, "POST /2/tweets", price_key="reply_created", units=1, status=201),
        request(this_month, "POST /2/tweets", status=403),  # refused: not created, not billed
        request(this_month, "POST /2/dm_conversations/with/:id/messages", status=201,
                price_key="dm_sent", units=1),
        request(this_month, "GET /2/users/:id/mentions", status=0),  # timed out
        request(this_month, "GET /2/dm_events", price_key="dm_read", units=3),
    ]:  # fmt: skip
        store.record_request(row)
    return store


def test_usage_json_is_this_months_ledger(ledger: Store) -> None:
    doc = usage_json()
    assert {k: doc[k] for k in list(doc)[:9]} == {
        "month": "2026-11",
        "requests": 8,
        "posts_read": 120,
        "posts_created": 1,
        "dms_sent": 1,
        "dm_events_read": 3,  # DM events are billed apart from posts
        # 0.010 + 100 * 0.001 + 20 * 0.005 + 0.010 + 0.015 + 3 * 0.010
        "estimated_cost_usd": 0.265,
        "budget_usd": None,
        "by_price": {
            "dm_read": {"units": 3, "usd": 0.03},
            "dm_sent": {"units": 1, "usd": 0.015},
            "owned_read": {"units": 100, "usd": 0.1},
            "post_read": {"units": 20, "usd": 0.1},
            "reply_created": {"units": 1, "usd": 0.01},
            "user_read": {"units": 1, "usd": 0.01},
        },
    }
    assert doc["prices"]["post_read"] == 0.005
    assert list(doc["prices"]) == [
        "owned_read",
        "post_read",
        "user_read",
        "dm_read",
        "post_created",
        "reply_created",
        "url_post_created",
        "dm_sent",
        "delete",
    ]


def test_prices_and_budget_come_from_the_config(ledger: Store, config_file: Path) -> None:
    config_file.write_text("[prices]\npost_read = 0.01\n[budget]\nmonthly_usd = 2.5\n")
    doc = usage_json()
    assert doc["estimated_cost_usd"] == 0.365
    assert doc["budget_usd"] == 2.5
    assert doc["prices"]["post_read"] == 0.01


def test_usage_terminal_shows_the_price_table(ledger: Store, config_file: Path) -> None:
    config_file.write_text("[budget]\nmonthly_usd = 5\n")
    result = run("usage")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "2026-11 (UTC month): 8 requests, 120 posts read, 1 posts created, 1 DMs sent, "
        "3 DM events read"
    )
    assert lines[1] == "Estimated cost $0.2650 of the $5.00 budget (5%)"
    assert "Prices (USD; [prices] overrides them)" in result.stdout
    owned = next(line for line in lines if "owned_read" in line)
    assert owned.split("│")[2:5] == [" 0.001 ", "   100 ", " 0.1000 "]


def test_sync_guard_prices_a_full_page_by_source(isolated: Path) -> None:
    assert PAGE_POSTS == PAGE_SIZE
    store = Store(isolated / "desk.db")
    prices = {"owned_read": 0.001, "post_read": 0.005}
    guard = sync_guard(store, NOW, prices, 0.2)
    guard("mentions")  # 100 * 0.001 fits
    with pytest.raises(BudgetExceeded, match=r"next search:q page .* \$0\.500 would pass"):
        guard("search:q")
    sync_guard(store, NOW, prices, None)("search:q")  # no budget, no limit


# --- end to end against the sandbox -------------------------------------------------------------


@pytest.fixture
def desk_env(sandbox: Sandbox, sandbox_env: None, config_file: Path) -> dict[str, str]:
    config_file.write_text("[listen]\nqueries = ['\"Acme Roasters\"']\n", encoding="utf-8")
    return {"TWEETDESK_API_URL": sandbox.url}


def sandbox_figures(sandbox: Sandbox) -> dict[str, int]:
    counted = sandbox.state.usage()
    return {k: counted[k] for k in FIGURES}


def test_usage_equals_what_the_sandbox_counted(sandbox: Sandbox, desk_env: dict[str, str]) -> None:
    ids = sandbox.state.add_mentions(
        130, start=NOW - timedelta(hours=5), spacing=timedelta(minutes=2)
    )
    sandbox.state.add_tweet("fan", "I love Acme Roasters", created_at=NOW - timedelta(hours=1))
    for args in (
        ["sync", "--quiet"],
        ["reply", ids[-1], "Thanks, we're on it!", "--yes"],
        ["dm", ids[-2], "Could you send your order number?", "--yes", "--no-note"],
        ["sync", "--quiet"],
    ):
        result = run(*args, env=desk_env)
        assert result.exit_code == 0, (args, result.stderr)
    doc = usage_json()
    counted = sandbox_figures(sandbox)
    assert {k: doc[k] for k in FIGURES} == counted
    assert counted["posts_read"] >= 131 and counted["posts_created"] == 1
    assert counted["dms_sent"] == 1


def sync_runs(isolated: Path) -> list[tuple[str, int]]:
    rows = Store(isolated / "desk.db").conn.execute(
        "SELECT status, requests FROM sync_runs ORDER BY id"
    )
    return [(r[0], r[1]) for r in rows]


def test_each_sync_run_records_the_requests_it_made(
    sandbox: Sandbox, desk_env: dict[str, str], isolated: Path
) -> None:
    sandbox.state.add_mentions(130, start=NOW - timedelta(hours=5), spacing=timedelta(minutes=2))
    sandbox.state.add_tweet("fan", "I love Acme Roasters", created_at=NOW - timedelta(hours=1))
    first = run("sync", env=desk_env)
    assert first.exit_code == 0, first.stderr
    made_first = sandbox.state.usage()["requests"]
    assert run("sync", "--quiet", env=desk_env).exit_code == 0
    made_second = sandbox.state.usage()["requests"] - made_first
    # users/me, two mentions pages, own timeline, search, DMs; then one page per source.
    assert (made_first, made_second) == (6, 4)
    assert sync_runs(isolated) == [("ok", made_first), ("ok", made_second)]
    assert f": {made_first} requests, about $" in first.stderr


def test_sync_stops_before_the_budget_and_resumes_without_paying_twice(
    sandbox: Sandbox, desk_env: dict[str, str], config_file: Path, isolated: Path
) -> None:
    sandbox.state.add_mentions(250, start=NOW - timedelta(hours=9), spacing=timedelta(minutes=2))
    config_file.write_text("[budget]\nmonthly_usd = 0.15\n", encoding="utf-8")
    stopped = run("sync", "--quiet", env=desk_env)
    assert stopped.exit_code == 1
    assert stopped.stderr == (
        "Error: stopped before the next mentions page (up to 100 posts): this month's "
        "estimated spend $0.110 plus $0.100 would pass the $0.15 budget ([budget] monthly_usd)\n"
    )
    doc = usage_json()
    assert doc["estimated_cost_usd"] == 0.11  # users/me + one page of 100 mentions
    assert doc["estimated_cost_usd"] <= doc["budget_usd"]
    assert sandbox_figures(sandbox) == {
        "requests": 2,
        "posts_read": 100,
        "posts_created": 0,
        "dms_sent": 0,
    }
    config_file.write_text("[budget]\nmonthly_usd = 5\n", encoding="utf-8")
    resumed = run("sync", "--quiet", env=desk_env)
    assert resumed.exit_code == 0, resumed.stderr
    assert sandbox.state.usage()["posts_read"] == 250  # the rest only, nothing read twice
    assert {k: usage_json()[k] for k in FIGURES} == sandbox_figures(sandbox)
    assert sync_runs(isolated) == [("failed", 2), ("ok", sandbox.state.usage()["requests"] - 2)]
