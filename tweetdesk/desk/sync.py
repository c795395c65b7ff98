"""`sync`: one incremental sync of mentions, the account's own tweets, [listen] searches and
DMs ([dms] sync), under the desk's lock (a second sync steps aside) and the budget guard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tweetdesk.desk.desk import Desk
from tweetdesk.desk.listing import listing
from tweetdesk.store.ledger import last_request_id, spent_after, sync_guard
from tweetdesk.x.sync import SyncReport, run_sync


@dataclass(frozen=True)
class Synced:
    report: SyncReport | None  # None: another sync holds the desk, this one stepped aside
    requests: int = 0
    cost_usd: float = 0.0


def sync(desk: Desk, since: timedelta, *, quiet: bool) -> Synced:
    with desk.exclusive() as mine:
        if not mine:
            return Synced(None)
        before = last_request_id(desk.store)
        with desk.ui.sync_progress(enabled=not quiet) as progress:
            report = run_sync(
                desk.store,
                desk.api,
                now=desk.now,
                queries=desk.settings.listen_queries,
                since=since,
                handle=desk.settings.handle,
                dms=desk.settings.dm_sync,
                quotes=desk.settings.listen_quotes,
                progress=progress,
                before_page=sync_guard(
                    desk.store, desk.now, desk.settings.prices, desk.settings.budget_usd
                ),
            )
        # Sentiment and tags for what the inbox will show, once the sync knows what is
        # answered: never for the answered or stale history.
        listing(desk).score("open")
    for warning in report.warnings:
        desk.ui.note(f"Warning: {warning}")
    requests, cost = spent_after(desk.store, before, desk.settings.prices)
    return Synced(report, requests, cost)
