"""The report commands (alert, stats, usage, evidence): call the core, hand the result to render.

No typer, no SQL.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from tweetdesk import alerts, render
from tweetdesk.context import Desk, exclusive
from tweetdesk.errors import TweetdeskError


class AlertFailed(TweetdeskError):
    """At least one alert channel failed; what the others delivered is recorded."""


def alert(desk: Desk, *, dry_run: bool, as_json: bool = False) -> None:
    # Two overlapping cron runs must not both send what neither has recorded yet.
    with exclusive(Path(f"{desk.settings.db_path}.alert")) as mine:
        if not mine:
            render.message("another tweetdesk alert is running on this desk; skipped")
            return
        _alert(desk, dry_run=dry_run, as_json=as_json)


def _to_stdout(digest: alerts.Digest) -> None:
    render.print_lines([digest.subject, "", *digest.text.splitlines()])


def _alert(desk: Desk, *, dry_run: bool, as_json: bool) -> None:
    from tweetdesk.alert_channels import senders

    s = desk.settings
    found = alerts.collect(desk.store, desk.now, desk.clock, s.tags, s.sync_max_age)
    channels = senders(s, desk.env, _to_stdout)
    digests: dict[str, alerts.Digest | None] = dict.fromkeys(channels)
    if as_json:
        channels = {n: _kept(n, send, digests, dry_run=dry_run) for n, send in channels.items()}
    elif dry_run:
        channels = {name: _preview(name, _to_stdout) for name in channels}
    run = alerts.run_alerts(desk.store, desk.now, desk.clock, found, channels, record=not dry_run)
    if as_json:
        render.print_json(alerts.run_json(found, digests, run, dry_run=dry_run))
    if run.failed:
        failures = "; ".join(f"{r.error}" for r in run.failed)
        raise AlertFailed(f"alert not delivered ({failures}); the next run retries it")


def _preview(channel: str, to_stdout: alerts.Send) -> alerts.Send:
    def show(digest: alerts.Digest) -> None:
        render.message(f"--- {channel} would get:")
        to_stdout(digest)

    return show


def _kept(
    channel: str, send: alerts.Send, digests: dict[str, alerts.Digest | None], *, dry_run: bool
) -> alerts.Send:
    """--json: keep each channel's digest for the JSON. The stdout channel's digest *is* the
    JSON (it is not printed as text too); with --dry-run no channel sends."""

    def keep(digest: alerts.Digest) -> None:
        digests[channel] = digest
        if not dry_run and channel != "stdout":
            send(digest)

    return keep


def stats(desk: Desk, since: timedelta, *, as_json: bool) -> None:
    from tweetdesk.stats import compute_stats

    doc = compute_stats(desk.store, desk.now, since, desk.clock, desk.settings.tags)
    if as_json:
        render.print_json(doc)
    else:
        from tweetdesk.report_render import print_stats

        print_stats(doc)


def usage(desk: Desk, *, as_json: bool) -> None:
    from tweetdesk.ledger import usage as core

    s = desk.settings
    doc = core(desk.store, desk.now, s.prices, s.budget_usd)
    if as_json:
        render.print_json(doc)
    else:
        from tweetdesk.report_render import print_usage

        print_usage(doc)


def evidence(desk: Desk, user: str, fmt: str | None, *, as_json: bool = False) -> None:
    from tweetdesk import evidence as core

    kind = core.pick_format(fmt, as_json=as_json)
    found = core.collect(desk.store, user, desk.now)
    if kind == "json":
        sys.stdout.write(core.to_json(found) + "\n")
    else:
        sys.stdout.write(core.to_csv(found.tweets))
    render.message(f"{len(found.tweets)} tweet(s) by @{found.user['username']}.")
