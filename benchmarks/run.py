"""tweetdesk benchmarks: listing latency, first-sync time and requests per sync, as ratios.

Every figure is a ratio against a baseline measured in the same run, on the same machine:

1. `tweetdesk inbox` and `tweetdesk overdue --exit-code` (whole processes) against the floor of
   the stack: a one-command Typer app that opens the same database and prints one row.
2. `tweetdesk sync` (first sync, a whole process) against a bare stdlib loop fetching the same
   pages from a fresh copy of the same simulator.
3. Requests per sync (counted by the simulator) against the fewest that can fetch the data.

    python benchmarks/run.py [--sizes 20000,100000] [--repeat N] [--json]
    python benchmarks/run.py --sizes 2000 --repeat 5        # smoke mode, well under a minute

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
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import LISTEN_QUERIES, NOW, SYNC_ONCE_ABOVE, Bench, log, now
from desk import RAISED_LIMITS, build_state
from procs import BenchError
from report import render, rows_for
from sandbox_proc import verify_fast_reads


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--sizes", default="20000,100000", help="desk sizes in mentions, comma-separated"
    )
    p.add_argument("--repeat", type=int, default=40, help="listing runs per command (interleaved)")
    p.add_argument(
        "--sync-repeat",
        type=int,
        default=3,
        help=f"first syncs per side (1 above {SYNC_ONCE_ABOVE})",
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--no-profile", action="store_true", help="skip importtime and cProfile")
    p.add_argument(
        "--plain-sandbox", action="store_true", help="do not memoise the simulator's reads (slow)"
    )
    p.add_argument("--keep", action="store_true", help="keep the work directory (prints its path)")
    args = p.parse_args(argv)
    try:
        args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        p.error(f"--sizes: not a list of whole numbers: {args.sizes!r}")
    if not args.sizes or min(args.sizes) < 100 or args.repeat < 1 or args.sync_repeat < 1:
        p.error("sizes must be >= 100 and repeats >= 1")
    return args


def machine() -> dict[str, Any]:
    from tweetdesk import __version__

    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (
                ln.split(":", 1)[1].strip()
                for ln in cpuinfo.read_text().splitlines()
                if ln.startswith("model name")
            ),
            "",
        )
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "nproc": cpus,
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "tweetdesk": __version__,
    }


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    command = shlex.join([sys.executable, sys.argv[0], *argv])
    result: dict[str, Any] = {"command": command, "machine": machine(), "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="tweetdesk-bench-") as tmp:
        home = Path(tmp)
        if args.keep:
            home = Path(tempfile.mkdtemp(prefix="tweetdesk-bench-keep-"))
            log(f"work directory (kept): {home}")
        bench = Bench(args, home)
        try:
            result["setup"] = setup(args)
            bench.warm_up()
            for size in args.sizes:
                result["sizes"][str(size)] = bench.measure(size)
        except (BenchError, RuntimeError, AssertionError) as exc:
            log(f"benchmark failed: {exc}")
            return 1
        result["profile"] = bench.profile
        result["notes"] = bench.notes
    result["rows"] = [row for n, f in result["sizes"].items() for row in rows_for(int(n), f)]
    result["runtime_s"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(render(result))
    return 0


def setup(args: argparse.Namespace) -> dict[str, Any]:
    """Check the simulator patch and say how the desks are made."""
    found: dict[str, Any] = {
        "bytecode": "cached under the work directory (PYTHONPYCACHEPREFIX)"
        + (
            "; PYTHONDONTWRITEBYTECODE, set in this environment, is dropped for the runs"
            if os.environ.get("PYTHONDONTWRITEBYTECODE")
            else ""
        ),
        "now": NOW,
        "listen_queries": list(LISTEN_QUERIES),
        "sandbox": f'SandboxState("empty" scenario) + generated desk; {RAISED_LIMITS}',
    }
    if args.plain_sandbox:
        found["simulator_reads"] = "unmodified"
        return found
    state, _ = build_state(800, now())
    query = {
        "max_results": ["10"],
        "tweet.fields": ["created_at,conversation_id,author_id"],
        "expansions": ["author_id"],
        "start_time": ["2026-11-16T09:00:00Z"],
    }
    pages = verify_fast_reads(state, query)
    found["simulator_reads"] = (
        f"timeline reads memoised in the simulator process (same answers: checked on {pages} "
        "pages); simulator time is measured and reported apart"
    )
    return found


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
