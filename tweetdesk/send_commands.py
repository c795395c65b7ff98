"""Glue for the commands that send: reply, undo, dm, bulk-reply. No typer, no SQL."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path

from tweetdesk import bulk, bulk_rows, render
from tweetdesk.acting import (
    DmResult,
    fill_template,
    fill_text,
    prepare_dm,
    prepare_reply,
    public_texts,
    send_dm,
    send_reply,
    target_info,
)
from tweetdesk.acting import (
    undo as core_undo,
)
from tweetdesk.context import Desk
from tweetdesk.errors import GuardRefused, RateLimited, UsageError
from tweetdesk.guards import TweetInfo, cautions
from tweetdesk.ledger import check_budget
from tweetdesk.outbox import Outbox
from tweetdesk.threads import tweet_url

MAX_RATE_LIMIT_WAIT = 15 * 60  # --wait sleeps at most one rate-limit window
pause = time.sleep  # every sleep of a sending command; tests swap it, so none really sleeps


def _outbox(desk: Desk) -> Outbox:
    return Outbox(
        desk.store,
        desk.api,
        desk.account(),
        desk.now,
        retries=desk.settings.retries,
        sleep=lambda seconds: pause(seconds),
    )


def _text(
    desk: Desk,
    info: TweetInfo,
    text: str | None,
    template: str | None,
    variables: Mapping[str, str],
) -> str:
    if (text is None) == (template is None):
        raise UsageError("give the text, or --template NAME (not both)")
    if template is not None:
        return fill_template(desk.settings.templates, template, info, variables)
    return fill_text(str(text), info, variables)


def confirm_heat(reasons: list[str], *, yes: bool) -> None:
    """Take a breath: ask on a terminal; off a terminal refuse unless --yes/--allow-heated."""
    if not reasons or yes:
        return
    summary = "; ".join(reasons)
    if sys.stdin.isatty() and sys.stderr.isatty():
        if render.confirm(f"Take a breath: {summary}. Send anyway?"):
            return
        raise GuardRefused("not sent")
    raise GuardRefused(
        f"take a breath: {summary}; not sent (pass --yes or --allow-heated to send anyway)"
    )


def _budget(desk: Desk, price_keys: list[str], what: str) -> None:
    """Refuse before the requests what would pass [budget]: all of `price_keys` together."""
    s = desk.settings
    # check_budget prices one key: give it one that costs the whole set of requests.
    prices = {**s.prices, "_together": sum(s.prices.get(k, 0.0) for k in price_keys)}
    check_budget(desk.store, desk.now, prices, s.budget_usd, "_together", 1, what)


def _reply_price(text: str) -> str:
    from tweetdesk.textstats import contains_url

    return "url_post_created" if contains_url(text) else "reply_created"


def reply(
    desk: Desk,
    ref: str,
    text: str | None,
    template: str | None,
    variables: Mapping[str, str],
    *,
    force: bool,
    yes: bool,
) -> None:
    account = desk.account()
    info = target_info(desk.store, ref, desk.now, desk.clock)
    draft = prepare_reply(
        info, _text(desk, info, text, template, variables), account=account.username, force=force
    )
    for warning in draft.warnings:
        render.message(f"Warning: {warning}")
    confirm_heat(draft.breath, yes=yes)
    _budget(desk, [_reply_price(draft.text)], "this reply")
    item = send_reply(_outbox(desk), draft)
    render.print_lines(
        [
            f"Replied to @{info.username} (thread {info.number}): "
            f"{tweet_url(account.username, int(item.remote_id or 0))}",
            f"Undo: tweetdesk undo {item.remote_id}",
        ]
    )


def undo(desk: Desk, ref: str) -> None:
    outbox = _outbox(desk)
    item = core_undo(desk.store, outbox, ref)
    from tweetdesk.actions import thread_status

    status = thread_status(desk.store, item.conversation_id)
    render.print_lines([f"Deleted reply {item.remote_id}; the thread is {status} again."])


def dm(
    desk: Desk,
    ref: str,
    text: str | None,
    template: str | None,
    variables: Mapping[str, str],
    *,
    note: bool,
    fallback: bool,
    force: bool,
    yes: bool,
) -> None:
    account = desk.account()
    info = target_info(desk.store, ref, desk.now, desk.clock)
    body = _text(desk, info, text, template, variables)
    note_text, fallback_text, notices = public_texts(
        desk.settings.templates, info, variables, note=note, fallback=fallback, force=force
    )
    for notice in notices:
        render.message(notice)
    prepare_dm(info, body, note_text, fallback_text, account=account.username)
    confirm_heat(cautions(body)[0], yes=yes)
    if fallback_text is not None and info.receives_your_dm is False:
        # X will refuse the DM: what goes out is the public reply that asks for one
        _budget(desk, [_reply_price(fallback_text)], "this public reply (the --fallback)")
    elif note_text is None:
        _budget(desk, ["dm_sent"], "this DM")
    else:
        _budget(desk, ["dm_sent", _reply_price(note_text)], "this DM and its public note")
    result = send_dm(_outbox(desk), info, body, note=note_text, fallback=fallback_text)
    _print_dm(desk, account.username, info, result)


def _print_dm(desk: Desk, account: str, info: TweetInfo, result: DmResult) -> None:
    lines = []
    if result.dm is not None:
        from tweetdesk.actions import thread_status

        status = thread_status(desk.store, info.conversation_id)
        lines.append(f"DM sent to @{info.username}; thread {info.number} is now {status}.")
    if result.note is not None:
        lines.append(f"Public note: {tweet_url(account, int(result.note.remote_id or 0))}")
    if result.fallback is not None:
        url = tweet_url(account, int(result.fallback.remote_id or 0))
        lines.append(f"Asked @{info.username} in public to DM you: {url}")
    render.print_lines(lines)
    for problem in result.problems:
        render.message(f"Warning: {problem}")


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
    as_json: bool,
) -> None:
    rows, batch = _bulk_rows(desk, source, filters, template)
    if filters and not rows:  # nothing waiting that matches: a quiet success, as in cron
        render.message(f"No thread matches --filter {' '.join(filters)}; nothing to send.")
        if as_json:
            render.print_json([])
        return
    account = desk.account().username if not dry_run else _cached_account(desk)
    checks = bulk.Checks(
        store=desk.store,
        now=desk.now,
        clock=desk.clock,
        templates=desk.settings.templates,
        account=account,
        force=force,
        allow_heat=allow_heated,
        variables=variables,
    )
    plan = bulk.validate(rows, checks)
    if plan.errors:
        for error in plan.errors:
            render.message(error)
        raise UsageError(f"{len(plan.errors)} row(s) are invalid; nothing was sent")
    if dry_run:
        for row, draft in plan.drafts:
            for warning in draft.warnings:
                render.message(f"line {row.line}: Warning: {warning}")
        render.bulk_plan(plan.drafts, plan.already, as_json=as_json)
        return
    if plan.pending > 5:
        _confirm_many(plan.pending, yes=yes)
    _send_plan(desk, plan, batch, wait=wait, as_json=as_json)


def _send_plan(desk: Desk, plan: bulk.Plan, batch: str, *, wait: bool, as_json: bool) -> None:
    outbox = _outbox(desk)
    now = _running_clock(desk.now)
    with render.counting_progress(len(plan.drafts), "replying") as tick:
        try:
            outcomes = bulk.run(
                plan,
                outbox,
                batch=batch,
                before_send=lambda d: _budget(desk, [_reply_price(d.text)], "the next reply"),
                wait=lambda exc: wait and _sleep_until_reset(exc, now()),
                progress=tick,
            )
        except bulk.Stopped as stop:
            render.bulk_outcomes(stop.outcomes, as_json=as_json)
            raise stop.cause from None
    render.bulk_outcomes(outcomes, as_json=as_json)
    if any(o.state == "failed" for o in outcomes):
        raise GuardRefused("some replies were refused by X (see above); the rest went out")


def _running_clock(start: datetime) -> Callable[[], datetime]:
    """The command's "now" (TWEETDESK_NOW honoured) plus the time this run has taken so far."""
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


