"""Overdue alerts for cron: what is new, one digest per channel, and what was sent.

An alert is an *episode*: a thread overdue since a given `waiting_since` (a reopened thread waits
from a new time, so it can alert again), or a stale sync keyed by the last good sync's finish
time. `alerts_sent` records each episode per channel once it was delivered there, so every run
sends only what that channel has not had yet, and a channel that failed gets it on the next run.
What a digest says lives in `digest`; delivery itself (SMTP, HTTP) in `channels`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tweetdesk.alerts.digest import TEXT_WIDTH, Alert, Digest, Send, channel_json, write_digest
from tweetdesk.errors import TweetdeskError
from tweetdesk.output.safe import one_line
from tweetdesk.store import alerts_sent
from tweetdesk.store.listing import Listing
from tweetdesk.store.store import Store
from tweetdesk.triage.clock import Clock, cutoffs
from tweetdesk.triage.views import ThreadView
from tweetdesk.values.durations import format_age, format_duration
from tweetdesk.values.times import from_iso, to_iso, to_utc_text


class DeliveryError(TweetdeskError):
    """A channel could not deliver its digest (the run exits 1; the next run retries)."""


@dataclass
class ChannelResult:
    channel: str
    alerts: int
    error: str | None = None


@dataclass
class AlertRun:
    results: list[ChannelResult] = field(default_factory=list)

    @property
    def failed(self) -> list[ChannelResult]:
        return [r for r in self.results if r.error is not None]


# --- what to alert about ------------------------------------------------------------------------


def thread_episode(view: ThreadView) -> str:
    assert view.waiting_since is not None  # an overdue thread is waiting
    return f"thread:{view.conversation_id}:{to_iso(view.waiting_since)}"


def collect(
    store: Store,
    now: datetime,
    clock: Clock,
    tag_rules: Mapping[str, Sequence[str]],
    sync_max_age: timedelta,
) -> list[Alert]:
    """Everything alert-worthy right now: a stale sync first, then overdue threads, most urgent
    first. Muted, stale and snoozed threads are never overdue, so never here."""
    alerts: list[Alert] = []
    sync_alert = stale_sync(store, now, sync_max_age)
    if sync_alert is not None:
        alerts.append(sync_alert)
    for view in Listing(store, cutoffs(now, clock), clock, tag_rules).threads("overdue"):
        alerts.append(Alert(thread_episode(view), view))
    return alerts


def stale_sync(store: Store, now: datetime, max_age: timedelta) -> Alert | None:
    """A broken cron must not look like a quiet morning: no good sync within `max_age`."""
    last = store.last_sync()
    finished = from_iso(last["finished_at"]) if last and last.get("finished_at") else None
    if finished is not None and now - finished <= max_age:
        return None
    limit = format_duration(max_age)
    if finished is None:
        lines = [f"Sync: tweetdesk has never synced successfully ([alerts] sync_max_age {limit})."]
    else:
        lines = [
            f"Sync: the last successful sync finished {to_utc_text(finished)}, "
            f"{format_age(now - finished)} ago ([alerts] sync_max_age {limit})."
        ]
    failed = store.last_sync("failed")
    if failed and failed.get("error") and (last is None or failed["id"] > last["id"]):
        lines.append(f"  The last sync failed: {one_line(str(failed['error']), TEXT_WIDTH)}")
    lines.append("  Check the cron job, or run `tweetdesk sync` by hand to see the error.")
    episode = f"sync:{to_iso(finished) if finished else 'never'}"
    return Alert(episode, None, tuple(lines))


# --- one run ------------------------------------------------------------------------------------


def run_alerts(
    store: Store,
    now: datetime,
    clock: Clock,
    alerts: Sequence[Alert],
    senders: Mapping[str, Send],
    *,
    record: bool = True,
) -> AlertRun:
    """Send each channel one digest of what it has not had; record what was delivered.

    A failing channel is reported and not recorded (retried next run); the others go on.
    """
    run = AlertRun()
    episodes = [a.episode for a in alerts]
    overdue = {a.episode for a in alerts if a.view is not None}
    for channel, send in senders.items():
        sent = alerts_sent.already_sent(store, channel, episodes)
        new = [a for a in alerts if a.episode not in sent]
        if not new:
            continue
        digest = write_digest(new, now, clock, also_waiting=len(overdue & sent))
        try:
            send(digest)
        except DeliveryError as exc:
            run.results.append(ChannelResult(channel, len(new), exc.message))
            continue
        if record:
            alerts_sent.mark_sent(
                store, channel, [(a.episode, a.conversation_id) for a in new], now
            )
        run.results.append(ChannelResult(channel, len(new)))
    return run


def run_json(
    found: Sequence[Alert],
    digests: Mapping[str, Digest | None],
    run: AlertRun,
    *,
    dry_run: bool,
) -> dict[str, Any]:
    """`alert --json`: each configured channel's digest (null: nothing new for it), and the
    stale-sync line when the sync is stale now (whether alerted before or not)."""
    errors = {r.channel: r.error for r in run.failed}
    sync = next((a.lines[0] for a in found if a.view is None), None)
    return {
        "dry_run": dry_run,
        "sync": sync,
        "channels": {
            name: None if digest is None else channel_json(name, digest, errors.get(name))
            for name, digest in digests.items()
        },
    }
