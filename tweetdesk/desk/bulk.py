"""bulk-reply: rows from a file or a --filter, every row drafted and checked before any is sent
(compose.plan), then each sent exactly once through the outbox. Rerunning the same input sends
only what is missing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from tweetdesk.compose import rows as input_rows
from tweetdesk.compose.draft import Draft
from tweetdesk.compose.plan import Checks, Plan, validate
from tweetdesk.compose.rows import Row
from tweetdesk.desk import sending
from tweetdesk.desk.desk import Desk
from tweetdesk.desk.listing import thread_views
from tweetdesk.desk.sending import send_reply, within_budget
from tweetdesk.errors import (
    ApiError,
    AuthError,
    BudgetExceeded,
    Cancelled,
    CreditsDepleted,
    GuardRefused,
    NetworkError,
    RateLimited,
    ServerError,
    TweetdeskError,
    UsageError,
)
from tweetdesk.x.delivery import Delivery

MAX_RATE_LIMIT_WAIT = 15 * 60  # --wait sleeps at most one rate-limit window


@dataclass
class Outcome:
    row: Row
    draft: Draft
    state: str  # sent | already | failed | skipped
    remote_id: str | None = None
    error: str | None = None


# Answers that would be the same for every other row (X down, login revoked, no credits): they
# stop the run instead of failing each row in turn.
FAILS_EVERY_ROW = (ServerError, NetworkError, AuthError, CreditsDepleted)


class Stopped(Exception):
    """The run stopped early (429, budget, X failing): what was done, and why."""

    def __init__(self, outcomes: list[Outcome], cause: TweetdeskError) -> None:
        super().__init__(str(cause))
        self.outcomes = outcomes
        self.cause = cause


def send_plan(
    plan: Plan,
    sender: Delivery,
    *,
    batch: str,
    before_send: Callable[[Draft], None],
    wait: Callable[[RateLimited], bool],
    progress: Callable[[], None],
) -> list[Outcome]:
    """Send each planned reply once. A refusal fails its row; a 429 waits (if allowed) or
    stops the run; X failing or the budget stops it. Already-sent rows are skipped."""
    outcomes: list[Outcome] = []
    for row, draft in plan.drafts:
        existing = sender.find("reply", draft.info.id, draft.text)
        if existing is not None and existing.state == "sent":
            outcomes.append(Outcome(row, draft, "already", existing.remote_id))
            progress()
            continue
        try:
            outcomes.append(_send_row(row, draft, sender, batch, before_send, wait))
        except (RateLimited, BudgetExceeded, *FAILS_EVERY_ROW) as exc:
            raise Stopped(outcomes, exc) from None
        progress()
    return outcomes


def _send_row(
    row: Row,
    draft: Draft,
    sender: Delivery,
    batch: str,
    before_send: Callable[[Draft], None],
    wait: Callable[[RateLimited], bool],
) -> Outcome:
    while True:
        before_send(draft)
        try:
            item = send_reply(sender, draft, batch=batch)
        except RateLimited as exc:
            if wait(exc):
                continue
            raise
        except FAILS_EVERY_ROW:
            raise
        except ApiError as exc:
            return Outcome(row, draft, "failed", error=str(exc))
        return Outcome(row, draft, "sent", item.remote_id)


@dataclass
class BulkRun:
    """What a bulk-reply run did, for the CLI to print: nothing matched (`plan` None), a dry
    run (the plan), or what was sent (`outcomes`, and why it stopped early if it did)."""

    plan: Plan | None
    dry_run: bool = False
    outcomes: list[Outcome] = field(default_factory=list)
    stopped: TweetdeskError | None = None

    def raise_for_outcome(self) -> None:
        """After the report is printed: the error the run ended with, if any."""
        if self.stopped is not None:
            raise self.stopped
        if any(o.state == "failed" for o in self.outcomes):
            raise GuardRefused("some replies were refused by X (see above); the rest went out")


def bulk_reply(
    desk: Desk,
    source: str | None,
    filters: list[str],
    template: str | None,
    variables: Mapping[str, str],
    *,
    dry_run: bool,
    yes: bool,
    allow_heated: bool,
    force: bool,
    wait: bool,
) -> BulkRun:
    rows, batch = _rows(desk, source, filters, template)
    if filters and not rows:  # nothing waiting that matches: a quiet success, as in cron
        desk.ui.note(f"No thread matches --filter {' '.join(filters)}; nothing to send.")
        return BulkRun(None)
    account = desk.account().username if not dry_run else desk.cached_handle()
    checks = Checks(
        store=desk.store,
        now=desk.now,
        clock=desk.clock,
        templates=desk.settings.templates,
        account=account,
        force=force,
        allow_heat=allow_heated,
        variables=variables,
        prices=desk.settings.prices,
    )
    plan = validate(rows, checks)
    if plan.errors:
        for error in plan.errors:
            desk.ui.note(error)
        raise UsageError(f"{len(plan.errors)} row(s) are invalid; nothing was sent")
    if dry_run:
        for row, draft in plan.drafts:
            for warning in draft.warnings:
                desk.ui.note(f"{row.label}: Warning: {warning}")
        return BulkRun(plan, dry_run=True)
    if plan.pending > 5:
        _confirm_many(desk, plan, yes=yes)
    return _send(desk, plan, batch, wait=wait)


def _send(desk: Desk, plan: Plan, batch: str, *, wait: bool) -> BulkRun:
    sender = sending.delivery(desk)
    now = _running_clock(desk.now)
    with desk.ui.counting(len(plan.drafts), "replying") as tick:
        try:
            outcomes = send_plan(
                plan,
                sender,
                batch=batch,
                before_send=lambda d: within_budget(desk, [d.price_key], "the next reply"),
                wait=lambda exc: wait and _sleep_until_reset(desk, exc, now()),
                progress=tick,
            )
        except Stopped as stop:
            return BulkRun(plan, outcomes=stop.outcomes, stopped=stop.cause)
    return BulkRun(plan, outcomes=outcomes)


def _running_clock(start: datetime) -> Callable[[], datetime]:
    """The command's "now" (TWEETDESK_NOW honoured) plus the time this run has taken so far."""
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


