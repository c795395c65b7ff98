"""The SLA clock: what a stored thread state means at `now` (an ended snooze, a wait past
`stale_after`), and how long a customer has waited against the target (business time with
[hours], else wall-clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tweetdesk.triage.state import Status

if TYPE_CHECKING:
    from tweetdesk.triage.hours import BusinessHours


@dataclass(frozen=True)
class Clock:
    """The SLA settings every read-time rule needs."""

    sla: timedelta = timedelta(minutes=15)
    stale_after: timedelta = timedelta(hours=24)
    hours: BusinessHours | None = None
    dm_stale_after: timedelta | None = None  # DM threads never go stale unless [dms] sets it

    def stale_limit(self, source: str) -> timedelta | None:
        """How long a thread of `source` may wait before it is stale; None: never (a late
        private answer does no public harm, so DM threads only with [dms] stale_after)."""
        return self.dm_stale_after if source == "dm" else self.stale_after


def effective_status(
    status: Status,
    waiting_since: datetime | None,
    snooze_until: datetime | None,
    now: datetime,
    clock: Clock,
    source: str = "mention",
) -> Status:
    """Stored status plus time: an ended snooze is open again; a long wait is stale at once."""
    if status is Status.SNOOZED and (snooze_until is None or snooze_until <= now):
        status = Status.OPEN
    limit = clock.stale_limit(source)
    stale = waiting_since is not None and limit is not None and now - waiting_since > limit
    if status is Status.OPEN and stale:
        return Status.STALE
    return status


def sla_elapsed(waiting_since: datetime, now: datetime, clock: Clock) -> timedelta:
    """Time counted against the SLA: business time with [hours], else wall-clock."""
    if clock.hours is None:
        return max(now - waiting_since, timedelta(0))
    from tweetdesk.triage.hours import business_seconds

    return timedelta(seconds=business_seconds(waiting_since, now, clock.hours))


def is_overdue(status: Status, waiting_since: datetime | None, now: datetime, clock: Clock) -> bool:
    """Open and waiting strictly longer than the SLA. Stale threads are never overdue."""
    if status is not Status.OPEN or waiting_since is None:
        return False
    return sla_elapsed(waiting_since, now, clock) > clock.sla
