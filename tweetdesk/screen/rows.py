"""What the screen draws, as Textual `Content`: inbox rows, group headings, one thread's
timeline and the status line.

Every piece of untrusted text (tweets, names, tags, [listen] queries) is cleaned by
output.safe (escape codes and control characters made visible and inert) and placed in Content
as plain text: Content never parses markup, so `[bold]` or `[link=...]` in a tweet is shown as
typed. Styles come only from here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from textual.content import Content

from tweetdesk.output.safe import clean_terminal, one_line, pad
from tweetdesk.output.threads import MOODS, mood_label, strip_leading_mentions
from tweetdesk.output.timeline import MARK_WORDS
from tweetdesk.triage.views import BRAND_TALK, DIRECT_MESSAGES, ThreadView
from tweetdesk.values.durations import format_age
from tweetdesk.values.times import local_text, zone_name

GROUP_STYLES = {
    "Overdue": "bold red",
    "Waiting": "bold",
    DIRECT_MESSAGES: "bold magenta",
    BRAND_TALK: "bold cyan",
}
# Widths of the fixed columns (age, from, mood, tags); the number's width follows the desk's
# largest number and the text takes the rest of the line.
AGE, AUTHOR, MOOD, TAGS = 7, 16, 7, 12


@dataclass(frozen=True)
class Heading:
    """A group's title line in the inbox: not a thread, the cursor passes over it."""

    title: str
    count: int


Row = Heading | ThreadView


def inbox_rows(groups: Mapping[str, Sequence[ThreadView]]) -> list[Row]:
    """Each non-empty group as its heading and then its threads, most urgent group first."""
    rows: list[Row] = []
    for title, views in groups.items():
        if views:
            rows.append(Heading(title, len(views)))
            rows.extend(views)
    return rows


def age(view: ThreadView, now: datetime) -> str:
    if view.waiting_since is None:
        return "-"
    return format_age(now - view.waiting_since)


def thread_row(view: ThreadView, now: datetime, number_width: int) -> Content:
    """One thread on one line: number, age (or status), author, mood, tags, text."""
    waiting = age(view, now) if view.status.value == "open" else view.status.value
    mood = mood_label(view.sentiment, view.complaint)
    return Content.assemble(
        (str(view.number).rjust(number_width), "bold"),
        " ",
        (pad(one_line(waiting, AGE), AGE), "red" if view.overdue else ""),
        " ",
        pad(one_line("@" + view.author, AUTHOR), AUTHOR),
        " ",
        (pad(mood, MOOD), MOODS.get(mood, "")),
        " ",
        (pad(one_line(", ".join(view.tags), TAGS), TAGS), "cyan"),
        " ",
        one_line(strip_leading_mentions(view.text)),
    )


def heading_row(heading: Heading) -> Content:
    return Content.styled(
        f"{one_line(heading.title)} ({heading.count})", GROUP_STYLES.get(heading.title, "bold")
    )


def number_width(rows: Sequence[Row]) -> int:
    return max([1, *(len(str(r.number)) for r in rows if isinstance(r, ThreadView))])


# --- one thread -----------------------------------------------------------------------------


def clock_time(moment: datetime, zone: tzinfo, now: datetime) -> str:
    """A time in the desk's timezone as `show` writes it: "Mon 23 Nov 08:30" (the zone is
    named once, under the thread's head)."""
    return local_text(moment, zone, now).rsplit(" (", 1)[0]


def when(moment: datetime, zone: tzinfo, now: datetime) -> str:
    """A time with how long ago: "Mon 23 Nov 08:30 (30m ago)"."""
    return f"{clock_time(moment, zone, now)} ({ago(now - moment)})"


def ago(td: timedelta) -> str:
    age = format_age(td)
    return "just now" if age == "now" else f"{age} ago"


