"""Commands that read the desk: sync, inbox, triage (the full screen), overdue, show."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from tweetdesk.cli.app import DbOpt, IdArg, JsonOpt, app, duration_option, handled, load_desk
from tweetdesk.errors import ExitCode

if TYPE_CHECKING:
    from tweetdesk.desk.sync import Synced


@app.command()
@handled
def sync(
    since: Annotated[
        str, typer.Option(help="How far back the first sync reaches.", metavar="DURATION")
    ] = "7d",
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing on success (cron).")
    ] = False,
    db: DbOpt = None,
) -> None:
    """Fetch new mentions, replies, brand talk and DMs.

    Mentions, your own replies (also those from the phone app), [listen] search results and
    DMs ([dms] sync): only what is new since the last sync.

    Example: tweetdesk sync --quiet
    """
    from tweetdesk.desk.sync import sync as run
    from tweetdesk.output.console import message

    done = run(load_desk(db), duration_option("--since", since), quiet=quiet)
    if not quiet:
        message(_summary(done))


def _summary(done: Synced) -> str:
    if done.report is None:
        return "another tweetdesk sync is running on this desk; skipped"
    report = done.report
    sources = ", ".join(f"{k} {v}" for k, v in report.by_source.items() if v)
    dms = f" and {report.new_dms} new DMs" if report.new_dms else ""
    return (
        f"Synced {report.new_tweets} new tweets{dms} ({sources or 'nothing new'}): "
        f"{done.requests} requests, about ${done.cost_usd:.3f}."
    )


LimitOpt = Annotated[
    int | None,
    typer.Option(
        "--limit",
        min=0,
        metavar="N",
        help="Show the N most urgent (0: all); without it a table shows 50, --json all.",
        show_default=False,
    ),
]


@app.command()
@handled
def inbox(
    show_all: Annotated[
        bool, typer.Option("--all", help="Add replied, stale, closed, snoozed and muted threads.")
    ] = False,
    as_json: JsonOpt = False,
    ids_only: Annotated[
        bool, typer.Option("-q", "--ids", help="Print bare tweet ids (for xargs).")
    ] = False,
    tag: Annotated[
        str | None, typer.Option(help="Only threads with this tag.", metavar="TAG")
    ] = None,
    author: Annotated[
        str | None, typer.Option(help="Only threads from this customer.", metavar="@USER")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            help="Only mentions, only brand talk, or only DMs.", metavar="mention|search|dm"
        ),
    ] = None,
    limit: LimitOpt = None,
    db: DbOpt = None,
) -> None:
    """Show what needs an answer, most urgent first.

    The table shows the 50 most urgent and says how many more there are (--limit N, 0: all);
    --json and -q print every thread unless --limit is given.

    Example: tweetdesk inbox --tag shipping --json
    """
    from tweetdesk.desk import listing
    from tweetdesk.output import threads

    desk = load_desk(db)
    filters = listing.Filters(tag, author, source)
    table = not (as_json or ids_only)
    found = listing.inbox(
        desk, filters, show_all=show_all, limit=limit, table=table, ids_only=ids_only
    )
    with_search = source == "search"  # bare ids of brand talk only when asked for
    threads.print_inbox(
        found.views, found.hint, desk.now, as_json=as_json, ids_only=ids_only, search=with_search
    )


@app.command()
@handled
def triage(db: DbOpt = None) -> None:
    """Work the inbox on one keyboard-driven screen.

    The inbox on the left, the thread on the right: j/k move, r reply, d DM, c close, s snooze,
    u undo, S sync, ? every key. The same guards as the commands; needs a terminal.

    Example: tweetdesk triage
    """
    import sys

    from tweetdesk.errors import UsageError

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("triage needs a terminal; in scripts use `tweetdesk inbox` (or --json)")
    from tweetdesk.desk.desk import Desk
    from tweetdesk.screen.app import run

    run(lambda ui: Desk.load(db, ui=ui))


@app.command()
@handled
def overdue(
    as_json: JsonOpt = False,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 3 when any thread is overdue.")
    ] = False,
    limit: LimitOpt = None,
    db: DbOpt = None,
) -> None:
    """List threads waiting past the SLA target.

    The table shows the 50 most urgent (--limit N, 0: all); --json prints every one unless
    --limit is given.

    Example: tweetdesk overdue --exit-code || echo "customers are waiting"
    """
    from tweetdesk.desk import listing
    from tweetdesk.output import threads

    desk = load_desk(db)
    found = listing.overdue(desk, limit=limit, table=not as_json)
    threads.print_overdue(found.views, found.hint, desk.now, as_json=as_json)
    if found.total and exit_code:
        raise typer.Exit(ExitCode.OVERDUE)


@app.command()
@handled
def show(ref: IdArg, as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """Show a whole thread, your replies included.

    Example: tweetdesk show 12
    """
    from tweetdesk.desk import listing
    from tweetdesk.output import timeline

    desk = load_desk(db)
    found = listing.show(desk, ref)
    timeline.print_timeline(
        found.head,
        found.items,
        found.account,
        as_json=as_json,
        view=found.view,
        tz=desk.timezone,
        now=desk.now,
    )
