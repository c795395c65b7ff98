"""Listing latency: `inbox` and `overdue --exit-code` against the floor, interleaved; what the
desk lists; and where a listing's time goes (-X importtime, cProfile of the whole process)."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import desks
from procs import FLOOR_APP, PYTHON, Timings, log, run
from profiling import cprofile_process, import_profile


class Listings:
    """Mixed into Bench: needs td, home, args, notes, profile and env()."""

    td: str
    home: Path
    args: Any
    notes: list[str]
    profile: dict[str, Any]

    def env(self, db: Path, now_ms: int, api_url: str | None = None) -> dict[str, str]:
        raise NotImplementedError

    def commands(self) -> dict[str, tuple[list[str], tuple[int, ...]]]:
        return {
            "floor": ([PYTHON, str(FLOOR_APP)], (0,)),
            "inbox": ([self.td, "inbox"], (0,)),
            "overdue": ([self.td, "overdue", "--exit-code"], (0, 3)),
        }

    def listing(self, desk: desks.Desk, db: Path) -> dict[str, Any]:
        env = self.env(db, desk.now_ms)
        commands = self.commands()
        for _ in range(3):  # warm-up: page cache, .pyc files
            for argv, ok in commands.values():
                run(argv, env, ok=ok, timeout=300)
        timings = {name: Timings() for name in commands}
        rng = random.Random(len(desk.events))
        for _ in range(self.args.repeat):
            names = list(commands)
            rng.shuffle(names)  # interleaved, in a fresh order each round
            for name in names:
                argv, ok = commands[name]
                timings[name].add(run(argv, env, ok=ok, timeout=300))
        if timings["overdue"].exit_codes != {3}:
            self.notes.append(
                f"{desk.name}: overdue --exit-code exited {timings['overdue'].exit_codes}"
            )
        figures = {name: t.as_dict() for name, t in timings.items()}
        log(
            f"[{desk.name}] listing medians: "
            + ", ".join(f"{n} {f['median_s'] * 1000:.0f} ms" for n, f in figures.items())
        )
        if not self.args.no_profile:
            self.profile_listing(desk, env)
        return figures

    def profile_listing(self, desk: desks.Desk, env: dict[str, str]) -> None:
        commands = self.commands()
        runs = 1 if self.args.smoke else 5
        for name in ("inbox", "overdue", "floor"):
            argv, ok = commands[name]
            label = f"{'floor_app.py' if name == 'floor' else 'tweetdesk ' + name} ({desk.name})"
            self.profile["imports"][label] = import_profile(argv, env, ok=ok, runs=runs)
        for name in ("inbox", "overdue"):
            argv, ok = commands[name]
            out = self.home / desk.name / f"{name}.prof"
            found = cprofile_process(argv, env, out, ok=ok)
            self.profile["cprofile"][f"tweetdesk {' '.join(argv[1:])} ({desk.name})"] = found

    def describe(self, desk: desks.Desk, db: Path) -> dict[str, Any]:
        """What tweetdesk lists on the grown desk (`inbox --json`, `overdue --json`)."""
        env = self.env(db, desk.now_ms)
        listed = json.loads(run([self.td, "inbox", "--json"], env, timeout=600).stdout)
        overdue = json.loads(
            run([self.td, "overdue", "--json"], env, ok=(0, 3), timeout=600).stdout
        )
        return {
            "inbox_json": len(listed),
            "overdue_json": len(overdue),
            "sources": dict(Counter(t.get("source") for t in listed)),
            "db_mb": round(sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6, 1),
        }
