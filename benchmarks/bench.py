"""The measurements: per desk size, the first syncs, the listings and the profiles."""

from __future__ import annotations

import json
import math
import random
import shutil
import sqlite3
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import report
from desk import DeskShape, build_state
from procs import (
    BASELINE_SYNC,
    FLOOR_APP,
    PYTHON,
    Timings,
    desk_env,
    run,
    tweetdesk_script,
)
from profiling import cprofile_process, import_profile, phase_profile
from sandbox_proc import SandboxProcess

NOW = "2026-11-23T09:00:00+00:00"
LISTEN_QUERIES = ('"Acme Roasters"',)
# The bare-loop baseline fetches mentions, own tweets and search, so DMs are left out here (the
# benchmark desk has none); what a DM sync reads is measured in tests/test_dms.py.
CONFIG = "[listen]\nqueries = ['\"Acme Roasters\"']\n[dms]\nsync = false\n"
SYNC_ONCE_ABOVE = 50_000  # bigger desks take a minute or more per sync: synced once
PAGE = 100


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Bench:
    def __init__(self, args: Any, home: Path) -> None:
        self.args = args
        self.home = home
        self.td = tweetdesk_script()
        self.config = home / "config.toml"
        self.config.write_text(CONFIG)
        self.notes: list[str] = []
        self.profile: dict[str, Any] = {"imports": {}, "phases": {}, "cprofile": {}}
        self.profile_size = min(args.sizes, key=lambda n: (abs(n - 20000), n))

    def env(self, db: Path, api_url: str | None = None) -> dict[str, str]:
        return desk_env(self.home, db, self.config, NOW, api_url)

    def warm_up(self) -> None:
        """A tiny desk end to end: fills the bytecode cache, and fails early if anything is off."""
        state, _ = build_state(300, now())
        work = self.home / "warm-up"
        work.mkdir()
        fast = not self.args.plain_sandbox
        with SandboxProcess(state, fast=fast) as sandbox:
            run([self.td, "sync", "--quiet"], self.env(work / "desk.db", sandbox.url))
        with SandboxProcess(state, fast=fast) as sandbox:
            self._baseline_sync(sandbox, work / "baseline.db")
        for argv, ok in self.listing_commands().values():
            run(argv, self.env(work / "desk.db"), ok=ok)
        shutil.rmtree(work)

    # --- one size -------------------------------------------------------------------------

    def measure(self, size: int) -> dict[str, Any]:
        work = self.home / f"n{size}"
        work.mkdir()
        started = time.perf_counter()
        state, shape = build_state(size, now())
        log(f"[{size}] desk built in the simulator in {time.perf_counter() - started:.1f} s")
        sync, requests, db = self.measure_sync(size, state, shape, work)
        if not self.args.no_profile and size == self.profile_size:
            self.profile_sync(size, state, work)
        del state
        desk = {"shape": shape.__dict__, "live": self.describe(db)}
        log(report.desk_lines(size, desk)[0])
        listing = self.measure_listing(size, db)
        if not self.args.no_profile:
            self.profile_listing(size, db)
        for extra in work.glob("*.db*"):
            if not extra.name.startswith("desk.db"):
                extra.unlink()
        return {"desk": desk, "listing": listing, "sync": sync, "requests": requests}

    # --- sync -----------------------------------------------------------------------------

    def measure_sync(
        self, size: int, state: Any, shape: DeskShape, work: Path
    ) -> tuple[dict[str, Any], dict[str, Any], Path]:
        repeats = 1 if size > SYNC_ONCE_ABOVE else self.args.sync_repeat
        sides: dict[str, list[tuple[float, float]]] = {"tweetdesk": [], "baseline": []}
        requests: dict[str, Any] = {}
        fast = not self.args.plain_sandbox
        for rep in range(repeats):
            order = ("tweetdesk", "baseline") if rep % 2 == 0 else ("baseline", "tweetdesk")
            for side in order:
                with SandboxProcess(state, fast=fast) as sandbox:
                    if side == "tweetdesk":
                        db = work / ("desk.db" if rep == 0 else f"sync{rep}.db")
                        wall, stats = self._tweetdesk_sync(sandbox, db, rep, requests)
                    else:
                        wall, stats = self._baseline_sync(sandbox, work / f"baseline{rep}.db")
                self._check_exchanges(size, side, stats, requests)
                sides[side].append((wall, wall - stats["server_seconds"]))
                log(
                    f"[{size}] first sync {side}: {wall:.2f} s "
                    f"(simulator {stats['server_seconds']:.2f} s, {stats['requests']} requests)"
                )
        requests["first"]["minimum"] = _first_minimum(shape)
        requests["second"]["minimum"] = 2 + len(LISTEN_QUERIES)
        sync = {side: _sync_figures(values) for side, values in sides.items()}
        return sync, {k: requests[k] for k in ("first", "second")}, work / "desk.db"

    def _tweetdesk_sync(
        self, sandbox: SandboxProcess, db: Path, rep: int, requests: dict[str, Any]
    ) -> tuple[float, dict[str, Any]]:
        env = self.env(db, sandbox.url)
        wall, _ = run([self.td, "sync", "--quiet"], env, timeout=3600)
        first = sandbox.stats()
        first["tweets_stored"] = _count(db, "SELECT count(*) FROM tweets")
        if rep == 0:
            run([self.td, "sync", "--quiet"], env)
            second = sandbox.stats()
            requests["first"] = {
                "tweetdesk": first["requests"],
                "by_endpoint": first["by_endpoint"],
            }
            requests["second"] = {
                "tweetdesk": second["requests"] - first["requests"],
                "by_endpoint": {
                    k: v - first["by_endpoint"].get(k, 0)
                    for k, v in second["by_endpoint"].items()
                    if v - first["by_endpoint"].get(k, 0)
                },
            }
        return wall, first

    def _baseline_sync(self, sandbox: SandboxProcess, db: Path) -> tuple[float, dict[str, Any]]:
        queries = [arg for q in LISTEN_QUERIES for arg in ("--query", q)]
        argv = [PYTHON, str(BASELINE_SYNC), sandbox.url, str(db), NOW, *queries]
        wall, done = run(argv, self.env(db), timeout=3600)
        stats = sandbox.stats()
        stats["tweets_stored"] = int(done.stdout.strip() or 0)
        return wall, stats

    def _check_exchanges(
        self, size: int, side: str, stats: dict[str, Any], requests: dict[str, Any]
    ) -> None:
        bad = {s: n for s, n in stats["statuses"].items() if int(s) != 200}
        if bad or stats["internal_errors"]:
            self.notes.append(
                f"{size}: {side} sync saw statuses {bad}, simulator errors "
                f"{stats['internal_errors']}"
            )
        seen = requests.setdefault("_seen", {})
        if side in seen:
            return
        seen[side] = stats
        if len(seen) == 2:
            td, base = seen["tweetdesk"], seen["baseline"]
            for key in ("by_endpoint", "params", "tweets_stored"):
                if td[key] != base[key]:
                    self.notes.append(
                        f"{size}: tweetdesk and the bare loop differ in {key}: "
                        f"{td[key]} vs {base[key]}"
                    )

    def profile_sync(self, size: int, state: Any, work: Path) -> None:
        with SandboxProcess(state, fast=not self.args.plain_sandbox) as sandbox:
            env = self.env(work / "profile.db", sandbox.url)
            found = cprofile_process([self.td, "sync", "--quiet"], env, work / "sync.prof")
        self.profile["cprofile"][f"tweetdesk sync ({size})"] = found
        log(f"[{size}] profiled sync: {found['total_s']} s under cProfile")

    # --- listing --------------------------------------------------------------------------

    def listing_commands(self) -> dict[str, tuple[list[str], tuple[int, ...]]]:
        return {
            "floor": ([PYTHON, str(FLOOR_APP)], (0,)),
            "inbox": ([self.td, "inbox"], (0,)),
            "overdue": ([self.td, "overdue", "--exit-code"], (0, 3)),
        }

    def measure_listing(self, size: int, db: Path) -> dict[str, Any]:
        env = self.env(db)
        commands = self.listing_commands()
        for _ in range(3):  # warm-up: page cache, .pyc files
            for argv, ok in commands.values():
                run(argv, env, ok=ok, timeout=120)
        timings = {name: Timings() for name in commands}
        rng = random.Random(size)
        for _ in range(self.args.repeat):
            names = list(commands)
            rng.shuffle(names)  # interleaved, in a fresh order each round
            for name in names:
                argv, ok = commands[name]
                wall, done = run(argv, env, ok=ok, timeout=120)
                timings[name].seconds.append(wall)
                timings[name].exit_codes.add(done.returncode)
        if timings["overdue"].exit_codes != {3}:
            self.notes.append(f"{size}: overdue --exit-code exited {timings['overdue'].exit_codes}")
        figures = {name: t.as_dict() for name, t in timings.items()}
        log(
            f"[{size}] listing medians: "
            + ", ".join(f"{n} {f['median_s'] * 1000:.0f} ms" for n, f in figures.items())
        )
        return figures

    def profile_listing(self, size: int, db: Path) -> None:
        env = self.env(db)
        commands = self.listing_commands()
        if not self.profile["imports"]:
            for name in ("inbox", "overdue", "floor"):
                argv, ok = commands[name]
                label = "floor_app.py" if name == "floor" else f"tweetdesk {name}"
                self.profile["imports"][label] = import_profile(argv, env, ok=ok)
        for name in ("inbox", "overdue"):
            argv, ok = commands[name]
            label = f"tweetdesk {' '.join(argv[1:])} ({size})"
            floor = commands["floor"][0]
            self.profile["phases"][label] = phase_profile(argv[1:], env, floor, ok=ok)
            out = self.home / f"{name}-{size}.prof"
            self.profile["cprofile"][f"tweetdesk {name} ({size})"] = cprofile_process(
                argv, env, out, ok=ok
            )

    def describe(self, db: Path) -> dict[str, Any]:
        """What the synced desk holds, and what the listings make of it."""
        conn = sqlite3.connect(db)
        try:
            by_status = dict(conn.execute("SELECT status, count(*) FROM threads GROUP BY 1"))
            tweets = conn.execute("SELECT count(*) FROM tweets").fetchone()[0]
        finally:
            conn.close()
        _, done = run([self.td, "inbox", "--all", "--json"], self.env(db), timeout=600)
        views = json.loads(done.stdout)
        return {
            "tweets": tweets,
            "threads_by_status": by_status,
            "inbox": sum(1 for v in views if v["status"] == "open"),
            "overdue": sum(1 for v in views if v["overdue"]),
            "stale": sum(1 for v in views if v["status"] == "stale"),
            "db_mb": round(db.stat().st_size / 1e6, 1),
        }


def now() -> datetime:
    return datetime.fromisoformat(NOW)


def _count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def _first_minimum(shape: DeskShape) -> int:
    """users/me + the mention pages + the own-timeline pages + one page per listen query."""
    return (
        1
        + math.ceil(shape.mentions / PAGE)
        + max(1, math.ceil(shape.replies / PAGE))
        + len(LISTEN_QUERIES)
    )


def _sync_figures(values: list[tuple[float, float]]) -> dict[str, Any]:
    walls, clients = [w for w, _ in values], [c for _, c in values]
    return {
        "median_s": round(statistics.median(walls), 3),
        "min_s": round(min(walls), 3),
        "client_median_s": round(statistics.median(clients), 3),
        "runs": len(values),
    }
