"""One function per command: call the core, hand the result to render. No typer, no SQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tweetdesk import render
from tweetdesk.context import Desk, exclusive
from tweetdesk.durations import format_duration
from tweetdesk.errors import UsageError
from tweetdesk.lookup import resolve
from tweetdesk.threads import ThreadView, list_threads
from tweetdesk.timeutil import to_utc_text


def _views(desk: Desk, *, include_all: bool = False) -> list[ThreadView]:
    return list_threads(
        desk.store, desk.now, desk.clock, desk.settings.tags, include_all=include_all
    )


def _require_account(desk: Desk) -> int:
    account_id = desk.account_id()
    if account_id is None:
        raise UsageError("the desk is empty: run `tweetdesk sync` first")
    return account_id


# --- sync -----------------------------------------------------------------------------------


def sync(desk: Desk, since: timedelta, *, quiet: bool) -> None:
    from tweetdesk.ledger import last_request_id, spent_after, sync_guard
    from tweetdesk.sync import run_sync

    with exclusive(desk.settings.db_path) as mine:
        if not mine:
            if not quiet:
                render.message("another tweetdesk sync is running on this desk; skipped")
            return
        before = last_request_id(desk.store)
        with render.sync_progress(enabled=not quiet) as progress:
            report = run_sync(
                desk.store,
                desk.api,
                now=desk.now,
                queries=desk.settings.listen_queries,
                since=since,
                handle=desk.settings.handle,
                progress=progress,
                before_page=sync_guard(
                    desk.store, desk.now, desk.settings.prices, desk.settings.budget_usd
                ),
            )
    for warning in report.warnings:
        render.message(f"Warning: {warning}")
    if not quiet:
        requests, cost = spent_after(desk.store, before, desk.settings.prices)
        sources = ", ".join(f"{k} {v}" for k, v in report.by_source.items() if v)
        render.message(
            f"Synced {report.new_tweets} new tweets ({sources or 'nothing new'}): "
            f"{requests} requests, about ${cost:.3f}."
        )


# --- listing --------------------------------------------------------------------------------


def _filtered(
    views: list[ThreadView], tag: str | None, author: str | None, source: str | None
) -> list[ThreadView]:
    if source and source not in ("mention", "search"):
        raise UsageError(f"bad value for --source: {source!r} (use mention or search)")
    name = author.removeprefix("@").lower() if author else None
    return [
        v
        for v in views
        if (tag is None or tag.lower().lstrip("#") in {t.lower() for t in v.tags})
        and (name is None or v.author.lower() == name)
        and (source is None or v.source == source)
    ]


def inbox(
    desk: Desk,
    *,
    show_all: bool,
    as_json: bool,
    ids_only: bool,
    tag: str | None,
    author: str | None,
    source: str | None,
) -> None:
    from tweetdesk.threads import group_inbox

    every = _views(desk, include_all=show_all)
    views = every if show_all else [v for v in every if v.status.value == "open"]
    views = _filtered(views, tag, author, source)
    if as_json:
        render.print_json([render.thread_json(v) for v in views])
    elif ids_only:
        # for `xargs tweetdesk reply`: brand talk cannot be answered through the API, so it is
        # left out unless asked for by --source search
        render.print_lines(str(v.tweet_id) for v in views if v.replyable or source == "search")
    else:
        hint = _inbox_hint(views, every if not show_all else [], desk.settings.stale_after)
        render.print_groups(group_inbox(views), desk.now, hint)


def _inbox_hint(views: list[ThreadView], hidden: list[ThreadView], stale_after: timedelta) -> str:
    """What to do next, and what the inbox leaves out (stale, snoozed) so nothing hides."""
    lines = []
    counts = {s: sum(1 for v in hidden if v.status.value == s) for s in ("stale", "snoozed")}
    if counts["stale"]:
        lines.append(
            f"{counts['stale']} waited more than {format_duration(stale_after)}: stale, not "
            "answered in public (tweetdesk stale --dry-run lists them)"
        )
    if counts["snoozed"]:
        lines.append(f"{counts['snoozed']} snoozed; tweetdesk inbox --all shows them.")
    first = next((v for v in views if v.replyable and v.status.value == "open"), None)
    if first is None:
        lines.append("Run `tweetdesk sync` to fetch new mentions.")
    else:
        lines.append(
            f'Next: tweetdesk show {first.number} | tweetdesk reply {first.number} "..." | '
            f"tweetdesk dm {first.number}. Brand talk is answered in the X app (its url)."
        )
    return "\n".join(lines)


def overdue(desk: Desk, *, as_json: bool) -> bool:
    views = [v for v in _views(desk) if v.overdue]
    if as_json:
        render.print_json([render.thread_json(v) for v in views])
    elif views:
        render.print_groups({"Overdue": views}, desk.now, "")
    return bool(views)


def show(desk: Desk, ref: str, *, as_json: bool) -> None:
    from tweetdesk.lookup import conversation, header

    target = resolve(desk.store, ref)
    head = header(desk.store, target.conversation_id, desk.now, desk.clock)
    items = conversation(desk.store, target.conversation_id)
    if as_json:
        render.print_json(
            {
                **head,
                "conversation_id": str(head["conversation_id"]),
                "items": [_item_json(i) for i in items],
            }
        )
        return
    account = desk.store.get_meta("account") or "\t\t"
    render.print_thread(head, items, account.split("\t")[1])


def _item_json(item: dict[str, Any]) -> dict[str, Any]:
    out = {**item, "created_at": to_utc_text(item["created_at"])}
    if item.get("until") is not None:
        out["until"] = to_utc_text(item["until"])
    return out


# --- local actions --------------------------------------------------------------------------


def mark(desk: Desk, ref: str, kind: str) -> None:
    from tweetdesk.actions import add_mark

    target = resolve(desk.store, ref)
    status = add_mark(desk.store, target, kind, now=desk.now, account_id=_require_account(desk))
    render.print_lines([f"Thread {target.number} is now {status}."])


def reopen(desk: Desk, ref: str) -> None:
    from tweetdesk import actions

    target = resolve(desk.store, ref)
    status = actions.reopen(
        desk.store, target, now=desk.now, clock=desk.clock, account_id=_require_account(desk)
    )
    render.print_lines([f"Thread {target.number} is now {status}."])


def snooze(desk: Desk, ref: str, until: str) -> None:
    from tweetdesk import actions
    from tweetdesk.timeutil import parse_when

    target = resolve(desk.store, ref)
    try:
        tz = desk.settings.hours.timezone if desk.settings.hours else None
        when = parse_when(until, desk.now, tz)
    except ValueError as exc:
        raise UsageError(f"bad value for --until: {exc}") from None
    actions.snooze(
        desk.store, target, when, now=desk.now, clock=desk.clock, account_id=_require_account(desk)
    )
    render.print_lines(
        [f"Thread {target.number} snoozed until {to_utc_text(when)} or the next customer tweet."]
    )


def set_muted(desk: Desk, user: str, muted: bool) -> None:
    from tweetdesk.actions import set_muted as core

    result = core(desk.store, user, muted, now=desk.now, account_id=_require_account(desk))
    verb = "Muted" if muted else "Unmuted"
    render.print_lines([f"{verb} @{result.username} ({result.threads} threads updated)."])


def stale(desk: Desk, older_than: timedelta | None, *, dry_run: bool, as_json: bool) -> None:
    from tweetdesk.actions import mark_stale

    account_id = desk.account_id()
    views = (
        []  # a desk that never synced has nothing to mark
        if account_id is None
        else mark_stale(
            desk.store,
            _views(desk),
            now=desk.now,
            clock=desk.clock,
            older_than=older_than,
            account_id=account_id,
            dry_run=dry_run,
        )
    )
    if as_json:
        render.print_json([render.thread_json(v) for v in views])
        return
    verb = "Would mark" if dry_run else "Marked"
    render.print_groups({f"{verb} stale": views}, desk.now, "")
    render.message(f"{verb} {len(views)} thread(s) stale.")


# --- auth, config, sandbox, demo ------------------------------------------------------------


def auth_login(desk: Desk) -> None:
    from tweetdesk.auth import login

    login(desk)


def auth_status(desk: Desk) -> None:
    from tweetdesk.auth import status

    render.print_lines(status(desk))


def config_check(desk: Desk, *, as_json: bool) -> None:
    from tweetdesk.configview import effective

    rows = effective(desk)
    if as_json:
        render.print_json({r["key"]: {"value": r["value"], "source": r["source"]} for r in rows})
    else:
        render.print_lines(f"{r['key']} = {r['value']}    ({r['source']})" for r in rows)


def sandbox_serve(host: str, port: int, scenario: str) -> None:
    from tweetdesk.demo import serve

    serve(host, port, scenario)


def demo() -> None:
    from tweetdesk.demo import run_demo

    result = run_demo()
    desk: Any = result.desk
    inbox(desk, show_all=False, as_json=False, ids_only=False, tag=None, author=None, source=None)
    render.print_lines(result.next_steps)
