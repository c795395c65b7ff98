"""Reports (alert, stats, usage, evidence) and set-up (auth, config, sandbox, demo)."""

from __future__ import annotations

from typing import Annotated

import typer

from tweetdesk.cli.app import (
    DbOpt,
    JsonOpt,
    app,
    auth_app,
    config_app,
    duration_option,
    handled,
    load_desk,
    sandbox_app,
)

# --- reports (alert, stats, usage, evidence) -------------------------------------------------


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
    """Alert once about each newly overdue thread, and about a sync that stopped (for cron).

    Example: tweetdesk sync --quiet; tweetdesk alert
    """
    from tweetdesk import report_commands

    report_commands.alert(load_desk(db), dry_run=dry_run, as_json=as_json)


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

    report_commands.stats(load_desk(db), duration_option("--since", since), as_json=as_json)


@app.command()
@handled
def usage(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """Show this month's X API requests, their estimated cost, the budget and the price table.

    Example: tweetdesk usage --json
    """
    from tweetdesk import report_commands

    report_commands.usage(load_desk(db), as_json=as_json)


@app.command()
@handled
def evidence(
    user: Annotated[str, typer.Argument(help="@username (or the user's numeric id).")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv (the default) or json.", show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    db: DbOpt = None,
) -> None:
    """Export every stored tweet by a user (muted or not) for a harassment report.

    Example: tweetdesk evidence @troll123 --format csv > troll123.csv
    """
    from tweetdesk import report_commands

    report_commands.evidence(load_desk(db), user, fmt, as_json=as_json)


# --- auth, config, sandbox, demo ------------------------------------------------------------


@auth_app.command("login")
@handled
def auth_login() -> None:
    """Log in to X with the OAuth 1.0a PIN flow; store the tokens in a 0600 file.

    Example: TWEETDESK_CONSUMER_KEY=... TWEETDESK_CONSUMER_SECRET=... tweetdesk auth login
    """
    from tweetdesk import commands

    commands.auth_login(load_desk(None))


@auth_app.command("status")
@handled
def auth_status(db: DbOpt = None) -> None:
    """Say who you are on X (GET /2/users/me) and where the credentials come from.

    Example: tweetdesk auth status
    """
    from tweetdesk import commands

    commands.auth_status(load_desk(db))


@config_app.command("check")
@handled
def config_check(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """Validate the config and print the effective settings and where each came from.

    Example: tweetdesk config check
    """
    from tweetdesk import commands

    commands.config_check(load_desk(db), as_json=as_json)


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
