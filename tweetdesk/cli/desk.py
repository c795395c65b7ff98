"""Commands for the desk itself: sync, the listings, and local actions on threads."""

from __future__ import annotations

from typing import Annotated

import typer

from tweetdesk.cli.app import (
    DbOpt,
    IdArg,
    JsonOpt,
    app,
    duration_option,
    handled,
    load_desk,
)
from tweetdesk.errors import ExitCode

# --- sync -----------------------------------------------------------------------------------


@app.command()
@handled
def sync(
    since: Annotated[str, typer.Option(help="How far back the first sync reaches.")] = "7d",
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing on success (cron).")
    ] = False,
    db: DbOpt = None,
) -> None:
    """Fetch new mentions, your own replies and [listen] search results.

    Example: tweetdesk sync --quiet
    """
    from tweetdesk import commands

    commands.sync(load_desk(db), duration_option("--since", since), quiet=quiet)


# --- listing --------------------------------------------------------------------------------


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
    tag: Annotated[str | None, typer.Option(help="Only threads with this tag.")] = None,
    author: Annotated[str | None, typer.Option(help="Only threads from this @username.")] = None,
    source: Annotated[str | None, typer.Option(help="mention or search.")] = None,
    db: DbOpt = None,
) -> None:
    """Show what needs an answer, the most urgent first.

    Example: tweetdesk inbox --tag shipping --json
    """
    from tweetdesk import commands

    commands.inbox(
        load_desk(db),
        show_all=show_all,
        as_json=as_json,
        ids_only=ids_only,
        tag=tag,
        author=author,
        source=source,
    )


@app.command()
@handled
def overdue(
    as_json: JsonOpt = False,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 3 when any thread is overdue.")
    ] = False,
    db: DbOpt = None,
) -> None:
    """List threads waiting longer than the SLA target.

    Example: tweetdesk overdue --exit-code || echo "customers are waiting"
    """
    from tweetdesk import commands

    if commands.overdue(load_desk(db), as_json=as_json) and exit_code:
        raise typer.Exit(ExitCode.OVERDUE)


@app.command()
@handled
def show(ref: IdArg, as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """Show a whole thread in order, your replies included.

    Example: tweetdesk show 12
    """
    from tweetdesk import commands

    commands.show(load_desk(db), ref, as_json=as_json)


# --- local actions --------------------------------------------------------------------------


@app.command()
@handled
def close(ref: IdArg, db: DbOpt = None) -> None:
    """Close a thread by hand (it reopens when the customer writes again).

    Example: tweetdesk close 12
    """
    from tweetdesk import commands

    commands.mark(load_desk(db), ref, "closed")


@app.command()
@handled
def reopen(ref: IdArg, db: DbOpt = None) -> None:
    """Reopen a closed, stale, snoozed, DM or answered thread: it waits for an answer again.

    Example: tweetdesk reopen 12
    """
    from tweetdesk import commands

    commands.reopen(load_desk(db), ref)


@app.command()
@handled
def snooze(
    ref: IdArg,
    until: Annotated[str, typer.Option(help="2h, 'tomorrow 9:00', or a date and time.")],
    db: DbOpt = None,
) -> None:
    """Hide a thread until a time or the customer's next tweet, whichever comes first.

    Example: tweetdesk snooze 12 --until "tomorrow 9:00"
    """
    from tweetdesk import commands

    commands.snooze(load_desk(db), ref, until)


@app.command()
@handled
def mute(user: Annotated[str, typer.Argument(help="@username")], db: DbOpt = None) -> None:
    """Mute an author (a troll): never in inbox, overdue or alerts; tweets kept as evidence.

    Example: tweetdesk mute @troll123
    """
    from tweetdesk import commands

    commands.set_muted(load_desk(db), user, True)


@app.command()
@handled
def unmute(user: Annotated[str, typer.Argument(help="@username")], db: DbOpt = None) -> None:
    """Unmute an author.

    Example: tweetdesk unmute @troll123
    """
    from tweetdesk import commands

    commands.set_muted(load_desk(db), user, False)


@app.command()
@handled
def stale(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List only; record nothing.")] = False,
    older_than: Annotated[
        str | None, typer.Option(help="Override [triage] stale_after, e.g. 48h.")
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """Mark threads waiting longer than stale_after (24h) as stale: not answered in public.

    Example: tweetdesk stale --dry-run
    """
    from tweetdesk import commands

    limit = duration_option("--older-than", older_than) if older_than else None
    commands.stale(load_desk(db), limit, dry_run=dry_run, as_json=as_json)
