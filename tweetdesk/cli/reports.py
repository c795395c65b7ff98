"""Reports: alert (for cron), stats, usage, evidence."""

from __future__ import annotations

from typing import Annotated

import typer

from tweetdesk.cli.app import DbOpt, JsonOpt, app, duration_option, handled, load_desk


@app.command()
@handled
def alert(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what each channel would get; record nothing.")
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print one JSON object: what each channel got (or would get)."),
    ] = False,
    db: DbOpt = None,
) -> None:
    """Alert once per newly overdue thread (cron).

    Also alerts about a sync that stopped.

    Example: tweetdesk sync --quiet; tweetdesk alert
    """
    from tweetdesk.desk import reports
    from tweetdesk.output import console

    done = reports.alert(
        load_desk(db), dry_run=dry_run, as_json=as_json, to_stdout=console.print_digest
    )
    if done.skipped:
        console.message("another tweetdesk alert is running on this desk; skipped")
    if done.json is not None:
        console.print_json(done.json)
    done.raise_for_outcome()


@app.command()
@handled
def stats(
    since: Annotated[
        str,
        typer.Option(
            help="Period: threads whose first customer tweet is this recent.", metavar="DURATION"
        ),
    ] = "30d",
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """Report response times, answers and SLA met.

    First-response times, answered and SLA-met shares and stale threads, per tag and day.

    Example: tweetdesk stats --since 7d --json
    """
    from tweetdesk.desk import reports
    from tweetdesk.output import reports as shown

    doc = reports.stats(load_desk(db), duration_option("--since", since))
    shown.print_stats(doc, as_json=as_json)


@app.command()
@handled
def usage(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """Show this month's API requests and cost.

    The X API requests, their estimated cost, the budget and the price table.

    Example: tweetdesk usage --json
    """
    from tweetdesk.desk import reports
    from tweetdesk.output import reports as shown

    shown.print_usage(reports.usage(load_desk(db)), as_json=as_json)


@app.command()
@handled
def evidence(
    user: Annotated[
        str, typer.Argument(help="@username (or the user's numeric id).", metavar="@USER")
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", help="csv (the default) or json.", show_default=False, metavar="csv|json"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    db: DbOpt = None,
) -> None:
    """Export a user's tweets as evidence.

    Every stored tweet by the user (muted or not), for a harassment report.

    Example: tweetdesk evidence @troll123 --format csv > troll123.csv
    """
    from tweetdesk.desk import reports
    from tweetdesk.output import reports as shown

    kind, found = reports.evidence(load_desk(db), user, fmt, as_json=as_json)
    shown.print_evidence(kind, found.as_json(), found.tweets)
