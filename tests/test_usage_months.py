"""The month's ledger is one UTC month: rows after it (a later month) count neither in `usage`
nor in the budget guard, as rows before it never did."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tweetdesk.cli.app import app
from tweetdesk.errors import BudgetExceeded
from tweetdesk.store.ledger import check_budget, month_bounds, month_cost
from tweetdesk.store.store import Store

OCTOBER = datetime(2026, 10, 15, tzinfo=UTC)
PRICES = {"owned_read": 0.001, "reply_created": 0.010}


def read(at: str, units: int) -> dict[str, Any]:
    return {
        "at": at,
        "method": "GET",
        "endpoint": "GET /2/users/:id/mentions",
        "status": 200,
        "posts": units,
        "price_key": "owned_read",
        "units": units,
    }


@pytest.fixture
def ledger(isolated: Path) -> Store:
    store = Store(isolated / "desk.db")
    for row in [
        read("2026-09-30T23:59:59.999Z", 1000),  # September
        read("2026-10-01T00:00:00.000Z", 10),  # October, its first instant
        read("2026-10-31T23:59:59.999Z", 20),  # October, its last millisecond
        read("2026-11-01T00:00:00.000Z", 300),  # November
        read("2026-12-24T12:00:00.000Z", 4000),  # December
    ]:
        store.record_request(row)
    return store


def test_month_bounds_end_at_the_next_month() -> None:
    assert month_bounds(OCTOBER) == ("2026-10-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z")
    december = datetime(2026, 12, 31, 23, 59, tzinfo=UTC)
    assert month_bounds(december) == ("2026-12-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z")


def test_usage_json_counts_only_the_month_of_now(ledger: Store) -> None:
    result = CliRunner().invoke(
        app, ["usage", "--json"], env={"TWEETDESK_NOW": "2026-10-15T00:00:00Z"}
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["month"], doc["requests"], doc["posts_read"]) == ("2026-10", 2, 30)
    assert doc["estimated_cost_usd"] == 0.03
    assert doc["by_price"] == {"owned_read": {"units": 30, "usd": 0.03}}


@pytest.mark.parametrize(
    ("now", "units"),
    [
        (datetime(2026, 9, 10, tzinfo=UTC), 1000),
        (OCTOBER, 30),
        (datetime(2026, 11, 30, 23, 0, tzinfo=UTC), 300),
        (datetime(2026, 12, 1, tzinfo=UTC), 4000),
    ],
)
def test_month_cost_is_each_months_own(ledger: Store, now: datetime, units: int) -> None:
    assert month_cost(ledger, now, PRICES) == pytest.approx(units * 0.001)


def test_the_budget_guard_ignores_later_months(ledger: Store) -> None:
    # October spent $0.03; November and December's $4.30 must not stop an October reply.
    check_budget(ledger, OCTOBER, PRICES, 0.05, "reply_created", 1, "this reply")
    with pytest.raises(BudgetExceeded, match=r"spend \$0\.030 plus \$0\.010 would pass"):
        check_budget(ledger, OCTOBER, PRICES, 0.035, "reply_created", 1, "this reply")
