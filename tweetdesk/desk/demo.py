"""`tweetdesk demo` and `tweetdesk sandbox serve`: the built-in simulator, used for real.

The demo serves the demo desk on loopback in-process, syncs it through the real client code into
a demo database (never the user's), and leaves that database behind to explore.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from tweetdesk.config.settings import data_dir, load_settings, read_now
from tweetdesk.desk.desk import Desk
from tweetdesk.errors import UsageError
from tweetdesk.output.safe import one_line

if TYPE_CHECKING:
    from tweetdesk.sandbox.model import Scenario
    from tweetdesk.sandbox.server import SandboxServer

DEMO_CONFIG = """\
# The demo desk's settings (tweetdesk demo writes this file; edit freely).
[account]
handle = "acmeroasters"

[triage]
sla = "15m"
stale_after = "24h"

[listen]
queries = ['"Acme Roasters"']

[tags]
shipping = ["order", "delivery", "delivered", "arrived", "shipping", "parcel", "#shipping"]
grind = ["grind", "grinder", "espresso", "filter"]
subscription = ["subscription", "pause", "cancel"]
wholesale = ["wholesale", "cafe", "bulk"]

[templates]
dm_invite = "Hi {{first_name|there}}, we've sent you a DM so we can sort this out privately."
thanks = "Thank you so much, {{first_name|friend}}! Enjoy every cup."
"""
SANDBOX_KEYS = {
    "TWEETDESK_CONSUMER_KEY": "sandbox-consumer-key",
    "TWEETDESK_CONSUMER_SECRET": "sandbox-consumer-secret",
    "TWEETDESK_ACCESS_TOKEN": "sandbox-access-token",
    "TWEETDESK_ACCESS_TOKEN_SECRET": "sandbox-access-token-secret",
}


@dataclass
class DemoResult:
    desk: Desk
    next_steps: list[str]


def _fresh_demo_dir() -> Path:
    folder = data_dir() / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{folder / 'tweetdesk.db'}{suffix}").unlink(missing_ok=True)
    (folder / "config.toml").write_text(DEMO_CONFIG, encoding="utf-8")
    return folder


def run_demo() -> DemoResult:
    from tweetdesk.sandbox.scenario import load_scenario
    from tweetdesk.sandbox.server import SandboxServer
    from tweetdesk.sandbox.state import SandboxState
    from tweetdesk.x.sync import run_sync

    now = read_now()
    folder = _fresh_demo_dir()
    env = {
        "TWEETDESK_CONFIG": str(folder / "config.toml"),
        "TWEETDESK_DB": str(folder / "tweetdesk.db"),
    }
    state = SandboxState(keys_required(load_scenario("demo", now)), clock=lambda: now)
    with SandboxServer(state) as server:
        settings = replace(load_settings(env), api_url=server.url, retries=1)
        desk = Desk(settings, now, {**env, **SANDBOX_KEYS})
        report = run_sync(
            desk.store, desk.api, now=now, queries=settings.listen_queries, since=timedelta(days=7)
        )
    desk.ui.note(
        f"Demo: synced {report.new_tweets} tweets from the built-in X API simulator "
        f"in {report.pages} requests."
    )
    from tweetdesk.store.lookup import answered_in_app

    by_client: dict[str, list[str]] = {}
    for number, _user, client in answered_in_app(desk.store):
        where = f"from {client}" if client else "outside tweetdesk (from the X app, say)"
        by_client.setdefault(where, []).append(str(number))
    counted = [
        f"Replies posted {where} count too: thread(s) {', '.join(numbers)} replied."
        for where, numbers in by_client.items()
    ]
    return DemoResult(desk, counted + _next_steps(folder))


def _next_steps(folder: Path) -> list[str]:
    return [
        "",
        "Explore this demo desk (it stays on disk; no network needed):",
        f"  export TWEETDESK_CONFIG={folder / 'config.toml'}",
        f"  export TWEETDESK_DB={folder / 'tweetdesk.db'}",
        "  tweetdesk inbox --all        # every thread, replied and stale included",
        "  tweetdesk show 1             # one whole conversation",
        "  tweetdesk overdue --json     # what cron would alert on",
        "Reply, DM and sync for real against the simulator, in a desk of its own:",
        "  tweetdesk sandbox serve &    # prints the exports to paste",
        f"  export TWEETDESK_DB={folder / 'sandbox.db'}",
        '  tweetdesk sync && tweetdesk reply @ellie_eats "So sorry! Whole beans are on their way"',
    ]


Announce = Callable[[list[str], str | None], None]


def serve(host: str, port: int, scenario: str, *, announce: Announce) -> None:
    """Serve the simulator until Ctrl-C; `announce` gets the lines to print once it listens
    (and a warning when other machines can reach it)."""
    from tweetdesk.sandbox.scenario import load_scenario
    from tweetdesk.sandbox.server import serve_forever
    from tweetdesk.sandbox.state import SandboxState

    fixed = os.environ.get("TWEETDESK_NOW")
    now = read_now()
    try:
        loaded = load_scenario(scenario, now)
    except ValueError as exc:
        raise UsageError(f"bad --scenario: {exc}") from None
    state = SandboxState(keys_required(loaded), clock=(lambda: now) if fixed else None)
    serve_forever(state, host, port, lambda server: announce(*_announcement(server, scenario)))


def keys_required(scenario: Scenario) -> Scenario:
    """As on X, only the right keys get in: the sandbox keys the banner prints (or the
    scenario's own `credentials`), unless the scenario file says otherwise."""
    if "require_credentials" not in scenario.options_given:
        scenario.options = scenario.options.updated({"require_credentials": True})
    return scenario


def _announcement(server: SandboxServer, scenario: str) -> tuple[list[str], str | None]:
    """The base URL and the exports; a warning when other machines can reach the simulator
    (its /_sandbox control API has no authentication)."""
    exports = " ".join(f"{k}={v}" for k, v in SANDBOX_KEYS.items())
    where = server.url.removeprefix("http://")
    listening = "" if where == server.bound else f" (listening on {server.bound})"
    lines = [
        f"X API v2 simulator ({one_line(scenario)}) serving at {server.url}{listening}",
        "Use it from another shell:",
        f"  export TWEETDESK_API_URL={server.url} {exports}",
        "Press Ctrl-C to stop.",
    ]
    if not server.exposed:
        return lines, None
    return lines, (
        f"listening on {server.bound}, reachable from other machines: anyone who "
        "can connect can read and post through the simulator and drive its unauthenticated "
        "/_sandbox control API (use --host 127.0.0.1 to keep it on this machine)."
    )
