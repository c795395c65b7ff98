"""Commands that act on threads locally: close, reopen, snooze, mute, unmute, stale."""

from __future__ import annotations

from typing import Annotated

import typer

from tweetdesk.cli.app import DbOpt, IdArg, JsonOpt, app, duration_option, handled, load_desk

UserArg = Annotated[str, typer.Argument(help="The author's @username.", metavar="@USER")]


def _say(line: str) -> None:
    from tweetdesk.output.console import print_lines

    print_lines([line])


@app.command()
@handled
def close(ref: IdArg, db: DbOpt = None) -> None:
    """Close a thread by hand.

    It reopens when the customer writes again.

    Example: tweetdesk close 12
    """
    from tweetdesk.desk import marks

    target, status, already = marks.close(load_desk(db), ref)
    if already:
        _say(f"Thread {target.number} is already closed; nothing recorded.")
    else:
        _say(f"Thread {target.number} is now {status}.")


@app.command()
@handled
def reopen(ref: IdArg, db: DbOpt = None) -> None:
    """Reopen a thread so it waits for an answer.

    A closed, stale, snoozed, DM or answered thread waits for an answer again.

    Example: tweetdesk reopen 12
    """
    from tweetdesk.desk import marks

    target, status = marks.reopen(load_desk(db), ref)
    _say(f"Thread {target.number} is now {status}.")


@app.command()
@handled
def snooze(
    ref: IdArg,
    until: Annotated[
        str,
        typer.Option(
            help="2h, 10pm, 'tomorrow 9:00', fri, 'Dec 3 14:00' (a day alone: [hours] open).",
            metavar="WHEN",
        ),
    ],
    db: DbOpt = None,
) -> None:
    """Hide a thread until a time or its next tweet.

    Until the time or the customer's next tweet, whichever comes first. Clock times are read
    in the desk's timezone ([hours] timezone, else the machine's); a time without minutes means
    :00, a day without a time its opening time.

    Example: tweetdesk snooze 12 --until 'tomorrow 9am'
    """
    from tweetdesk.desk import marks
    from tweetdesk.values.times import local_text

    desk = load_desk(db)
    target, when = marks.snooze(desk, ref, until)
    shown = local_text(when, desk.timezone, desk.now)
    _say(f"Thread {target.number} snoozed until {shown} or the next customer tweet.")


@app.command()
@handled
def mute(user: UserArg, db: DbOpt = None) -> None:
    """Mute an author (a troll).

    Never in inbox, overdue or alerts; their tweets are kept as evidence.

    Example: tweetdesk mute @troll123
    """
    from tweetdesk.desk import marks

    done = marks.set_muted(load_desk(db), user, True)
    _say(f"Muted @{done.username} ({done.threads} threads updated).")


@app.command()
@handled
def unmute(user: UserArg, db: DbOpt = None) -> None:
    """Unmute an author.

    Example: tweetdesk unmute @troll123
    """
    from tweetdesk.desk import marks

    done = marks.set_muted(load_desk(db), user, False)
    _say(f"Unmuted @{done.username} ({done.threads} threads updated).")


@app.command()
@handled
def stale(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List only; record nothing.")] = False,
    older_than: Annotated[
        str | None,
        typer.Option(help="Override [triage] stale_after, e.g. 48h.", metavar="DURATION"),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """Record stale marks on day-old threads.

    Threads waiting longer than [triage] stale_after (24h) are not answered in public.

    Example: tweetdesk stale --dry-run
    """
    from tweetdesk.desk import marks
    from tweetdesk.output import threads

    limit = duration_option("--older-than", older_than) if older_than else None
    desk = load_desk(db)
    views = marks.mark_stale(desk, limit, dry_run=dry_run)
    shown = limit or desk.clock.stale_after
    threads.print_stale(views, desk.now, shown, dry_run=dry_run, as_json=as_json)
