"""tweetdesk benchmarks: listing latency, sync time, requests and memory, as ratios.

Every figure is a ratio against a baseline measured in the same run, on the same machine, on
two desks (a flooded one: 20,000 unanswered mentions over 6 days; a year one: 100,000 mentions,
95 % answered), served by a stand-in for X whose own cost is negligible:

1. `tweetdesk inbox` and `tweetdesk overdue --exit-code` against a one-command Typer app.
2. The flooded desk's first sync, an idle resync, and the syncs that grew each desk, against a
   bare stdlib loop making the same requests; peak RSS of that first sync.
3. Requests (counted by the stand-in) against the fewest that fetch the data.

    python benchmarks/run.py                  # full, several minutes
    python benchmarks/run.py --smoke          # small desks, a few dozen seconds
    python benchmarks/run.py --json           # the figures as JSON

See docs/benchmarks.md. Progress goes to stderr; the report (or JSON) to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import desks
from bench import Bench
from procs import BenchError, log
from report import render, rows_for
from xwire import Unsupported

SMOKE = {"flooded": 400, "year": 400, "year_days": 21, "repeat": 2, "sync_repeat": 1}


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--flooded", type=int, default=20_000, help="mentions on the flooded desk")
    p.add_argument("--year", type=int, default=100_000, help="mentions on the year desk")
    p.add_argument("--year-days", type=int, default=365, help="days the year desk spans")
    p.add_argument("--repeat", type=int, default=30, help="runs of each listing (interleaved)")
    p.add_argument("--sync-repeat", type=int, default=3, help="first syncs per side")
    p.add_argument("--idle-repeat", type=int, default=10, help="idle resyncs per side")
    p.add_argument("--smoke", action="store_true", help="small desks, one run each: seconds")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--no-profile", action="store_true", help="skip -X importtime and cProfile")
    p.add_argument("--keep", action="store_true", help="keep the work directory (prints its path)")
    args = p.parse_args(argv)
    if args.smoke:
        for name, value in SMOKE.items():
            setattr(args, name, value)
        args.idle_repeat = 1
    if min(args.flooded, args.year) < 100 or min(args.repeat, args.sync_repeat) < 1:
        p.error("desks need >= 100 mentions and repeats must be >= 1")
    if args.idle_repeat < 1 or args.year_days < 7:
        p.error("--idle-repeat must be >= 1 and --year-days >= 7")
    return args


def machine() -> dict[str, Any]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        lines = cpuinfo.read_text().splitlines()
        model = next(
            (ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")), ""
        )
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "nproc": cpus,
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "tweetdesk": version("tweetdesk"),
        "load_at_start": _load(),
    }


def _load() -> str:
    """The 1, 5 and 15-minute load averages: other work on the machine moves every figure."""
    return " ".join(f"{n:.2f}" for n in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    command = shlex.join([Path(sys.executable).name, sys.argv[0], *argv])
    result: dict[str, Any] = {"command": command, "machine": machine(), "desks": {}}
    with tempfile.TemporaryDirectory(prefix="tweetdesk-bench-") as tmp:
        home = Path(tmp)
        if args.keep:
            home = Path(tempfile.mkdtemp(prefix="tweetdesk-bench-keep-"))
            log(f"work directory (kept): {home}")
        bench = Bench(args, home)
        try:
            check = bench.check()
            log(f"fidelity check passed: {check}")
            result["setup"] = setup(check)
            result["desks"]["flooded"] = bench.measure(desks.flooded(args.flooded), first_sync=True)
            year = desks.year(args.year, days=args.year_days)
            result["desks"]["year"] = bench.measure(year, first_sync=False)
        except (BenchError, Unsupported) as exc:
            log(f"benchmark failed: {exc}")
            return 1
        result["profile"] = bench.profile
        result["notes"] = bench.notes
    result["rows"] = [row for name, f in result["desks"].items() for row in rows_for(name, f)]
    result["runtime_s"] = round(time.perf_counter() - started, 1)
    result["machine"]["load_at_end"] = _load()
    print(json.dumps(result, indent=2) if args.json else render(result))
    return 0


def setup(check: dict[str, Any]) -> dict[str, str]:
    bytecode = "cached under the work directory (PYTHONPYCACHEPREFIX)"
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        bytecode += "; PYTHONDONTWRITEBYTECODE, set in this environment, is dropped for the runs"
    return {
        "stand-in": "pre-rendered pages from a dict (keep-alive, gzip, X's headers); "
        "X's caps kept (newest 800 mentions, 3,200 own tweets, 7-day search) except in the "
        "flooded desk's first sync, which lifts them to fetch all of it",
        "fidelity": f"the stand-in answered {check['requests']} requests of {check['syncs']} "
        f"syncs of a check desk byte for byte as tweetdesk's simulator "
        f"({check['records_compared']} records, same `inbox --json`)",
        "desks": f"grown sync by sync, TWEETDESK_NOW advancing, to {desks.NOW}; "
        f"[listen] {desks.QUERY}; sla 15m, stale_after 24h (defaults)",
        "bytecode": bytecode,
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