def _cached_account(desk: Desk) -> str:
    cached = desk.store.get_meta("account")
    return cached.split("\t")[1] if cached else (desk.settings.handle or "")


def _bulk_rows(
    desk: Desk, source: str | None, filters: list[str], template: str | None
) -> tuple[list[bulk_rows.Row], str]:
    from tweetdesk.threads import list_threads

    if filters:
        if source is not None or template is None:
            raise UsageError("--filter goes with --template and no FILE")
        views = list_threads(desk.store, desk.now, desk.clock, desk.settings.tags, include_all=True)
        rows = bulk_rows.rows_from_filter(views, filters, template)
        return rows, f"filter:{','.join(filters)}"
    if source is None:
        raise UsageError("give a FILE (or - for stdin), or --filter with --template")
    if template is not None:
        raise UsageError("--template goes with --filter; in a FILE use a template column")
    data = sys.stdin.read() if source == "-" else _read(Path(source))
    return bulk_rows.parse_rows(data), f"file:{source}"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # Excel's "CSV UTF-8" has a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None


def _confirm_many(count: int, *, yes: bool) -> None:
    if yes:
        return
    if sys.stdin.isatty() and sys.stderr.isatty():
        if render.confirm(f"Send {count} public replies?"):
            return
        raise GuardRefused("nothing was sent")
    raise GuardRefused(f"{count} replies would go out: pass --yes to send more than 5 at once")


def _sleep_until_reset(exc: RateLimited, now: datetime) -> bool:
    """--wait: sleep until X's reset (plus a second) when it is within one window."""
    if exc.monthly or exc.reset_at is None:
        return False
    delay = max((exc.reset_at - now).total_seconds() + 1, 0)
    if delay > MAX_RATE_LIMIT_WAIT:
        return False
    render.message(f"Rate-limited by X; waiting {delay:.0f}s for the reset (--wait).")
    pause(delay)
    return True
