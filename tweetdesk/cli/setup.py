"""Set-up: auth login and status, config check, the sandbox simulator, and the demo."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from tweetdesk.cli.app import (
    DbOpt,
    JsonOpt,
    app,
    auth_app,
    config_app,
    handled,
    load_desk,
    sandbox_app,
)


@auth_app.command("login")
@handled
def auth_login() -> None:
    """Log in to X (the OAuth PIN flow).

    Stores the tokens in a 0600 file and says which account they act as.

    Example: TWEETDESK_CONSUMER_KEY=... TWEETDESK_CONSUMER_SECRET=... tweetdesk auth login
    """
    from tweetdesk.desk import login
    from tweetdesk.output.console import message

    done = login.login(load_desk(None))
    who = f" to X as @{done.handle}" if done.handle else " (tweetdesk auth status says as whom)"
    message(f"Logged in{who}. Credentials saved to {done.path} (mode 0600).")


@auth_app.command("status")
@handled
def auth_status(db: DbOpt = None) -> None:
    """Say who you are on X.

    Asks X (GET /2/users/me) and says where the credentials come from.

    Example: tweetdesk auth status
    """
    from tweetdesk.desk import login
    from tweetdesk.output.console import print_lines

    print_lines(login.status(load_desk(db)))


@config_app.command("check")
@handled
def config_check(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """Check the config and show every setting.

    Every effective setting, as config.toml writes it, and where each came from.

    Example: tweetdesk config check
    """
    from tweetdesk.desk import config_check
    from tweetdesk.output.console import print_settings

    print_settings(config_check.effective(load_desk(db)), as_json=as_json)


@sandbox_app.command("serve")
@handled
def sandbox_serve(
    host: Annotated[str, typer.Option(help="Address to listen on.", metavar="ADDRESS")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port (0 picks a free one).", metavar="PORT")] = 8000,
    scenario: Annotated[
        str, typer.Option(help="demo, empty, or a scenario JSON file.", metavar="NAME|FILE")
    ] = "demo",
) -> None:
    """Serve the X API v2 simulator until Ctrl-C.

    Prints the exports that point a desk of its own at it (TWEETDESK_API_URL, TWEETDESK_DB).

    Example: tweetdesk sandbox serve --port 8000 --scenario demo
    """
    from tweetdesk.desk import demo as demo_desk
    from tweetdesk.output.console import print_announcement

    demo_desk.serve(host, port, scenario, announce=print_announcement)


@app.command()
@handled
def demo() -> None:
    """Try tweetdesk on a built-in demo desk.

    Syncs the built-in simulator into a demo database (never yours) and shows its inbox: no
    credentials, no network.

    Example: tweetdesk demo
    """
    from tweetdesk.desk import demo as demo_desk
    from tweetdesk.desk import listing
    from tweetdesk.output import threads
    from tweetdesk.output.console import print_lines

    program = demo_desk.invoked_as(sys.argv[0])
    result = demo_desk.run_demo(program)
    found = listing.inbox(result.desk, listing.Filters(), show_all=False, program=program)
    threads.print_inbox(
        found.views, found.hint, result.desk.now, as_json=False, ids_only=False, search=False
    )
    print_lines(result.next_steps)