def _rows(
    desk: Desk, source: str | None, filters: list[str], template: str | None
) -> tuple[list[Row], str]:
    if filters:
        if source is not None or template is None:
            raise UsageError("--filter goes with --template and no FILE")
        # The open threads (the default) are one listing; any other status= needs them all.
        every = input_rows.wanted_status(filters) != "open"
        views = thread_views(desk, include_all=every)
        rows = input_rows.rows_from_filter(views, filters, template)
        return rows, f"filter:{','.join(filters)}"
    if source is None:
        raise UsageError("give a FILE (or - for stdin), or --filter with --template")
    if template is not None:
        raise UsageError("--template goes with --filter; in a FILE use a template column")
    data = sys.stdin.read() if source == "-" else _read(Path(source))
    return input_rows.parse_rows(data), f"file:{source}"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # Excel's "CSV UTF-8" has a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None


SHOWN_BEFORE_ASKING = 5  # rows the bulk question lists before "and N more"


def _confirm_many(desk: Desk, plan: Plan, *, yes: bool) -> None:
    """Ask before more than 5 replies go out, showing what goes: the first rows, how many,
    and what they cost (the price table); off a terminal refuse unless --yes."""
    if yes:
        return
    from tweetdesk.output.safe import one_line

    new = [d for row, d in plan.drafts if row.line not in plan.already]
    cost = sum(desk.settings.prices.get(d.price_key, 0.0) for d in new)
    rows = [
        f"  #{d.info.number}  @{d.info.username}: {one_line(d.text, 60)}"
        for d in new[:SHOWN_BEFORE_ASKING]
    ]
    if len(new) > SHOWN_BEFORE_ASKING:
        rows.append(f"  … and {len(new) - SHOWN_BEFORE_ASKING} more")
    what = f"{len(new)} public replies would go out, about ${cost:.3f}"
    answer = desk.ui.ask("\n".join([f"{what}:", *rows, f"Send {len(new)} public replies?"]))
    if answer:
        return
    if answer is False:
        raise Cancelled()
    raise GuardRefused(f"{what}: pass --yes to send more than 5 at once")


def _sleep_until_reset(desk: Desk, exc: RateLimited, now: datetime) -> bool:
    """--wait: sleep until X's reset (plus a second) when it is within one window. A spent
    24-hour or monthly cap is never waited out: its 15-minute headers would say "soon" again
    and again while the day-long window stays closed."""
    if exc.monthly or exc.daily or exc.reset_at is None:
        return False
    delay = max((exc.reset_at - now).total_seconds() + 1, 0)
    if delay > MAX_RATE_LIMIT_WAIT:
        return False
    desk.ui.note(f"Rate-limited by X; waiting {delay:.0f}s for the reset (--wait).")
    sending.pause(delay)
    return True
