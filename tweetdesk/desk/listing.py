"""The listings: inbox, overdue and one thread whole (`show`). They read the `threads` index and
never call X; the CLI prints what they return (a table, JSON or bare ids).

A table shows the most urgent `TABLE_LIMIT` threads and says how many more there are; JSON and
bare ids are complete unless a limit is given. Either way SQL picks, sorts and counts, and only
the threads returned become views.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tweetdesk.desk.desk import Desk
from tweetdesk.errors import UsageError
from tweetdesk.store.listing import Listing, Match
from tweetdesk.store.lookup import conversation, header, resolve
from tweetdesk.triage.clock import cutoffs
from tweetdesk.triage.views import ThreadView
from tweetdesk.values.durations import format_duration

SOURCES = ("mention", "search", "dm")
TABLE_LIMIT = 50  # a screenful, like gh's default


def listing(desk: Desk, *, older_than: timedelta | None = None) -> Listing:
    """The desk's listings at its `now` (the cutoffs are computed here, once per command);
    `older_than`: other stale limits for the stale scope (`stale --older-than`)."""
    clock = desk.clock
    stale_cut = cutoffs(desk.now, clock, older_than) if older_than else None
    cut = cutoffs(desk.now, clock)
    return Listing(desk.store, cut, clock, desk.settings.tags, stale_cut=stale_cut)


def thread_views(desk: Desk, *, include_all: bool = False) -> list[ThreadView]:
    """Every open thread (or every thread), most urgent first."""
    return listing(desk).threads("all" if include_all else "open")


def shown_limit(limit: int | None, *, table: bool) -> int | None:
    """--limit N (0: all); without it a table shows TABLE_LIMIT, JSON and ids everything."""
    if limit is None:
        return TABLE_LIMIT if table else None
    if limit < 0:
        raise UsageError(f"bad value for --limit: {limit} (use 0 for all, or a positive count)")
    return limit or None


@dataclass(frozen=True)
class Filters:
    tag: str | None = None
    author: str | None = None
    source: str | None = None

    def match(self, *, replyable: bool = False) -> Match:
        if self.source and self.source not in SOURCES:
            raise UsageError(f"bad value for --source: {self.source!r} (use mention, search or dm)")
        return Match(
            tag=self.tag.lower().lstrip("#") if self.tag else None,
            author=self.author.removeprefix("@") if self.author else None,
            source=self.source or None,
            replyable=replyable,
        )

    def options(self) -> list[str]:
        """The same filters as command-line options (for the hints)."""
        given = (("--tag", self.tag), ("--author", self.author), ("--source", self.source))
        return [part for name, value in given if value for part in (name, value)]


@dataclass(frozen=True)
class Inbox:
    views: list[ThreadView]
    hint: str  # what to do next, and what the inbox leaves out ("" unless for a table)


def inbox(
    desk: Desk,
    filters: Filters,
    *,
    show_all: bool = False,
    limit: int | None = None,
    table: bool = True,
    ids_only: bool = False,
    program: str = "tweetdesk",
) -> Inbox:
    """The threads waiting (or every thread), most urgent first, `limit` as `shown_limit`
    says; `ids_only`: only those answerable through the API, unless brand talk is asked for.
    `program` is how the hint's commands run tweetdesk (the demo: as the person just did)."""
    lists = listing(desk)
    scope = "all" if show_all else "open"
    match = filters.match(replyable=ids_only and filters.source != "search")
    shown = shown_limit(limit, table=table)
    views = lists.threads(scope, match, limit=shown)
    if not table:
        return Inbox(views, "")
    total = len(views) if shown is None or len(views) < shown else lists.count(scope, match)
    command = shlex.join(["inbox", *(["--all"] if show_all else []), *filters.options()])
    lines = [_more(len(views), total, f"{program} {command}")] if total > len(views) else []
    if not show_all:
        lines += _left_out(desk, lists, match, filters, program)
    lines += _next(views, program)
    return Inbox(views, "\n".join(lines))


def _more(shown: int, total: int, command: str) -> str:
    return (
        f"{total - shown:,} more not shown: `{command} --limit 0` lists "
        f"all {total:,}, `--limit N` the N most urgent."
    )


def _left_out(
    desk: Desk, lists: Listing, match: Match, filters: Filters, program: str
) -> list[str]:
    """What the inbox leaves out (stale, snoozed) so nothing hides, under the same filters."""
    lines = []
    stale = lists.count("stale", match)
    if stale:
        lines.append(
            f"{stale:,} waited more than {format_duration(desk.settings.stale_after)}: stale, "
            f"not answered in public (`{program} stale --dry-run` lists them)."
        )
    snoozed = lists.count("snoozed", match)
    if snoozed:
        command = shlex.join(["inbox", "--all", *filters.options()])
        lines.append(f"{snoozed:,} snoozed: `{program} {command}` shows them.")
    return lines


def _next(views: list[ThreadView], program: str) -> list[str]:
    lines = []
    first = next((v for v in views if v.replyable and v.status.value == "open"), None)
    if first is None:
        lines.append(f"Run `{program} sync` to fetch new mentions.")
    else:
        n, run = first.number, program
        move = "" if first.source == "dm" else f" or `{run} dm {n}`"
        lines.append(f'Next: `{run} show {n}`, `{run} reply {n} "..."`{move}.')
    if any(v.source == "search" and v.status.value == "open" for v in views):
        lines.append("Brand talk is answered in the X app (its url).")
    return lines


@dataclass(frozen=True)
class Overdue:
    views: list[ThreadView]
    total: int  # every overdue thread, shown or not
    hint: str  # how to see the rest ("" when all are shown)


def overdue(desk: Desk, *, limit: int | None = None, table: bool = True) -> Overdue:
    lists = listing(desk)
    shown = shown_limit(limit, table=table)
    views = lists.threads("overdue", limit=shown)
    total = len(views) if shown is None or len(views) < shown else lists.count("overdue")
    more = total > len(views) and table
    hint = _more(len(views), total, "tweetdesk overdue") if more else ""
    return Overdue(views, total, hint)


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
    view = listing(desk).one(found.conversation_id)
    return Timeline(head, items, desk.cached_handle() if desk.account_id() else "", view)
