"""Rendering: rich on a terminal, plain aligned text to a pipe; untrusted text inert in both."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

from tweetdesk.output.threads import plain_table, threads_table
from tweetdesk.triage.state import Status
from tweetdesk.triage.views import ThreadView

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
EVIL = (
    "@acme [bold red]FREE[/bold red] [/b] [link=http://x]y[/link] \x1b[2J\x1b]8;;http://evil\x07z"
)


def view(number: int, author: str, text: str, tags: list[str] | None = None) -> ThreadView:
    return ThreadView(
        number=number,
        conversation_id=number,
        status=Status.OPEN,
        author=author,
        name="",
        tweet_id=number,
        text=text,
        waiting_since=NOW - timedelta(minutes=42),
        waiting_minutes=42,
        business_minutes=None,
        overdue=True,
        sentiment=-0.8,
        tags=tags or [],
        source="mention",
        replyable=True,
        followers=1,
        priority=1.0,
        customer_id=1,
    )


def test_rich_table_on_a_terminal_prints_markup_literally() -> None:
    from rich.console import Console

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=200, color_system="standard")
    console.print(threads_table("Overdue (1)", [view(7, "mallory[b]", EVIL)], NOW))
    text = out.getvalue()
    assert "\x1b[2J" not in text and "\x1b]8;;" not in text and "\x07" not in text
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)  # rich's own colours
    assert "[bold red]FREE[/bold red] [/b] [link=http://x]y[/link] ␛[2J␛]8;;http://evil" in plain
    assert "@mallory[b]" in plain


def test_plain_table_aligns_wide_characters_and_keeps_the_whole_text() -> None:
    long = "word " * 60
    lines = plain_table(
        "Overdue (2)", [view(7, "喫茶店の友", long.strip(), ["配送"]), view(12, "bob", "hi")], NOW
    )
    assert lines[0] == "Overdue (2)"
    header, first, second = lines[1:4]
    start = header.index("text")
    assert first.endswith(long.strip())  # no truncation to a pipe
    assert second.endswith("  hi")
    from tweetdesk.output.safe import cells

    assert cells(first[: first.index("word")]) == cells(header[:start])
