"""What each key does to the desk: the commands' own functions (desk.marks, desk.sending,
desk.sync), so the outbox, every guard and the budget are the same as on the command line.

Each job runs in a worker thread on a Desk of its own (its own database connection, closed
after), and returns an Outcome: the line the notice shows, and what `u` would undo. A
TweetdeskError raised here reaches the notice line as it is, and the desk functions raise
before they change anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from tweetdesk.compose.draft import Wording
from tweetdesk.desk import marks, sending
from tweetdesk.desk.desk import Desk
from tweetdesk.desk.listing import SOURCES, Filters
from tweetdesk.errors import Cancelled, UsageError
from tweetdesk.triage.state import Status
from tweetdesk.triage.views import tweet_url
from tweetdesk.values.times import local_text

SYNC_SINCE = timedelta(days=7)  # as `tweetdesk sync` reaches back on a first sync


@dataclass(frozen=True)
class Outcome:
    notice: str
    sent: str | None = None  # the id of a reply that went out (what `u` undoes)


Job = Callable[[Desk], Outcome]  # one key's work, run in a worker on a desk of its own


def reply(desk: Desk, number: int, text: str) -> Outcome:
    """`tweetdesk reply N "text"` (on a DM thread: a DM into its conversation). On a stale
    public thread the screen asks first (the command wants --force); take a breath asks
    through the desk's Ui as it does at the terminal."""
    info = sending.target(desk, str(number))
    force = False
    if info.status is Status.STALE and not info.is_dm:
        question = (
            f"Thread {number} has waited longer than stale_after: a late public reply can do "
            f"more harm than good (d moves it to DM). Reply to @{info.username} in public anyway?"
        )
        if not desk.ui.ask(question):
            raise Cancelled()
        force = True
    done = sending.reply(desk, str(number), Wording(text=text), {}, force=force, yes=False)
    who = f"@{done.info.username} (thread {done.info.number})"
    at = local_text(done.before, desk.timezone, desk.now) if done.before else None
    if done.dm_link is not None:  # a DM: X cannot delete it, so nothing for `u`
        said = f"Already sent this DM to {who} at {at}" if at else f"DM sent to {who}"
        return Outcome(f"{said}: {done.dm_link}")
    link = tweet_url(done.account, int(done.item.remote_id or 0))
    said = f"Already replied to {who} at {at}, not sent again" if at else f"Replied to {who}"
    return Outcome(f"{said}: {link} · u undoes it", sent=done.item.remote_id)


def dm(desk: Desk, number: int, text: str) -> Outcome:
    """`tweetdesk dm N "text"`: the DM, then the public note (dm_invite) pointing to it."""
    done = sending.dm(
        desk, str(number), Wording(text=text), {}, note=True, fallback=False, force=False, yes=False
    )
    said = [f"DM sent to @{done.info.username}; thread {done.info.number} is now {done.status}"]
    if done.note is not None:
        said.append(f"public note {tweet_url(done.account, int(done.note.remote_id or 0))}")
    said += [f"Warning: {p}" for p in done.problems]
    return Outcome(" · ".join(said))


def undo(desk: Desk, ref: str) -> Outcome:
    """`tweetdesk undo`: the reply sent last from this screen, else the thread's last reply."""
    done = sending.undo(desk, ref)
    who = f"@{done.info.username} (thread {done.info.number})"
    return Outcome(f"Deleted reply {done.item.remote_id} to {who}; it is {done.status} again.")


def close(desk: Desk, number: int) -> Outcome:
    target, status, already = marks.close(desk, str(number))
    if already:
        return Outcome(f"Thread {target.number} is already closed; nothing recorded.")
    return Outcome(f"Thread {target.number} is now {status} · o reopens it")


def reopen(desk: Desk, number: int) -> Outcome:
    target, status = marks.reopen(desk, str(number))
    return Outcome(f"Thread {target.number} is now {status}.")


def snooze(desk: Desk, number: int, until: str) -> Outcome:
    target, wakes = marks.snooze(desk, str(number), until)
    shown = local_text(wakes, desk.timezone, desk.now)
    return Outcome(f"Thread {target.number} snoozed until {shown} or the next customer tweet")


def mute(desk: Desk, author: str) -> Outcome:
    done = marks.set_muted(desk, author, True)
    return Outcome(
        f"Muted @{done.username} ({done.threads} threads updated); "
        f"tweetdesk unmute {done.username} undoes it"
    )


def sync(desk: Desk) -> Outcome:
    from tweetdesk.desk.sync import sync as run

    done = run(desk, SYNC_SINCE, quiet=False)
    if done.report is None:
        return Outcome("Another tweetdesk sync is running on this desk; skipped.")
    dms = f" and {done.report.new_dms} new DMs" if done.report.new_dms else ""
    return Outcome(
        f"Synced {done.report.new_tweets} new tweets{dms}: {done.requests} requests, "
        f"about ${done.cost_usd:.3f}."
    )


def filters_from(text: str) -> Filters:
    """`tag:shipping author:@ann source:search` (also `#shipping`, `@ann`) as the filters
    `inbox --tag/--author/--source` take; "" clears them."""
    found: dict[str, str] = {}
    for word in text.split():
        key, sep, value = word.partition(":")
        if not sep and word[:1] in "#@":
            key, value = ("tag" if word[0] == "#" else "author"), word
        if key not in ("tag", "author", "source") or not value:
            raise UsageError(f"cannot filter by {word!r}: use tag:NAME, author:@NAME, source:KIND")
        found[key] = value
    if found.get("source") not in (None, *SOURCES):
        kinds = f"{', '.join(SOURCES[:-1])} or {SOURCES[-1]}"
        raise UsageError(f"no source {found['source']!r}: use {kinds}")
    return Filters(found.get("tag"), found.get("author"), found.get("source"))


def describe(filters: Filters) -> str:
    """The filters as the filter line reads them back (`tag:shipping source:search`)."""
    return " ".join(f"{name}:{value}" for name, value in vars(filters).items() if value)