def timeline(
    head: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    account: str,
    view: ThreadView | None,
    zone: tzinfo,
    now: datetime,
) -> Content:
    """The whole thread as `show` prints it, ours included, times in the desk's timezone."""
    linked = ", ".join(f"#{n}" for n in head.get("linked", []))
    about = f"conversation {head['conversation_id']} · {head.get('source', '')}"
    about += f" · one timeline with {linked}" if linked else ""
    where = f" · times in {zone_name(zone, now)}"
    lines = [_head_line(head, view, now), Content.styled(about + where, "dim"), Content("")]
    for item in items:
        if item["kind"] == "mark":
            lines.append(Content.styled(_mark_line(item, zone, now), "dim italic"))
        else:
            lines.extend(_message_lines(item, account, zone, now))
        lines.append(Content(""))
    return Content("\n").join(lines)


def _head_line(head: Mapping[str, Any], view: ThreadView | None, now: datetime) -> Content:
    """As `show`: `#12 open · @sam_k (Sam Kim) · waiting 2h 5m overdue · unhappy · shipping`."""
    parts: list[str | tuple[str, str]] = [
        (f"#{head['number']} ", "bold"),
        (str(head["status"]), "bold magenta"),
    ]
    if view is not None:
        named = view.name and view.name != view.author
        name = f" ({one_line(view.name)})" if named else ""
        parts.append((f" · @{one_line(view.author)}{name}", "bold"))
        if view.waiting_since is not None and view.status.value == "open":
            late = " overdue" if view.overdue else ""
            parts.append((f" · waiting {age(view, now)}{late}", "red" if view.overdue else ""))
        mood = mood_label(view.sentiment, view.complaint)
        parts += [" · ", (mood, MOODS.get(mood, ""))]
        if view.tags:
            parts.append((f" · {one_line(', '.join(view.tags))}", "cyan"))
        if not view.replyable and view.source == "search":
            parts.append((" · found by search: answer in the X app", "yellow"))
    return Content.assemble(*parts)


def _message_lines(
    item: Mapping[str, Any], account: str, zone: tzinfo, now: datetime
) -> list[Content]:
    """A tweet or a DM of the thread (or of the thread linked to it) with who, when, link."""
    author = str(item.get("author") or "")
    ours = bool(account) and author.lower() == account.lower()
    by = Content.assemble(
        (when(item["created_at"], zone, now) + "  ", "dim"),
        ("@" + one_line(author), "bold green" if ours else "bold"),
        ("  (DM)" if item["kind"] == "dm" else "", "magenta"),
        (f"  ({one_line(str(item['note']))})" if item.get("note") else "", "dim"),
    )
    lines = [by, Content(clean_terminal(str(item.get("text") or "")))]
    if item.get("url"):
        lines.append(Content.styled(clean_terminal(str(item["url"])), "dim"))
    return lines


def _mark_line(mark: Mapping[str, Any], zone: tzinfo, now: datetime) -> str:
    words = MARK_WORDS.get(mark["mark"], str(mark["mark"]))
    if mark.get("until"):
        words += f" until {clock_time(mark['until'], zone, now)}"
    cancelled = "" if mark["active"] else " (cancelled)"
    return f"{when(mark['created_at'], zone, now)}  -- {words}{cancelled}"


# --- the status line ------------------------------------------------------------------------


def status_line(
    handle: str,
    synced_at: datetime | None,
    overdue: int,
    spent: float,
    budget: float | None,
    now: datetime,
    extra: str = "",
) -> Content:
    """`@acme · synced 4m ago · 3 overdue · $0.42 of $5.00 this month` (and what is running)."""
    synced = f"synced {ago(now - synced_at)}" if synced_at else "never synced"
    money = f"${spent:.2f} of ${budget:.2f} this month" if budget else f"${spent:.2f} this month"
    near_budget = bool(budget) and spent >= (budget or 0) * 0.8
    parts: list[str | tuple[str, str]] = [
        (f"@{one_line(handle)}" if handle else "tweetdesk", "bold"),
        f" · {synced} · ",
        (f"{overdue} overdue", "bold red" if overdue else "green"),
        " · ",
        (money, "yellow" if near_budget else ""),
    ]
    if extra:
        parts.append((f" · {one_line(extra)}", "italic"))
    return Content.assemble(*parts)
