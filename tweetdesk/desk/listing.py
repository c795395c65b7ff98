"""The listings: inbox, overdue and one thread whole (`show`). They read the `threads` index and
never call X; the CLI prints what they return (a table, JSON or bare ids).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tweetdesk.desk.desk import Desk
from tweetdesk.errors import UsageError
from tweetdesk.store.listing import list_threads, one_thread
from tweetdesk.store.lookup import conversation, header, resolve
from tweetdesk.triage.views import ThreadView
from tweetdesk.values.durations import format_duration

SOURCES = ("mention", "search", "dm")


def thread_views(desk: Desk, *, include_all: bool = False) -> list[ThreadView]:
    """Every active thread (or every thread), most urgent first."""
    return list_threads(
        desk.store, desk.now, desk.clock, desk.settings.tags, include_all=include_all
    )


@dataclass(frozen=True)
class Filters:
    tag: str | None = None
    author: str | None = None
    source: str | None = None

    def keep(self, views: list[ThreadView]) -> list[ThreadView]:
        if self.source and self.source not in SOURCES:
            raise UsageError(f"bad value for --source: {self.source!r} (use mention, search or dm)")
        name = self.author.removeprefix("@").lower() if self.author else None
        tag = self.tag.lower().lstrip("#") if self.tag else None
        return [
            v
            for v in views
            if (tag is None or tag in {t.lower() for t in v.tags})
            and (name is None or v.author.lower() == name)
            and (self.source is None or v.source == self.source)
        ]


@dataclass(frozen=True)
class Inbox:
    views: list[ThreadView]
    hint: str  # what to do next, and what the inbox leaves out


def inbox(desk: Desk, filters: Filters, *, show_all: bool) -> Inbox:
    every = thread_views(desk, include_all=show_all)
    views = every if show_all else [v for v in every if v.status.value == "open"]
    views = filters.keep(views)
    hint = _inbox_hint(views, every if not show_all else [], desk.settings.stale_after)
    return Inbox(views, hint)


def _inbox_hint(views: list[ThreadView], hidden: list[ThreadView], stale_after: timedelta) -> str:
    """What to do next, and what the inbox leaves out (stale, snoozed) so nothing hides."""
    lines = []
    counts = {s: sum(1 for v in hidden if v.status.value == s) for s in ("stale", "snoozed")}
    if counts["stale"]:
        lines.append(
            f"{counts['stale']} waited more than {format_duration(stale_after)}: stale, not "
            "answered in public (tweetdesk stale --dry-run lists them)"
        )
    if counts["snoozed"]:
        lines.append(f"{counts['snoozed']} snoozed; tweetdesk inbox --all shows them.")
    first = next((v for v in views if v.replyable and v.status.value == "open"), None)
    if first is None:
        lines.append("Run `tweetdesk sync` to fetch new mentions.")
    else:
        move = "" if first.source == "dm" else f" | tweetdesk dm {first.number}"
        lines.append(
            f'Next: tweetdesk show {first.number} | tweetdesk reply {first.number} "..."{move}. '
            "Brand talk is answered in the X app (its url)."
        )
    return "\n".join(lines)


def overdue(desk: Desk) -> list[ThreadView]:
    return [v for v in thread_views(desk) if v.overdue]


@dataclass(frozen=True)
class Timeline:
    """One thread whole: its header (number, live status, source, conversation) and its items
    in order, tweets and marks, ours included."""

    head: dict[str, Any]
    items: list[dict[str, Any]]
    account: str  # the account's @handle, to tell our tweets apart
    view: ThreadView | None = None  # the thread as the inbox lists it: who, how long, mood


def show(desk: Desk, ref: str) -> Timeline:
    found = resolve(desk.store, ref)
    head = header(desk.store, found.conversation_id, desk.now, desk.clock)
    items = conversation(desk.store, found.conversation_id)
    s = desk.settings
    view = one_thread(desk.store, found.conversation_id, desk.now, desk.clock, s.tags)
    return Timeline(head, items, desk.cached_handle() if desk.account_id() else "", view)
