"""Terminal output of the reports: stats and usage as rich tables and a bar chart, evidence as
CSV or JSON.

The evidence JSON keeps the text exactly as X served it, escaping only what a terminal would act
on (safe.json_safe), so it loads back to the exact strings: it is the format for a report. The
CSV is inert wherever it goes (a terminal, a pipe, a file another tool opens or `cat`s): control,
bidi and invisible characters are spelled out (safe.clean_terminal) and cells a spreadsheet would
evaluate get a leading `'` (safe.csv_cell).

Only our own words and numbers reach rich here; tag names come from the config or from
hashtags in tweets, so they go through `console.safe` (Text, never markup) like any tweet text.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from tweetdesk.output.console import console, message, print_json, safe
from tweetdesk.output.safe import clean_terminal, csv_cell, json_safe
from tweetdesk.values.durations import format_age

BAR_WIDTH = 40
_LABELS = {
    "received": "in",
    "answered": "answered",
    "answered_pct": "%",
    "first_response_median_minutes": "median",
    "first_response_p90_minutes": "p90",
    "sla_met_pct": "SLA met %",
    "stale": "stale",
}


def _num(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _wait(minutes: float | None) -> str:
    """A first-response time as the inbox writes a wait: "15m", "1h 12m", "2d"; "<1m"."""
    if minutes is None:
        return "-"
    if minutes < 1:
        return "<1m"
    return format_age(timedelta(minutes=minutes))


_DURATIONS = {"first_response_median_minutes", "first_response_p90_minutes"}


def _cell(key: str, value: Any) -> str:
    return _wait(value) if key in _DURATIONS else _num(value)


def print_stats(doc: Mapping[str, Any], *, as_json: bool) -> None:
    if as_json:
        print_json(doc)
        return
    _stats_tables(doc)


def _stats_tables(doc: Mapping[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    out.print(
        f"Threads first heard from {doc['since']} to {doc['until']} "
        f"(SLA {_wait(doc['sla_minutes'])}; muted threads left out)",
        markup=False,
    )
    table = Table(
        title=Text("First response, answers and stale threads (all, then per tag)"),
        title_justify="left",
    )
    table.add_column("", no_wrap=True, max_width=18, overflow="ellipsis")
    for label in _LABELS.values():
        table.add_column(label, justify="right")
    table.add_row("all", *(_cell(key, doc[key]) for key in _LABELS))
    for tag, figures in doc["by_tag"].items():  # tags as the inbox writes them
        table.add_row(safe(tag), *(_cell(key, figures[key]) for key in _LABELS))
    out.print(table)
    out.print(day_chart(doc["by_day"], float(doc["sla_minutes"]), doc["timezone"]))


def day_chart(days: list[Mapping[str, Any]], sla_minutes: float, timezone: str) -> Any:
    """Median first response per day as bars: green within the SLA, yellow within the hour."""
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=Text(f"First response by day (median, {timezone})"),
        title_justify="left",
        box=None,
        pad_edge=False,
    )
    table.add_column("day", no_wrap=True)
    table.add_column("threads", justify="right")
    table.add_column("median", justify="right")
    table.add_column("", no_wrap=True)
    peak = max((d["first_response_median_minutes"] or 0.0 for d in days), default=0.0)
    # Quiet days before the first customer tweet of the period say nothing: start there.
    first = next((n for n, d in enumerate(days) if d["received"]), len(days))
    for day in days[first:]:
        minutes = day["first_response_median_minutes"]
        bar = Text()
        if minutes is not None:
            cells = max(1, round(BAR_WIDTH * minutes / peak)) if peak else 1
            # Wall-clock against the SLA even with [hours]: by_day has no business-time figures.
            style = "green" if minutes <= sla_minutes else "yellow" if minutes <= 60 else "red"
            bar.append("█" * cells, style=style)
        answered = f"{day['answered']}/{day['received']}"
        table.add_row(day["date"], answered, _wait(minutes), bar)
    return table


def print_usage(doc: Mapping[str, Any], *, as_json: bool) -> None:
    if as_json:
        print_json(doc)
        return
    _usage_tables(doc)


def _usage_tables(doc: Mapping[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    budget = doc["budget_usd"]
    spent = doc["estimated_cost_usd"]
    out.print(
        f"{doc['month']} (UTC month): {doc['requests']} requests, {doc['posts_read']} posts "
        f"read, {doc['posts_created']} posts created, {doc['dms_sent']} DMs sent, "
        f"{doc['dm_events_read']} DM events read",
        markup=False,
    )
    if budget is None:
        line = f"Estimated cost ${spent:.4f} (no budget set: [budget] monthly_usd)"
    else:
        share = f" ({100 * spent / budget:.0f}%)" if budget else ""
        line = f"Estimated cost ${spent:.4f} of the ${budget:.2f} budget{share}"
    out.print(line, markup=False)
    table = Table(title=Text("Prices (USD; [prices] overrides them)"), title_justify="left")
    table.add_column("what")
    table.add_column("price", justify="right")
    table.add_column("units", justify="right")
    table.add_column("cost", justify="right")
    for key, price in doc["prices"].items():
        used = doc["by_price"].get(key, {"units": 0, "usd": 0.0})
        table.add_row(key, f"{price:.3f}", str(used["units"]), f"{used['usd']:.4f}")
    out.print(table)


# --- evidence ----------------------------------------------------------------------------

COLUMNS = (
    "id",
    "created_at",
    "author",
    "author_id",
    "text",
    "url",
    "conversation_id",
    "in_reply_to_id",
    "kind",  # tweet (public) or dm (a direct message)
)


def to_csv(tweets: Sequence[Mapping[str, Any]]) -> str:
    """RFC 4180 CSV with a header row; every cell inert (see the module docstring)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for tweet in tweets:
        cells = ["" if tweet.get(c) is None else str(tweet[c]) for c in COLUMNS]
        writer.writerow([csv_cell(clean_terminal(cell)) for cell in cells])
    return out.getvalue()


def print_evidence(kind: str, doc: Mapping[str, Any], tweets: Sequence[Mapping[str, Any]]) -> None:
    """`evidence`: the JSON document or the CSV on stdout, the count on stderr."""
    if kind == "json":
        sys.stdout.write(json_safe(doc, indent=2) + "\n")
    else:
        sys.stdout.write(to_csv(tweets))
    dms = sum(1 for t in tweets if t.get("kind") == "dm")
    also = f", {dms} of them DMs" if dms else ""
    message(f"{len(tweets)} tweet(s) by @{doc['user']['username']}{also}.")
