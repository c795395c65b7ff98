"""`tweetdesk demo` and `tweetdesk sandbox serve`: the built-in simulator, used for real.

The demo serves the demo desk on loopback in-process, syncs it through the real client code into
a demo database (never the user's), and leaves that database behind to explore.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from tweetdesk.config.settings import data_dir, load_settings, read_now
from tweetdesk.desk.desk import Desk
from tweetdesk.desk.listing import listing
from tweetdesk.errors import UsageError
from tweetdesk.output.safe import one_line

if TYPE_CHECKING:
    from tweetdesk.sandbox.model import Scenario
    from tweetdesk.sandbox.server import SandboxServer

DEMO_CONFIG = """\
# The demo desk's settings (tweetdesk demo writes this file once; edit freely, it is kept).
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


def _remove_desk(db: Path) -> None:
    """A desk file and its WAL, shared-memory and lock files."""
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def _fresh_demo_dir() -> Path:
    """The demo folder with a fresh database; the config is written only when missing, so the
    person's edits survive the next `tweetdesk demo`."""
    folder = data_dir() / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    _remove_desk(folder / "tweetdesk.db")
    config = folder / "config.toml"
    if not config.exists():
        config.write_text(DEMO_CONFIG, encoding="utf-8")
    return folder


def sandbox_db(port: int) -> Path:
    """The desk of `sandbox serve` on this port: never the person's own desk."""
    return data_dir() / "sandbox" / f"tweetdesk-{port}.db"


def invoked_as(argv0: str) -> str:
    """How to run tweetdesk again the way the person just did: `tweetdesk` when that name finds
    this very program on PATH, else the path they typed (`.venv/bin/tweetdesk`)."""
    script = Path(argv0)
    if script.name != "tweetdesk":  # python -m tweetdesk
        return f"{shlex.quote(sys.executable)} -m tweetdesk"
    found = shutil.which("tweetdesk")
    if found and Path(found).resolve() == script.resolve():
        return "tweetdesk"
    return shlex.quote(argv0)


def run_demo(program: str = "tweetdesk") -> DemoResult:
    """Sync the demo desk; `program` is how the printed next steps run tweetdesk."""
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
            desk.store,
            desk.api,
            now=now,
            queries=settings.listen_queries,
            since=timedelta(days=7),
            dms=settings.dm_sync,
            quotes=settings.listen_quotes,
        )
        listing(desk).score("open")
    desk.ui.note(
        f"Demo: synced {report.new_tweets} tweets and {report.new_dms} DMs from the built-in "
        f"X API simulator in {report.pages} requests."
    )
    from tweetdesk.store.lookup import answered_in_app, dm_answered_elsewhere

    by_client: dict[str, list[str]] = {}
    for number, _user, client in answered_in_app(desk.store):
        where = f"from {client}" if client else "outside tweetdesk (from the X app, say)"
        by_client.setdefault(where, []).append(str(number))
    counted = [
        f"Replies posted {where} count too: thread(s) {', '.join(numbers)} replied."
        for where, numbers in by_client.items()
    ]
    phone_dms = [f"{n} (@{user})" for n, user in dm_answered_elsewhere(desk.store)]
    if phone_dms:
        counted.append(
            f"DMs sent from the X app count too: DM thread(s) {', '.join(phone_dms)} replied."
        )
    return DemoResult(desk, counted + _next_steps(folder, program))


def _next_steps(folder: Path, me: str) -> list[str]:
    """What to try next, each line runnable as printed (`me` runs tweetdesk; paths quoted)."""
    config, db = (shlex.quote(str(folder / name)) for name in ("config.toml", "tweetdesk.db"))
    return [
        "",
        "Explore this demo desk (it stays on disk; no network needed):",
        f"  export TWEETDESK_CONFIG={config} TWEETDESK_DB={db}",
        f"  {me} inbox --all        # every thread, replied and stale included",
        f"  {me} show 1             # one whole conversation",
        f"  {me} show @priya_s      # a customer who only DMs (reply N answers by DM)",
        f"  {me} overdue --json     # what cron would alert on",
        "Reply, DM and sync for real against the simulator, in a desk of its own:",
        f"  {me} sandbox serve &    # prints the exports to paste (its own TWEETDESK_DB)",
        f"  {me} sync && {me} reply @ellie_eats 'So sorry! Whole beans are on their way'",
        f"  {me} dm @marcus_b 'Sorry! Which order was it?' && {me} sync",
        f"  {me} show @marcus_b     # his answer arrived by DM: one timeline, waiting again",
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
    serve_forever(state, host, port, lambda server: announce(*_ready(server, scenario)))


def keys_required(scenario: Scenario) -> Scenario:
    """As on X, only the right keys get in: the sandbox keys the banner prints (or the
    scenario's own `credentials`), unless the scenario file says otherwise."""
    if "require_credentials" not in scenario.options_given:
        scenario.options = scenario.options.updated({"require_credentials": True})
    return scenario


def _ready(server: SandboxServer, scenario: str) -> tuple[list[str], str | None]:
    """Once the port is bound: a fresh desk for this simulator (whose world starts anew with
    every serve), then the lines to print."""
    port = int(server.url.rsplit(":", 1)[1])
    db = sandbox_db(port)
    db.parent.mkdir(parents=True, exist_ok=True)
    _remove_desk(db)
    return _announcement(server, scenario, db)


def _announcement(server: SandboxServer, scenario: str, db: Path) -> tuple[list[str], str | None]:
    """The base URL and the exports (a database of its own, so simulated customers never land
    in the person's desk); a warning when other machines can reach the simulator (its
    /_sandbox control API has no authentication)."""
    exports = " ".join(f"{k}={v}" for k, v in SANDBOX_KEYS.items())
    where = server.url.removeprefix("http://")
    listening = "" if where == server.bound else f" (listening on {server.bound})"
    lines = [
        f"X API v2 simulator ({one_line(scenario)}) serving at {server.url}{listening}",
        "Use it from another shell (a desk of its own, fresh for this run):",
        f"  export TWEETDESK_API_URL={server.url} TWEETDESK_DB={shlex.quote(str(db))} {exports}",
        "Press Ctrl-C to stop.",
    ]
    if not server.exposed:
        return lines, None
    return lines, (
        f"listening on {server.bound}, reachable from other machines: anyone who "
        "can connect can read and post through the simulator and drive its unauthenticated "
        "/_sandbox control API (use --host 127.0.0.1 to keep it on this machine)."
    )
