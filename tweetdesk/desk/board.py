"""What the full-screen front end (`tweetdesk triage`) reads: the inbox with the desk's state
around it (when it last synced, what is overdue, this month's spend against the budget), one
thread whole, and a template prefilled for the thread under the cursor.

Reads only, each short: the screen stays open for hours and must hold no lock while it idles.
Its actions are the commands' own functions (desk.marks, desk.sending, desk.sync).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tweetdesk.desk.desk import Desk
from tweetdesk.desk.listing import Filters, Timeline, inbox, show
from tweetdesk.errors import UsageError
from tweetdesk.triage.views import ThreadView
from tweetdesk.values.times import from_iso


@dataclass(frozen=True)
class Board:
    views: list[ThreadView]  # as `inbox` lists them (with show_all: every thread)
    handle: str  # the account's @handle ("" before the first sync)
    synced_at: datetime | None  # the last successful sync's end
    spent_usd: float  # this month's estimated spend
    budget_usd: float | None

    @property
    def overdue(self) -> int:
        return sum(1 for v in self.views if v.overdue)


def board(desk: Desk, filters: Filters, *, show_all: bool = False) -> Board:
    from tweetdesk.reports.usage import usage

    found = inbox(desk, filters, show_all=show_all, table=False)  # every thread, no footer
    last = desk.store.last_sync()
    s = desk.settings
    spend = usage(desk.store, desk.now, s.prices, s.budget_usd)
    return Board(
        views=found.views,
        handle=desk.cached_handle(),
        synced_at=from_iso(last["finished_at"]) if last and last.get("finished_at") else None,
        spent_usd=float(spend["estimated_cost_usd"]),
        budget_usd=s.budget_usd,
    )


def thread(desk: Desk, number: int) -> Timeline:
    """One thread whole, as `show` reads it."""
    return show(desk, str(number))


def template_names(desk: Desk) -> list[str]:
    return sorted(desk.settings.templates)


def prefill(desk: Desk, number: int, template: str) -> str:
    """The template for the thread's reply target with the customer's values filled, as
    `reply --template` fills them; a placeholder only the person can fill (an order number)
    stays `{{order}}`, and sending it unfilled is refused like a missing --var."""
    from tweetdesk.compose.templates import customer_values, fill_known
    from tweetdesk.desk.sending import target

    templates = desk.settings.templates
    if template not in templates:
        raise UsageError(f"no template {template!r} in [templates]")
    info = target(desk, str(number))
    return fill_known(templates[template], customer_values(info.username, info.name))
