"""Thread state: what a conversation's tweets and active marks say, whatever the time it is read.

A thread is open while a customer tweet is newer than our last answer (our reply from any client,
or a recorded mark that acts like one); the SLA clock starts at the first such tweet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Status(StrEnum):
    OPEN = "open"
    REPLIED = "replied"
    DM = "dm"
    SNOOZED = "snoozed"
    CLOSED = "closed"
    MUTED = "muted"
    STALE = "stale"


# Marks recorded by hand (or by `stale`/`dm`) that act like our reply. A `reopen` mark does the
# opposite: the thread waits again from the moment it was reopened.
ANSWERING_MARKS = {"stale": Status.STALE, "closed": Status.CLOSED, "dm": Status.DM}
# How a customer tweet reached the desk, when X lets the app reply to it: it @mentions the
# account, or it quotes one of the account's posts (since 2026 the only two kinds).
ANSWERABLE = ("mention", "quote")


@dataclass(frozen=True)
class Item:
    """One tweet of a conversation, as triage needs it."""

    id: int
    author_id: int | None
    at: datetime
    found_via: str  # mention | quote | own | search | dm (a DM event, ours or the customer's)


@dataclass(frozen=True)
class Mark:
    kind: str  # stale | closed | dm | snooze | reopen
    at: datetime
    until: datetime | None = None
    covers: int | None = None  # the newest tweet the desk had seen when it was recorded

    def answers(self, item: Item) -> bool:
        """A mark answers (a snooze holds over) what the desk had seen: a tweet synced later
        still waits, and ends a snooze."""
        return item.id <= self.covers if self.covers is not None else item.at <= self.at


@dataclass(frozen=True)
class ThreadState:
    """What a conversation's tweets and marks say, independent of the time it is read."""

    status: Status  # open | replied | dm | closed | stale | muted | snoozed
    source: str  # mention | search | dm
    tweet_id: int  # newest customer tweet: the one a reply goes to
    customer_id: int | None
    waiting_since: datetime | None
    waiting_tweet_id: int | None
    first_customer_at: datetime
    last_customer_at: datetime
    first_response_at: datetime | None
    last_answer_at: datetime | None
    snooze_until: datetime | None


def derive_thread(
    items: Sequence[Item], marks: Sequence[Mark], *, account_id: int, muted: Iterable[int] = ()
) -> ThreadState | None:
    """Thread state from all its tweets and active marks; None when no customer ever wrote."""
    muted_ids = set(muted)
    ours = sorted(i.at for i in items if i.author_id == account_id)
    customers = sorted((i for i in items if i.author_id != account_id), key=lambda i: (i.at, i.id))
    if not customers:
        return None
    heard = [i for i in customers if i.author_id not in muted_ids]
    answers = [(at, Status.REPLIED) for at in ours]
    answers += [(m.at, ANSWERING_MARKS[m.kind]) for m in marks if m.kind in ANSWERING_MARKS]
    last_answer = max(answers, key=lambda a: a[0]) if answers else None
    waiting = [i for i in heard if not _answered(i, ours, marks)]
    reopened = _reopened_at(marks, last_answer)
    target = _reply_target(heard or customers)
    first_customer = customers[0].at
    status = _status(heard, waiting, last_answer, marks, reopened)
    snooze = _active_snooze(marks, waiting) if status is Status.SNOOZED else None
    since = reopened or (waiting[0].at if waiting else None)
    return ThreadState(
        status=status,
        source=_source(customers),
        tweet_id=target.id,
        customer_id=target.author_id,
        waiting_since=since if heard else None,
        waiting_tweet_id=(waiting[0].id if waiting else target.id) if since and heard else None,
        first_customer_at=first_customer,
        last_customer_at=customers[-1].at,
        first_response_at=next((at for at in ours if at > first_customer), None),
        last_answer_at=last_answer[0] if last_answer else None,
        snooze_until=snooze.until if snooze else None,
    )


def _source(customers: Sequence[Item]) -> str:
    """dm (a DM conversation), mention (a customer tweet mentions or quotes us) or search (brand
    talk)."""
    ways = {i.found_via for i in customers}
    return "dm" if "dm" in ways else "mention" if ways & set(ANSWERABLE) else "search"


def _answered(item: Item, ours: Sequence[datetime], marks: Sequence[Mark]) -> bool:
    if ours and item.at <= ours[-1]:
        return True
    return any(m.kind in ANSWERING_MARKS and m.answers(item) for m in marks)


def _reopened_at(
    marks: Sequence[Mark], last_answer: tuple[datetime, Status] | None
) -> datetime | None:
    """`reopen` newer than our last answer: the thread waits again, its clock from the reopen."""
    at = max((m.at for m in marks if m.kind == "reopen"), default=None)
    if at is None or (last_answer is not None and last_answer[0] >= at):
        return None
    return at


def _reply_target(customers: Sequence[Item]) -> Item:
    """The newest customer tweet, preferring one that mentions or quotes us (only those can be
    answered)."""
    mentions = [i for i in customers if i.found_via in ANSWERABLE]
    return (mentions or list(customers))[-1]


def _status(
    heard: Sequence[Item],
    waiting: Sequence[Item],
    last_answer: tuple[datetime, Status] | None,
    marks: Sequence[Mark],
    reopened: datetime | None,
) -> Status:
    if not heard:
        return Status.MUTED
    if not waiting and reopened is None:
        if last_answer is None:
            return Status.OPEN
        # The public note that goes with a DM (or any later public word) keeps it a DM thread.
        moved = any(m.kind == "dm" and m.at >= heard[-1].at for m in marks)
        return Status.DM if moved and last_answer[1] is Status.REPLIED else last_answer[1]
    return Status.SNOOZED if _active_snooze(marks, waiting) else Status.OPEN


def _active_snooze(marks: Sequence[Mark], waiting: Sequence[Item]) -> Mark | None:
    """A snooze holds until its time or the next customer tweet, whichever comes first."""
    snoozes = [m for m in marks if m.kind == "snooze" and m.until is not None]
    if not snoozes:
        return None
    latest = max(snoozes, key=lambda m: m.at)
    return latest if not waiting or latest.answers(waiting[-1]) else None
