"""One thread whole (`show`): a header that says who is waiting and for how long, then every
tweet and mark in order, ours included, with times in the desk's timezone and their age; or the
thread as JSON (ids as strings, times UTC).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from tweetdesk.output.console import console, print_json, safe
from tweetdesk.output.threads import mood_label
from tweetdesk.triage.views import ThreadView
from tweetdesk.values.durations import format_age
from tweetdesk.values.times import local_text, to_utc_text, zone_name

# How a mark reads in a timeline (`show`, and the triage screen's thread pane).
MARK_WORDS = {
    "closed": "closed by hand",
    "stale": "marked stale (not answered in public)",
    "dm": "moved to DM",
    "snooze": "snoozed",
    "reopen": "reopened",
}


def print_timeline(
    head: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    account: str,
    *,
    as_json: bool,
    view: ThreadView | None = None,
    tz: tzinfo | None = None,
    now: datetime | None = None,
) -> None:
    """`show`: the thread's header and items, as JSON or as text; `view` (the thread as the
    inbox lists it), `tz` and `now` make the text header and times."""
    if as_json:
        print_json(
            {
                **head,
                "conversation_id": str(head["conversation_id"]),
                "linked": [int(n) for n in head.get("linked", [])],
                "items": [_item_json(i) for i in items],
            }
        )
        return
    from datetime import UTC

    at = _Clock(tz or UTC, now)
    print_thread(head, items, account, view, at)


class _Clock:
    """Times as the person at the desk reads them: local, short, with their age."""

    def __init__(self, tz: tzinfo, now: datetime | None) -> None:
        self.tz, self.now = tz, now

    def when(self, moment: datetime) -> str:
        shown = local_text(moment, self.tz, self.now).rsplit(" (", 1)[0]  # the zone: in the head
        if self.now is None:
            return shown
        age = format_age(self.now - moment)
        return f"{shown} ({'just now' if age == 'now' else age + ' ago'})"

    def zone(self) -> str:
        return zone_name(self.tz, self.now or datetime.now(self.tz))


def print_thread(
    head: Mapping[str, Any],
    tweets: Sequence[Mapping[str, Any]],
    account: str,
    view: ThreadView | None,
    at: _Clock,
) -> None:
    """The whole conversation in order, ours included, with times and links."""
    from rich.text import Text

    out = console()
    out.print(_head_line(head, view, at))
    linked = ", ".join(f"#{n}" for n in head.get("linked", []))
    with_linked = f" · one timeline with {linked}" if linked else ""
    out.print(
        Text(
            f"conversation {head['conversation_id']} · {head['source']}{with_linked} · "
            f"times in {at.zone()}",
            style="dim",
        )
    )
    for t in tweets:
        if t["kind"] == "mark":
            out.print(Text(f"{at.when(t['created_at'])}  {_mark_line(t, at)}", style="dim italic"))
            continue
        ours = t["author"].lower() == account.lower()
        line = Text()
        line.append(at.when(t["created_at"]) + "  ", style="dim")
        line.append_text(safe("@" + t["author"], "bold green" if ours else "bold"))
        if t["kind"] == "dm":
            line.append("  (DM)", style="magenta")
        if t.get("note"):
            line.append(f"  ({t['note']})", style="dim")
        out.print(line)
        out.print(safe(t["text"]), overflow=None if out.soft_wrap else "fold")  # a pipe: whole
        out.print(Text(t["url"], style="dim"))


def _head_line(head: Mapping[str, Any], view: ThreadView | None, at: _Clock) -> Any:
    """`#12 open · @sam_k (Sam Kim) · waiting 2h 5m · unhappy · shipping`."""
    from rich.text import Text

    line = Text()
    line.append(f"#{head['number']} ", style="bold")
    line.append(f"{head['status']}", style="bold magenta")
    if view is None:
        return line
    who = f"@{view.author}" + (f" ({view.name})" if view.name and view.name != view.author else "")
    line.append(" · ")
    line.append_text(safe(who, "bold"))
    if view.waiting_since is not None and at.now is not None:
        line.append(f" · waiting {format_age(at.now - view.waiting_since)}")
    line.append(f" · {mood_label(view.sentiment, view.complaint)}")
    if view.tags:
        line.append(" · ")
        line.append_text(safe(", ".join(view.tags)))
    return line


def _mark_line(mark: Mapping[str, Any], at: _Clock) -> str:
    words = MARK_WORDS.get(mark["mark"], mark["mark"])
    if mark.get("until"):
        words += f" until {at.when(mark['until']).split(' (', 1)[0]}"
    return f"-- {words}" + ("" if mark["active"] else " (cancelled)")


def _item_json(item: Mapping[str, Any]) -> dict[str, Any]:
    out = {**item, "created_at": to_utc_text(item["created_at"])}
    if item.get("until") is not None:
        out["until"] = to_utc_text(item["until"])
    return out
