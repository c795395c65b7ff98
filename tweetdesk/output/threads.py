"""Threads on the terminal: the inbox tables (rich on a terminal, plain aligned text to a pipe)
and the public JSON shape of a thread. One thread whole (`show`) is output.timeline.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from tweetdesk.output.console import console, message, print_json, print_lines, safe
from tweetdesk.output.safe import cells, clean_terminal, one_line, pad
from tweetdesk.triage.views import ThreadView, group_inbox
from tweetdesk.values.durations import format_age, format_duration
from tweetdesk.values.times import to_utc_text


def thread_json(view: ThreadView) -> dict[str, Any]:
    """The public JSON shape of a thread (SPEC: inbox --json, overdue --json)."""
    out: dict[str, Any] = {
        "number": view.number,
        "conversation_id": view.public_conversation_id,
        "status": view.status.value,
        "author": view.author,
        "tweet_id": str(view.tweet_id),
        "text": view.text,
        "waiting_since": to_utc_text(view.waiting_since) if view.waiting_since else None,
        "waiting_minutes": view.waiting_minutes,
        "overdue": view.overdue,
        "sentiment": round(view.sentiment, 4),
        "tags": view.tags,
        "source": view.source,
        "replyable": view.replyable,
        "url": view.url,
    }
    if view.business_minutes is not None:
        out["business_minutes"] = view.business_minutes
    out["name"] = view.name
    out["priority"] = view.priority
    return out


def strip_leading_mentions(text: str) -> str:
    """Tables drop the @handles a reply starts with; JSON keeps the exact text."""
    words = text.split(" ")
    while len(words) > 1 and words[0].startswith("@"):
        words.pop(0)
    return " ".join(words)


MOODS = {"angry": "bold red", "unhappy": "red", "happy": "green", "neutral": "dim"}


def mood_label(sentiment: float, complaint: bool = False) -> str:
    if sentiment <= -0.5:
        return "angry"
    if sentiment < -0.05 or complaint:
        return "unhappy"
    return "happy" if sentiment >= 0.5 else "neutral"


def _age(view: ThreadView, now: datetime) -> str:
    if view.waiting_since is None:
        return "-"
    return format_age(now - view.waiting_since)


def _waiting(view: ThreadView, now: datetime) -> str:
    state = "" if view.status.value == "open" else f" ({view.status.value})"
    return _age(view, now) + state


HEADERS = ("#", "waiting", "from", "mood", "tags", "text")
CAPS = (7, 16, 16, 7, 14)  # widths the first five columns may take; text takes the rest


def _cells(view: ThreadView, now: datetime) -> list[str]:
    """One row of the thread table as inert, one-line strings."""
    return [
        str(view.number),
        _waiting(view, now),
        one_line("@" + view.author),
        mood_label(view.sentiment, view.complaint),
        one_line(", ".join(view.tags)),
        ("DM: " if view.source == "dm" else "") + one_line(strip_leading_mentions(view.text)),
    ]


def _widths(rows: Sequence[Sequence[str]]) -> list[int]:
    return [
        min(cap, max([len(HEADERS[i]), *(cells(r[i]) for r in rows)])) for i, cap in enumerate(CAPS)
    ]


def threads_table(title: str, views: Sequence[ThreadView], now: datetime, style: str = "") -> Any:
    """A rich table for a terminal: colour, and the text cut to the terminal's width."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=title, title_style=style, title_justify="left", expand=True, box=box.SIMPLE_HEAD
    )
    rows = [_cells(v, now) for v in views]
    for header, width in zip(HEADERS, _widths(rows), strict=False):
        table.add_column(header, width=width, no_wrap=True, overflow="ellipsis")
    table.columns[0].justify = "right"
    table.add_column("text", ratio=1, no_wrap=True, overflow="ellipsis", min_width=10)
    for row in rows:
        table.add_row(
            *(Text(cell, style=MOODS.get(cell, "") if i == 3 else "") for i, cell in enumerate(row))
        )
    return table


def plain_table(title: str, views: Sequence[ThreadView], now: datetime) -> list[str]:
    """The same table for a pipe or a file: aligned columns, no colour, the whole text."""
    rows = [_cells(v, now) for v in views]
    widths = _widths(rows)

    def line(row: Sequence[str]) -> str:
        fixed = [
            row[0].rjust(widths[0]),
            *(pad(one_line(c, w), w) for c, w in zip(row[1:5], widths[1:], strict=True)),
        ]
        return "  ".join([*fixed, row[5]]).rstrip()

    return [title, line(HEADERS), *(line(r) for r in rows), ""]


def print_groups(groups: Mapping[str, Sequence[ThreadView]], now: datetime, hint: str) -> None:
    """The inbox: one table per non-empty group, most urgent group first. Rich on a terminal;
    plain aligned text to a pipe or file (and no rich import: listings must start fast)."""
    shown = [(title, views) for title, views in groups.items() if views]
    if not sys.stdout.isatty():
        lines: list[str] = []
        for title, views in shown:
            lines += plain_table(f"{title} ({len(views)})", views, now)
        if not shown:
            lines.append("Nothing is waiting.")
        sys.stdout.write("\n".join([*lines, clean_terminal(hint)]).rstrip("\n") + "\n")
        return
    out = console()
    styles = {"Overdue": "bold red", "Waiting": "bold", "Direct messages": "bold magenta"}
    for title, views in shown:
        out.print(threads_table(f"{title} ({len(views)})", views, now, styles.get(title, "")))
    if not shown:
        out.print("Nothing is waiting. ", end="")
    out.print(safe(hint, "dim"))


# --- what the listing commands print ------------------------------------------------------


def print_inbox(
    views: Sequence[ThreadView],
    hint: str,
    now: datetime,
    *,
    as_json: bool,
    ids_only: bool,
    search: bool,
) -> None:
    """`inbox`: JSON, bare tweet ids for `xargs tweetdesk reply` (brand talk cannot be answered
    through the API, so its ids only with `search`), or the grouped tables with the hint."""
    if as_json:
        print_json([thread_json(v) for v in views])
    elif ids_only:
        print_lines(str(v.tweet_id) for v in views if v.replyable or search)
    else:
        print_groups(group_inbox(views), now, hint)


def print_overdue(views: Sequence[ThreadView], now: datetime, *, as_json: bool) -> None:
    if as_json:
        print_json([thread_json(v) for v in views])
    elif views:
        print_groups({"Overdue": views}, now, "")


def print_stale(
    views: Sequence[ThreadView],
    now: datetime,
    limit: timedelta,
    *,
    dry_run: bool,
    as_json: bool,
) -> None:
    if as_json:
        print_json([thread_json(v) for v in views])
        return
    if not views:  # not "Nothing is waiting": threads may well wait, just not that long
        longer = format_duration(limit)
        message(f"Nothing to mark stale: no open thread has waited longer than {longer}.")
        return
    verb = "Would mark" if dry_run else "Marked"
    print_groups({f"{verb} stale": views}, now, "")
    message(f"{verb} {len(views)} thread(s) stale.")
