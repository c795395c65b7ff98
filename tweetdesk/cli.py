"""The typer app: parse -> one core call -> render. The only typer import; no SQL, no tweepy.

Every command runs under `@handled`, the one place that maps errors to exit codes: a
TweetdeskError prints `Error: <one line>` on stderr and exits with its code; nothing prints a
traceback to the person.
"""

from __future__ import annotations

import functools
import gc
import os
import sqlite3
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from tweetdesk import __version__
from tweetdesk.errors import ExitCode, StoreError, TweetdeskError, UsageError

app = typer.Typer(
    name="tweetdesk",
    help="A local-first desk for answering your business's customers on X.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
auth_app = typer.Typer(help="Log in to X and check who you are.", no_args_is_help=True)
config_app = typer.Typer(help="Inspect the configuration.", no_args_is_help=True)
sandbox_app = typer.Typer(help="The built-in X API v2 simulator.", no_args_is_help=True)
app.add_typer(auth_app, name="auth")
app.add_typer(config_app, name="config")
app.add_typer(sandbox_app, name="sandbox")

F = TypeVar("F", bound=Callable[..., Any])

DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db", help="Database file (beats TWEETDESK_DB and [storage] db).", show_default=False
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
IdArg = Annotated[str, typer.Argument(help="A tweet id, a thread number, or @username.")]


def fail(message: str, code: int) -> typer.Exit:
    from tweetdesk.textsafe import clean_terminal

    one_line = " ".join(clean_terminal(message).split())
    sys.stderr.write(f"Error: {one_line}\n")
    return typer.Exit(code)


def handled(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except TweetdeskError as exc:
            raise fail(exc.message, exc.exit_code) from None
        except sqlite3.OperationalError as exc:
            raise fail(str(StoreError(f"database error: {exc}")), ExitCode.ERROR) from None
        except KeyboardInterrupt:
            raise fail("interrupted; what was done so far is kept", 130) from None

    return wrapper  # type: ignore[return-value]


def _desk(db: Path | None) -> Any:
    from tweetdesk.context import Desk

    return Desk.load(db)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tweetdesk {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Trace requests and steps on stderr.")
    ] = False,
) -> None:
    """A local-first desk for answering your business's customers on X.

    Morning: tweetdesk sync && tweetdesk inbox.  Cron: tweetdesk sync --quiet && tweetdesk alert
    """
    if verbose:
        from tweetdesk.context import enable_verbose

        enable_verbose()


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

    commands.sync(_desk(db), _duration("--since", since), quiet=quiet)


def _duration(option: str, value: str) -> timedelta:
    from tweetdesk.durations import parse_duration

    try:
        return parse_duration(value)
    except ValueError as exc:
        raise UsageError(f"bad value for {option}: {exc}") from None


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
        _desk(db),
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

    if commands.overdue(_desk(db), as_json=as_json) and exit_code:
        raise typer.Exit(ExitCode.OVERDUE)


@app.command()
@handled
def show(ref: IdArg, as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """Show a whole thread in order, your replies included.

    Example: tweetdesk show 12
    """
    from tweetdesk import commands

    commands.show(_desk(db), ref, as_json=as_json)


# --- local actions --------------------------------------------------------------------------


@app.command()
@handled
def close(ref: IdArg, db: DbOpt = None) -> None:
    """Close a thread by hand (it reopens when the customer writes again).

    Example: tweetdesk close 12
    """
    from tweetdesk import commands

    commands.mark(_desk(db), ref, "closed")


@app.command()
@handled
def reopen(ref: IdArg, db: DbOpt = None) -> None:
    """Reopen a closed, stale, snoozed, DM or answered thread: it waits for an answer again.

    Example: tweetdesk reopen 12
    """
    from tweetdesk import commands

    commands.reopen(_desk(db), ref)


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

    commands.snooze(_desk(db), ref, until)


@app.command()
@handled
def mute(user: Annotated[str, typer.Argument(help="@username")], db: DbOpt = None) -> None:
    """Mute an author (a troll): never in inbox, overdue or alerts; tweets kept as evidence.

    Example: tweetdesk mute @troll123
    """
    from tweetdesk import commands

    commands.set_muted(_desk(db), user, True)


@app.command()
@handled
def unmute(user: Annotated[str, typer.Argument(help="@username")], db: DbOpt = None) -> None:
    """Unmute an author.

    Example: tweetdesk unmute @troll123
    """
    from tweetdesk import commands

    commands.set_muted(_desk(db), user, False)


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
    """Mark threads waiting longer than a day as stale (do not answer those publicly).

    Example: tweetdesk stale --dry-run
    """
    from tweetdesk import commands

    limit = _duration("--older-than", older_than) if older_than else None
    commands.stale(_desk(db), limit, dry_run=dry_run, as_json=as_json)


# --- sending (reply, undo, dm, bulk-reply) ---------------------------------------------------

TemplateOpt = Annotated[
    str | None, typer.Option("--template", "-t", help="A template name from [templates].")
]
VarOpt = Annotated[
    list[str] | None, typer.Option("--var", help="key=value for the template (repeatable).")
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Send without asking (take a breath).")]
HeatOpt = Annotated[
    bool, typer.Option("--allow-heated", help="Send a text take-a-breath flags (angry, shouting).")
]


def _vars(pairs: list[str] | None) -> dict[str, str]:
    from tweetdesk.acting import parse_vars

    return parse_vars(pairs or [])


@app.command()
@handled
def reply(
    ref: IdArg,
    text: Annotated[str | None, typer.Argument(help="The reply (or use --template).")] = None,
    template: TemplateOpt = None,
    var: VarOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Reply even to a stale thread.")] = False,
    yes: YesOpt = False,
    allow_heated: HeatOpt = False,
    db: DbOpt = None,
) -> None:
    """Reply in public to exactly the tweet named (a thread number means its newest tweet).

    Example: tweetdesk reply 12 "Sorry about that, a new bag is on its way today!"
    """
    from tweetdesk import send_commands

    yes = yes or allow_heated
    send_commands.reply(_desk(db), ref, text, template, _vars(var), force=force, yes=yes)


@app.command()
@handled
def undo(
    ref: Annotated[str, typer.Argument(help="The reply's tweet id, or a thread (its last reply).")],
    db: DbOpt = None,
) -> None:
    """Delete a reply tweetdesk sent and reopen its thread.

    Example: tweetdesk undo 1993301234567890123
    """
    from tweetdesk import send_commands

    send_commands.undo(_desk(db), ref)


@app.command()
@handled
def dm(
    ref: IdArg,
    text: Annotated[str | None, typer.Argument(help="The direct message (or --template).")] = None,
    template: TemplateOpt = None,
    var: VarOpt = None,
    no_note: Annotated[
        bool, typer.Option("--no-note", help="Skip the public note (template dm_invite).")
    ] = False,
    fallback: Annotated[
        bool,
        typer.Option("--fallback", help="If X refuses the DM, ask in public to DM you instead."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Post the public note even on a stale thread.")
    ] = False,
    yes: YesOpt = False,
    allow_heated: HeatOpt = False,
    db: DbOpt = None,
) -> None:
    """Move a conversation to DM: message the tweet's author, then a short public note.

    Example: tweetdesk dm 12 "Hi Sam, could you send your order number? We'll fix it today."
    """
    from tweetdesk import send_commands

    send_commands.dm(
        _desk(db),
        ref,
        text,
        template,
        _vars(var),
        note=not no_note,
        fallback=fallback,
        force=force,
        yes=yes or allow_heated,
    )


@app.command("bulk-reply")
@handled
def bulk_reply(
    source: Annotated[
        str | None, typer.Argument(help="CSV (tweet_id,text|template) or JSON lines; - = stdin.")
    ] = None,
    filter_: Annotated[
        list[str] | None,
        typer.Option("--filter", help="tag=, author=, status=, source= (with --template)."),
    ] = None,
    template: TemplateOpt = None,
    var: Annotated[
        list[str] | None,
        typer.Option("--var", help="key=value for every row (a row's own value wins; repeatable)."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would be sent.")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Send more than 5 replies without asking.")
    ] = False,
    allow_heated: Annotated[
        bool,
        typer.Option("--allow-heated", help="Send rows that take-a-breath flags (else invalid)."),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Allow stale threads.")] = False,
    wait: Annotated[
        bool, typer.Option("--wait", help="On a 429, sleep until the reset (at most 15 min).")
    ] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """Send many replies, each exactly once; every row is checked before any is sent.

    Example: tweetdesk bulk-reply replies.csv --dry-run
    """
    from tweetdesk import send_commands

    send_commands.bulk_reply(
        _desk(db),
        source,
        filter_ or [],
        template,
        _vars(var),
        dry_run=dry_run,
        yes=yes,
        allow_heated=allow_heated,
        force=force,
        wait=wait,
        as_json=as_json,
    )


# --- reports (alert, stats, usage, evidence) -------------------------------------------------


@app.command()
@handled
def alert(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what each channel would get; record nothing.")
    ] = False,
    db: DbOpt = None,
) -> None:
    """Alert once about each newly overdue thread, and about a sync that stopped (for cron).

    Example: tweetdesk sync --quiet; tweetdesk alert
    """
    from tweetdesk import report_commands

    report_commands.alert(_desk(db), dry_run=dry_run)


@app.command()
@handled
def stats(
    since: Annotated[
        str, typer.Option(help="Period: threads whose first customer tweet is this recent.")
    ] = "30d",
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """Report first-response times, answered and SLA-met shares and stale threads, per tag.

    Example: tweetdesk stats --since 7d --json
    """
    from tweetdesk import report_commands

    report_commands.stats(_desk(db), _duration("--since", since), as_json=as_json)


@app.command()
@handled
def usage(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """Show this month's X API requests, their estimated cost, the budget and the price table.

    Example: tweetdesk usage --json
    """
    from tweetdesk import report_commands

    report_commands.usage(_desk(db), as_json=as_json)


@app.command()
@handled
def evidence(
    user: Annotated[str, typer.Argument(help="@username (or the user's numeric id).")],
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    db: DbOpt = None,
) -> None:
    """Export every stored tweet by a user (muted or not) for a harassment report.

    Example: tweetdesk evidence @troll123 --format csv > troll123.csv
    """
    from tweetdesk import report_commands

    report_commands.evidence(_desk(db), user, fmt)


# --- auth, config, sandbox, demo ------------------------------------------------------------


@auth_app.command("login")
@handled
def auth_login() -> None:
    """Log in to X with the OAuth 1.0a PIN flow; store the tokens in a 0600 file.

    Example: TWEETDESK_CONSUMER_KEY=... TWEETDESK_CONSUMER_SECRET=... tweetdesk auth login
    """
    from tweetdesk import commands

    commands.auth_login(_desk(None))


@auth_app.command("status")
@handled
def auth_status(db: DbOpt = None) -> None:
    """Say who you are on X (GET /2/users/me) and where the credentials come from.

    Example: tweetdesk auth status
    """
    from tweetdesk import commands

    commands.auth_status(_desk(db))


@config_app.command("check")
@handled
def config_check(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """Validate the config and print the effective settings and where each came from.

    Example: tweetdesk config check
    """
    from tweetdesk import commands

    commands.config_check(_desk(db), as_json=as_json)


@sandbox_app.command("serve")
@handled
def sandbox_serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 picks a free one).")] = 8000,
    scenario: Annotated[str, typer.Option(help="demo, empty, or a scenario JSON file.")] = "demo",
) -> None:
    """Serve the X API v2 simulator until Ctrl-C; point TWEETDESK_API_URL at it.

    Example: tweetdesk sandbox serve --port 8000 --scenario demo
    """
    from tweetdesk import commands

    commands.sandbox_serve(host, port, scenario)


@app.command()
@handled
def demo() -> None:
    """Sync a built-in sandbox desk into a demo database and show its inbox (no network).

    Example: tweetdesk demo
    """
    from tweetdesk import commands

    commands.demo()


def main() -> None:
    """The console script. A short-lived process has nothing to clean up: after the imports the
    objects are frozen out of the collector's way, and at the end the process flushes its output
    and leaves without the interpreter's teardown (freeing every module's objects one by one
    costs more than a listing itself). Writes are committed as they happen, never at exit."""
    gc.freeze()
    code = 0
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler, debugger or coverage tool wants the normal ending
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass  # the reader went away (| head); nothing left to say
    os._exit(code)
