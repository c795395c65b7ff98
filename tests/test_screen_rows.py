"""What the triage screen draws, as plain values: rows, the timeline in the desk's timezone,
the status line; the filter line it reads; the template prefill; and the command's refusal off
a terminal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tweetdesk.compose.templates import fill_known
from tweetdesk.desk.listing import Filters
from tweetdesk.errors import UsageError
from tweetdesk.screen.actions import filters_from
from tweetdesk.screen.rows import Heading, inbox_rows, status_line, thread_row, timeline
from tweetdesk.triage.state import Status
from tweetdesk.triage.views import ThreadView

from conftest import NOW, cli


def view(**changes: object) -> ThreadView:
    fields: dict[str, object] = {
        "number": 12,
        "conversation_id": 99,
        "status": Status.OPEN,
        "author": "ann",
        "name": "Ann",
        "tweet_id": 1,
        "text": "@acme @shop my [b]bag[/b] \x1b[2J split",
        "waiting_since": NOW - timedelta(minutes=75),
        "waiting_minutes": 75,
        "business_minutes": None,
        "overdue": True,
        "sentiment": -0.6,
        "tags": ["shipping"],
        "source": "mention",
        "replyable": True,
        "followers": 10,
        "priority": 1.0,
        "customer_id": 5,
    }
    return ThreadView(**{**fields, **changes})  # type: ignore[arg-type]


def test_a_row_has_number_age_author_mood_tags_and_the_text_as_typed() -> None:
    row = thread_row(view(), NOW, 3)
    assert row.plain == (
        " 12 1h 15m  @ann             angry   shipping     my [b]bag[/b] ␛[2J split"
    )
    assert all("bold" not in str(span.style) for span in row.spans if span.start > 50)


def test_rows_group_with_headings_and_skip_empty_groups() -> None:
    a, b = view(number=1), view(number=2)
    rows = inbox_rows({"Overdue": [a, b], "Waiting": [], "Brand talk": [view(number=3)]})
    assert rows[0] == Heading("Overdue", 2) and rows[3] == Heading("Brand talk", 1)
    assert [r.number for r in rows if isinstance(r, ThreadView)] == [1, 2, 3]


def test_the_timeline_is_in_the_desk_timezone_ours_told_apart() -> None:
    at = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    items = [
        {"kind": "tweet", "created_at": at, "author": "ann", "text": "[red]hi[/red]", "url": "u1"},
        {"kind": "tweet", "created_at": at + timedelta(minutes=5), "author": "Acme", "text": "ok"},
        {"kind": "mark", "mark": "snooze", "created_at": at, "until": at, "active": False},
    ]
    head = {"number": 12, "status": "open", "source": "mention", "conversation_id": 99}
    shown = timeline(head, items, "acme", view(), ZoneInfo("Asia/Tokyo"), NOW)
    lines = shown.plain.splitlines()
    assert lines[0] == "#12 open · @ann (Ann) · waiting 1h 15m overdue · angry · shipping"
    assert lines[1] == "conversation 99 · mention · times in Asia/Tokyo"
    assert "Mon 23 Nov 17:30 (30m ago)  @ann" in lines
    assert "[red]hi[/red]" in lines
    assert "Mon 23 Nov 17:35 (25m ago)  @Acme" in lines
    assert "Mon 23 Nov 17:30 (30m ago)  -- snoozed until Mon 23 Nov 17:30 (cancelled)" in lines


def test_the_status_line() -> None:
    line = status_line("acme", NOW - timedelta(minutes=4), 3, 0.4249, 5.0, NOW, "syncing…")
    assert line.plain == "@acme · synced 4m ago · 3 overdue · $0.42 of $5.00 this month · syncing…"
    assert status_line("", None, 0, 0.0, None, NOW).plain == (
        "tweetdesk · never synced · 0 overdue · $0.00 this month"
    )


@pytest.mark.parametrize(
    ("typed", "filters"),
    [
        ("", Filters()),
        ("tag:shipping author:@ann", Filters("shipping", "@ann")),
        ("#grind @bob source:search", Filters("#grind", "@bob", "search")),
    ],
)
def test_the_filter_line(typed: str, filters: Filters) -> None:
    assert filters_from(typed) == filters


@pytest.mark.parametrize("typed", ["colour:red", "source:fax", "tag:"])
def test_a_bad_filter_line_is_refused(typed: str) -> None:
    with pytest.raises(UsageError):
        filters_from(typed)


def test_a_prefill_leaves_what_only_the_person_knows() -> None:
    template = "Hi {{first_name|there}}, order {{order}} ({{ref|none}}) for {{name}}."
    assert fill_known(template, {"first_name": "", "name": "Ann"}) == (
        "Hi there, order {{order}} (none) for Ann."
    )


def test_triage_refuses_without_a_terminal() -> None:
    result = cli("triage")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: triage needs a terminal; in scripts use `tweetdesk inbox` (or --json)\n"
    )
