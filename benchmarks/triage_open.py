"""How long `tweetdesk triage` takes to open: time to first paint of the inbox, on a flooded desk.

    python benchmarks/triage_open.py                    # builds the flooded desk, then measures
    python benchmarks/triage_open.py --desk DIR         # a desk built before (tweetdesk.db there)
    python benchmarks/run.py --keep && python benchmarks/triage_open.py --desk WORKDIR
                                                        # the benchmarks' own flooded desk
    python benchmarks/triage_open.py --mentions 200 --customers 60 --rounds 1 --json

The flooded desk: 20,000 mentions over 6 days from 6,000 customers, none answered (a desk that
ignored X for a while): thousands of fresh threads, most of them stale. It is synced through the
real client from the in-process X API simulator (limits raised) into DIR/tweetdesk.db.

First paint is measured with Textual's headless pilot: from building the app (which opens the
desk) until the inbox's first screen has been read and painted. `in-process` runs each round
in this process (Textual and tweetdesk already imported); `fresh process` runs one round in a
new Python, so Python's start and every import are counted too, as a person at a terminal sees.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
KEYS = {
    "TWEETDESK_CONSUMER_KEY": "sandbox-consumer-key",
    "TWEETDESK_CONSUMER_SECRET": "sandbox-consumer-secret",
    "TWEETDESK_ACCESS_TOKEN": "sandbox-access-token",
    "TWEETDESK_ACCESS_TOKEN_SECRET": "sandbox-access-token-secret",
}
OPENERS = (
    "hi, any update on order #{n}? it's been a week",
    "loving the new Guji beans, thanks! ({n})",
    "my delivery {n} arrived damaged :( the bag was torn open",
    "do you ship to Ireland? asking for order {n}",
    "is the Holiday Blend back in stock yet? #restock {n}",
    "still waiting for my refund on order {n}, this is really disappointing",
    "what grind should I pick for an AeroPress? #brewing {n}",
    "best coffee I've had all year, seriously great work {n}",
    "charged twice for my subscription this month?? order {n}",
    "can I change the delivery address for order {n}? #shipping",
    "the website keeps logging me out when I try to pay ({n})",
    "WHERE IS MY ORDER {n}??? THIS IS RIDICULOUS",
)
CONFIG = '[account]\nhandle = "acmeroasters"\n[tags]\nshipping = ["order", "delivery"]\n'


def database(folder: Path) -> Path:
    """The desk in `folder`: its tweetdesk.db, or the flooded desk of a benchmarks work
    directory (`python benchmarks/run.py --keep` leaves flooded/desk.db beside config.toml)."""
    bench = folder / "flooded" / "desk.db"
    return bench if bench.exists() else folder / "tweetdesk.db"


def env_for(folder: Path) -> dict[str, str]:
    return {
        "TWEETDESK_CONFIG": str(folder / "config.toml"),
        "TWEETDESK_DB": str(database(folder)),
        "TWEETDESK_NOW": NOW.isoformat(),
    }


def build(folder: Path, mentions: int, customers: int, days: int) -> str:
    """Sync a flooded desk into `folder` from the simulator; returns what was built."""
    from tweetdesk.config.settings import load_settings
    from tweetdesk.desk.desk import Desk
    from tweetdesk.sandbox.model import DEFAULT_RATE_LIMITS
    from tweetdesk.sandbox.scenario import load_scenario
    from tweetdesk.sandbox.server import SandboxServer
    from tweetdesk.sandbox.state import SandboxState
    from tweetdesk.x.sync import run_sync

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(CONFIG)
    rng = random.Random(15)
    scenario = load_scenario("empty", NOW)
    scenario.mentions_cap = scenario.timeline_cap = 10**9
    scenario.rate_limits = dict.fromkeys(DEFAULT_RATE_LIMITS, 10**9)
    state = SandboxState(scenario, clock=lambda: NOW)
    for k in range(customers):
        followers = int(rng.lognormvariate(4.5, 1.6))
        state.add_user(f"cust{k}", name=f"Customer {k}", followers_count=followers)
    account = state.account["username"]
    span = timedelta(days=days) - timedelta(minutes=1)
    for i in range(mentions):
        when = NOW - span + (i + rng.random()) * span / mentions
        text = f"@{account} " + OPENERS[i % len(OPENERS)].format(n=i)
        state.add_tweet(f"cust{rng.randrange(customers)}", text, created_at=when)
    env = {**env_for(folder), **KEYS}
    with SandboxServer(state) as server:
        settings = replace(load_settings(env), api_url=server.url, retries=1)
        desk = Desk(settings, NOW, env)
        report = run_sync(desk.store, desk.api, now=NOW, queries=[], since=timedelta(days=7))
        desk.close()
    return f"{report.new_tweets} mentions from {customers} customers over {days} days"


async def first_paint(size: tuple[int, int]) -> tuple[float, int, float]:
    """Seconds from building the app to its first painted inbox, the threads it shows, and
    the wall-clock moment of that paint."""
    from tweetdesk.desk.desk import Desk
    from tweetdesk.screen.app import TriageApp

    started = time.perf_counter()
    app = TriageApp(lambda ui: Desk.load(ui=ui))
    async with app.run_test(size=size) as pilot:
        while app.board is None:
            await pilot.pause(0.001)
        await pilot.pause()  # the frame with the inbox in it
        elapsed, painted_at = time.perf_counter() - started, time.time()
        shown = len(app.board.views)
        app.exit()
    return elapsed, shown, painted_at


def inbox_read() -> float:
    """Seconds of the screen's first read alone (`desk.board.board`: the inbox as `tweetdesk
    inbox` reads it, the last sync, this month's spend), on a desk opened before."""
    from tweetdesk.desk.board import board
    from tweetdesk.desk.desk import Desk
    from tweetdesk.desk.listing import Filters

    desk = Desk.load()
    assert desk.store  # opened outside the timing, as the app opens it before its first read
    started = time.perf_counter()
    board(desk, Filters())
    elapsed = time.perf_counter() - started
    desk.close()
    return elapsed


def fresh_process(folder: Path, size: tuple[int, int]) -> float:
    """One round in a new Python: from starting it to the first paint (its start, every import,
    opening the desk, reading and painting the inbox)."""
    code = (
        "import asyncio, sys; sys.path.insert(0, 'benchmarks'); import triage_open as t; "
        f"print(asyncio.run(t.first_paint({size!r}))[2])"
    )
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env_for(folder)},
        check=True,
        capture_output=True,
        cwd=Path(__file__).resolve().parents[1],
        text=True,
    )
    return float(done.stdout.split()[-1]) - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desk", type=Path, help="a desk folder built before (else a temp one)")
    parser.add_argument("--mentions", type=int, default=20_000)
    parser.add_argument("--customers", type=int, default=6_000)
    parser.add_argument("--days", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", default="160x48", help="terminal columns x lines")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    columns, lines = (int(n) for n in args.size.split("x"))
    folder = args.desk or Path(tempfile.mkdtemp(prefix="triage-open-"))
    built = "an existing desk"
    if not database(folder).exists():
        built = build(folder, args.mentions, args.customers, args.days)
    os.environ.update(env_for(folder))
    rounds = [asyncio.run(first_paint((columns, lines))) for _ in range(args.rounds)]
    fresh = [fresh_process(folder, (columns, lines)) for _ in range(args.rounds)]
    reads = [inbox_read() for _ in range(args.rounds)]
    figures = {
        "desk": built,
        "threads_shown": rounds[0][1],
        "in_process_s": summary([r[0] for r in rounds]),
        "fresh_process_s": summary(fresh),
        "inbox_read_s": summary(reads),
        "load_average": os.getloadavg(),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"Desk: {built} ({figures['threads_shown']} threads in the inbox), {args.size}")
    labels = {
        "in_process_s": "first paint, in process",
        "fresh_process_s": "first paint, fresh process",
        "inbox_read_s": "of which the first read alone",
    }
    for name, label in labels.items():
        s = figures[name]
        print(
            f"  {label}: median {s['median']:.3f} s "
            f"(min {s['min']:.3f}, max {s['max']:.3f}, {args.rounds} rounds)"
        )
    print(f"  load average: {' '.join(f'{x:.2f}' for x in figures['load_average'])}")


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


if __name__ == "__main__":
    main()
