"""Response statistics over a period: how fast and how often the desk answered, per tag and day.

The period holds the threads whose first customer tweet falls within `since` of now (muted
threads excluded). A thread's first-response time is our first tweet in it (from any client)
minus its first customer tweet, wall-clock. The SLA is met when that first answer came within
the target, counted in business time when [hours] is set; an unanswered thread counts as missed
once its target has passed, and is left out of `sla_met_pct` while it still could be met.
`stale` counts threads (each once) that went stale in the period: a stale mark recorded then, or
stale now by effective status (a wait past `stale_after` is stale at once, marked or not) with
that moment inside the period.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from tweetdesk.store import history
from tweetdesk.store.store import Store
from tweetdesk.triage.clock import Clock, effective_status, sla_elapsed
from tweetdesk.triage.state import Status
from tweetdesk.triage.tags import tags_for
from tweetdesk.values.times import from_iso, to_utc_text

KEYS = (
    "received",
    "answered",
    "answered_pct",
    "first_response_median_minutes",
    "first_response_p90_minutes",
    "sla_met_pct",
    "stale",
)


@dataclass(frozen=True)
class ThreadStat:
    conversation_id: int
    source: str
    first_customer_at: datetime
    first_response_at: datetime | None
    tags: tuple[str, ...]

    @property
    def response_minutes(self) -> float | None:
        if self.first_response_at is None:
            return None
        return (self.first_response_at - self.first_customer_at).total_seconds() / 60


def _tags(row: Any, rules: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    return tuple(tags_for(row["text"] or "", json.loads(row["hashtags"] or "[]"), rules))


def load_threads(
    store: Store, start: datetime, now: datetime, rules: Mapping[str, Sequence[str]]
) -> list[ThreadStat]:
    rows = history.period_threads(store, start, now)
    return [
        ThreadStat(
            conversation_id=r["conversation_id"],
            source=r["source"],
            first_customer_at=from_iso(r["first_customer_at"]),
            first_response_at=from_iso(r["first_response_at"]) if r["first_response_at"] else None,
            tags=_tags(r, rules),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class StaleThread:
    """A thread that went stale in the period: marked stale then, or stale now by its wait."""

    source: str
    tags: tuple[str, ...]


def went_stale(row: Any, start: datetime, now: datetime, clock: Clock) -> bool:
    """Marked stale in the period, or stale now (SPEC: "counts as stale at once") with the
    moment it became stale, `stale_after` into its wait, inside the period."""
    if row["marked"]:
        return True
    since = from_iso(row["waiting_since"])
    until = from_iso(row["snooze_until"]) if row["snooze_until"] else None
    status = effective_status(Status(row["status"]), since, until, now, clock, row["source"])
    limit = clock.stale_limit(row["source"])
    return status is Status.STALE and limit is not None and since + limit >= start


def load_stale(
    store: Store, start: datetime, now: datetime, clock: Clock, rules: Mapping[str, Sequence[str]]
) -> list[StaleThread]:
    """Each thread once, however many stale marks it has."""
    shortest = min(x for x in (clock.stale_after, clock.dm_stale_after) if x is not None)
    rows = history.stale_candidates(store, start, now, now - shortest)
    return [
        StaleThread(r["source"], _tags(r, rules)) for r in rows if went_stale(r, start, now, clock)
    ]


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _minutes(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def percentile(values: Sequence[float], q: int) -> float | None:
    """The q-th percentile with linear interpolation between ranks (numpy's default)."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def sla_outcome(t: ThreadStat, now: datetime, clock: Clock) -> bool | None:
    """True met, False missed, None not decided yet (unanswered, target not yet passed)."""
    if t.first_response_at is not None:
        return sla_elapsed(t.first_customer_at, t.first_response_at, clock) <= clock.sla
    if sla_elapsed(t.first_customer_at, now, clock) <= clock.sla:
        return None
    return False


def summarize(
    threads: Sequence[ThreadStat], stale: int, now: datetime, clock: Clock
) -> dict[str, Any]:
    times = sorted(m for t in threads if (m := t.response_minutes) is not None)
    outcomes = [o for t in threads if (o := sla_outcome(t, now, clock)) is not None]
    return {
        "received": len(threads),
        "answered": len(times),
        "answered_pct": _pct(len(times), len(threads)),
        "first_response_median_minutes": _minutes(statistics.median(times) if times else None),
        "first_response_p90_minutes": _minutes(percentile(times, 90)),
        "sla_met_pct": _pct(sum(outcomes), len(outcomes)),
        "stale": stale,
    }


def by_day(
    threads: Iterable[ThreadStat], start: datetime, now: datetime, tz: tzinfo
) -> list[dict[str, Any]]:
    """Median first response per local day of the first customer tweet; every day listed."""
    days: dict[date, list[ThreadStat]] = {}
    day = start.astimezone(tz).date()
    while day <= now.astimezone(tz).date():
        days[day] = []
        day += timedelta(days=1)
    for t in threads:
        days.setdefault(t.first_customer_at.astimezone(tz).date(), []).append(t)
    out = []
    for day, items in sorted(days.items()):
        times = [m for t in items if (m := t.response_minutes) is not None]
        median = statistics.median(times) if times else None
        out.append(
            {
                "date": day.isoformat(),
                "received": len(items),
                "answered": len(times),
                "first_response_median_minutes": _minutes(median),
            }
        )
    return out


def compute_stats(
    store: Store,
    now: datetime,
    since: timedelta,
    clock: Clock,
    rules: Mapping[str, Sequence[str]],
) -> dict[str, Any]:
    """The `stats --json` document: the SPEC's keys, then by_tag, by_source and by_day."""
    start = now - since
    threads = load_threads(store, start, now, rules)
    stale = load_stale(store, start, now, clock, rules)
    tags = sorted({g for t in threads for g in t.tags} | {g for s in stale for g in s.tags})
    by_tag = {
        tag: summarize(
            [t for t in threads if tag in t.tags],
            sum(1 for s in stale if tag in s.tags),
            now,
            clock,
        )
        for tag in tags
    }
    by_source = {
        source: summarize(
            [t for t in threads if t.source == source],
            sum(1 for s in stale if s.source == source),
            now,
            clock,
        )
        for source in sorted({t.source for t in threads} | {s.source for s in stale})
    }
    tz = clock.hours.timezone if clock.hours else UTC
    return {
        "since": to_utc_text(start),
        "until": to_utc_text(now),
        "sla_minutes": round(clock.sla.total_seconds() / 60, 1),
        **summarize(threads, len(stale), now, clock),
        "by_tag": by_tag,
        "by_source": by_source,
        "timezone": str(tz),
        "by_day": by_day(threads, start, now, tz),
    }
