"""Everything that reaches the terminal. The only rich import.

Tweet text and names are untrusted: they pass through `clean_terminal` (escape codes, control
and bidi characters made visible and inert) and into `Text(...)`, never into markup.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tweetdesk.durations import format_age
from tweetdesk.textsafe import cells, clean_terminal, json_safe, one_line, pad
from tweetdesk.timeutil import to_utc_text

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from tweetdesk.threads import ThreadView


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    # highlight=False: rich must not colour numbers or URLs inside customer text.
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def safe(text: str, style: str = "") -> Text:
    """Untrusted text as an inert rich Text: no markup, no escape codes."""
    from rich.text import Text

    return Text(clean_terminal(text), style=style)


def print_json(value: Any) -> None:
    sys.stdout.write(json_safe(value) + "\n")


def thread_json(view: ThreadView) -> dict[str, Any]:
    """The public JSON shape of a thread (SPEC: inbox --json, overdue --json)."""
    out: dict[str, Any] = {
        "number": view.number,
        "conversation_id": str(view.conversation_id),
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
        one_line(strip_leading_mentions(view.text)),
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
    styles = {"Overdue": "bold red", "Waiting": "bold"}
    for title, views in shown:
        out.print(threads_table(f"{title} ({len(views)})", views, now, styles.get(title, "")))
    if not shown:
        out.print("Nothing is waiting. ", end="")
    out.print(safe(hint, "dim"))


def print_lines(lines: Iterable[str]) -> None:
    for line in lines:
        sys.stdout.write(clean_terminal(line) + "\n")


def message(text: str) -> None:
    """A message (not data) on stderr; our own words, untrusted parts already cleaned."""
    sys.stderr.write(clean_terminal(text) + "\n")


def print_thread(
    header: Mapping[str, Any], tweets: Sequence[Mapping[str, Any]], account: str
) -> None:
    """`show`: the whole conversation in order, ours included, with times and links."""
    from rich.text import Text

    out = console()
    head = Text()
    head.append(f"#{header['number']} ", style="bold")
    head.append(f"{header['status']}", style="bold magenta")
    head.append(f"  conversation {header['conversation_id']}", style="dim")
    out.print(head)
    for t in tweets:
        if t["kind"] == "mark":
            out.print(Text(to_utc_text(t["created_at"]) + "  " + _mark_line(t), style="dim italic"))
            continue
        ours = t["author"].lower() == account.lower()
        line = Text()
        line.append(to_utc_text(t["created_at"]) + "  ", style="dim")
        line.append_text(safe("@" + t["author"], "bold green" if ours else "bold"))
        if t.get("note"):
            line.append(f"  ({t['note']})", style="dim")
        out.print(line)
        out.print(safe(t["text"]), overflow="fold")
        out.print(Text(t["url"], style="dim"))


_MARK_WORDS = {
    "closed": "closed by hand",
    "stale": "marked stale (not answered in public)",
    "dm": "moved to DM",
    "snooze": "snoozed",
    "reopen": "reopened",
}


def _mark_line(mark: Mapping[str, Any]) -> str:
    words = _MARK_WORDS.get(mark["mark"], mark["mark"])
    if mark.get("until"):
        words += f" until {to_utc_text(mark['until'])}"
    return f"-- {words}" + ("" if mark["active"] else " (cancelled)")


@contextmanager
def sync_progress(enabled: bool) -> Iterator[Callable[[str, int], None]]:
    """A progress display on stderr, only on a terminal; yields the callback sync calls."""
    if not enabled or not sys.stderr.isatty():
        yield lambda source, n: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    counts: dict[str, int] = {}
    with Progress(
        SpinnerColumn(),
        # No markup: the label holds [listen] queries (`coffee [/]`, `[link=...]`), shown as typed.
        TextColumn("{task.description}", markup=False),
        TimeElapsedColumn(),
        console=console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("syncing", total=None)

        def advance(source: str, n: int) -> None:
            counts[source] = counts.get(source, 0) + n
            label = ", ".join(f"{one_line(k)} {v}" for k, v in counts.items())
            bar.update(task, description=f"syncing: {label}")

        yield advance


def confirm(question: str) -> bool:
    from rich.prompt import Confirm

    return Confirm.ask(question, console=console(stderr=True), default=False)


@contextmanager
def counting_progress(total: int, label: str) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr on a terminal; yields the tick to call per item."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


def bulk_plan(drafts: Sequence[tuple[Any, Any]], already: set[int], *, as_json: bool) -> None:
    from tweetdesk.render_bulk import print_plan

    print_plan(drafts, already, as_json=as_json)


def bulk_outcomes(outcomes: Sequence[Any], *, as_json: bool) -> None:
    from tweetdesk.render_bulk import print_outcomes

    print_outcomes(outcomes, as_json=as_json)
