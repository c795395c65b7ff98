"""Local actions on threads: close, reopen, snooze, mute, unmute, and recording stale marks.

Each checks what the thread's status allows, then writes a mark (or a muted row) and refreshes
the affected threads in one transaction. Nothing here talks to X.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tweetdesk.desk.desk import Desk
from tweetdesk.desk.listing import thread_views
from tweetdesk.errors import GuardRefused, UsageError
from tweetdesk.store import marks
from tweetdesk.store.lookup import Target, live_status, resolve
from tweetdesk.store.marks import MarkRow, Muted
from tweetdesk.triage.state import Status
from tweetdesk.triage.views import ThreadView
from tweetdesk.values.times import local_text


def close(desk: Desk, ref: str) -> tuple[Target, str, bool]:
    """Close a thread by hand; returns the thread, its stored status, and whether it was
    closed already (then nothing is recorded)."""
    target = resolve(desk.store, ref)
    account_id = desk.require_account()
    if live_status(desk.store, target.conversation_id, desk.now, desk.clock) is Status.CLOSED:
        return target, Status.CLOSED.value, True
    marks.record(
        desk.store,
        [MarkRow(target.conversation_id, "closed", target.tweet_id)],
        now=desk.now,
        account_id=account_id,
    )
    return target, marks.thread_status(desk.store, target.conversation_id), False


def reopen(desk: Desk, ref: str) -> tuple[Target, Status]:
    """Open a thread again: cancel its closed/stale/dm/snooze marks. When that alone would not
    put it back in the inbox (our reply or DM note is newest, or the wait is past stale_after),
    a `reopen` mark makes it wait again from now."""
    target = resolve(desk.store, ref)
    account_id = desk.require_account()
    store, conv, now, clock = desk.store, target.conversation_id, desk.now, desk.clock
    with store.write():
        before = live_status(store, conv, now, clock)
        if before in (Status.OPEN, Status.MUTED):
            hint = " (tweetdesk unmute the author)" if before is Status.MUTED else ""
            raise GuardRefused(f"thread {target.number} is {before}: nothing to reopen{hint}")
        marks.cancel(store, conv, now=now, account_id=account_id)
        if live_status(store, conv, now, clock) is not Status.OPEN:
            again = MarkRow(conv, "reopen", target.tweet_id, covers=False)
            marks.record(store, [again], now=now, account_id=account_id)
    return target, live_status(store, conv, now, clock)


def snooze(desk: Desk, ref: str, when: str) -> tuple[Target, datetime]:
    """Hide a thread until `when` (2h, 'tomorrow 9:00', a date and time) or the customer's next
    tweet, whichever comes first; returns the thread and the moment it wakes."""
    from tweetdesk.values.when import parse_when

    target = resolve(desk.store, ref)
    hours = desk.settings.hours
    try:
        until = parse_when(when, desk.now, desk.timezone, hours.open if hours else None)
    except ValueError as exc:
        raise UsageError(f"bad value for --until: {exc}") from None
    account_id = desk.require_account()
    if until <= desk.now:
        shown = local_text(until, desk.timezone, desk.now)
        typed = when.strip()[:40]
        raise UsageError(f"bad value for --until: {typed!r} is {shown}, not in the future")
    status = live_status(desk.store, target.conversation_id, desk.now, desk.clock)
    if status not in (Status.OPEN, Status.SNOOZED):
        raise GuardRefused(f"thread {target.number} is {status}: nothing waiting to snooze")
    marks.record(
        desk.store,
        [MarkRow(target.conversation_id, "snooze", target.tweet_id, until=until)],
        now=desk.now,
        account_id=account_id,
    )
    return target, until


def set_muted(desk: Desk, user: str, muted: bool) -> Muted:
    """Mute or unmute an author (trolls); their tweets stay stored for evidence."""
    account_id = desk.require_account()
    return marks.set_muted(desk.store, user, muted, now=desk.now, account_id=account_id)


def mark_stale(desk: Desk, older_than: timedelta | None, *, dry_run: bool) -> list[ThreadView]:
    """Record a stale mark on every open thread waiting longer than the limit (`stale_after`
    unless given; DM threads only when [dms] stale_after is set); `dry_run` only lists them."""
    account_id = desk.account_id()
    if account_id is None:
        return []  # a desk that never synced has nothing to mark
    clock = desk.clock

    def limit(view: ThreadView) -> timedelta | None:
        """DM threads only with [dms] stale_after (then --older-than applies to them too)."""
        own = clock.stale_limit(view.source)
        return own if own is None else older_than or own

    stale = [
        v
        for v in thread_views(desk)
        if v.status in (Status.OPEN, Status.STALE)
        and v.waiting_since is not None
        and (wait := limit(v)) is not None
        and desk.now - v.waiting_since > wait
    ]
    if dry_run or not stale:
        return stale
    rows = [MarkRow(v.conversation_id, "stale", v.tweet_id) for v in stale]
    marks.record(desk.store, rows, now=desk.now, account_id=account_id)
    return stale
