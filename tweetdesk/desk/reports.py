"""The reports: alert (for cron), stats, usage and evidence. Each returns what the CLI prints;
`alert` also delivers its digests, the stdout channel through the printer the CLI hands it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tweetdesk.alerts import episodes
from tweetdesk.alerts.digest import Digest, Send
from tweetdesk.desk.desk import Desk
from tweetdesk.errors import TweetdeskError


class AlertFailed(TweetdeskError):
    """At least one alert channel failed; what the others delivered is recorded."""


@dataclass(frozen=True)
class Alerted:
    skipped: bool = False  # another alert run holds the desk
    json: dict[str, Any] | None = None  # alert --json: what each channel got
    failed: str | None = None  # the channels that failed, in a person's words

    def raise_for_outcome(self) -> None:
        if self.failed is not None:
            raise AlertFailed(f"alert not delivered ({self.failed}); the next run retries it")


def alert(
    desk: Desk, *, dry_run: bool, as_json: bool, to_stdout: Callable[[Digest], None]
) -> Alerted:
    # Two overlapping cron runs must not both send what neither has recorded yet.
    with desk.exclusive(".alert") as mine:
        if not mine:
            return Alerted(skipped=True)
        return _alert(desk, dry_run=dry_run, as_json=as_json, to_stdout=to_stdout)


def _alert(
    desk: Desk, *, dry_run: bool, as_json: bool, to_stdout: Callable[[Digest], None]
) -> Alerted:
    from tweetdesk.alerts.channels import senders

    s = desk.settings
    found = episodes.collect(desk.store, desk.now, desk.clock, s.tags, s.sync_max_age)
    channels = senders(s, desk.env, to_stdout)
    digests: dict[str, Digest | None] = dict.fromkeys(channels)
    if as_json:
        channels = {n: _kept(n, send, digests, dry_run=dry_run) for n, send in channels.items()}
    elif dry_run:
        channels = {name: _preview(desk, name, to_stdout) for name in channels}
    run = episodes.run_alerts(desk.store, desk.now, desk.clock, found, channels, record=not dry_run)
    doc = episodes.run_json(found, digests, run, dry_run=dry_run) if as_json else None
    failed = "; ".join(f"{r.error}" for r in run.failed) if run.failed else None
    return Alerted(json=doc, failed=failed)


def _preview(desk: Desk, channel: str, to_stdout: Send) -> Send:
    def show(digest: Digest) -> None:
        desk.ui.note(f"--- {channel} would get:")
        to_stdout(digest)

    return show


def _kept(channel: str, send: Send, digests: dict[str, Digest | None], *, dry_run: bool) -> Send:
    """--json: keep each channel's digest for the JSON. The stdout channel's digest *is* the
    JSON (it is not printed as text too); with --dry-run no channel sends."""

    def keep(digest: Digest) -> None:
        digests[channel] = digest
        if not dry_run and channel != "stdout":
            send(digest)

    return keep


def stats(desk: Desk, since: timedelta) -> dict[str, Any]:
    from tweetdesk.reports.stats import compute_stats

    return compute_stats(desk.store, desk.now, since, desk.clock, desk.settings.tags)


def usage(desk: Desk) -> dict[str, Any]:
    from tweetdesk.reports.usage import usage as this_month

    s = desk.settings
    return this_month(desk.store, desk.now, s.prices, s.budget_usd)


def evidence(desk: Desk, user: str, fmt: str | None, *, as_json: bool) -> tuple[str, Any]:
    """(the format, csv or json; the user's tweets) for a harassment report."""
    from tweetdesk.reports import evidence as core

    kind = core.pick_format(fmt, as_json=as_json)
    return kind, core.collect(desk.store, user, desk.now)
