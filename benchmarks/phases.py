"""Time the phases of one tweetdesk listing command, without a profiler's overhead.

    BENCH_SPAWNED_AT=<time.time() before spawning> python benchmarks/phases.py inbox

Runs `tweetdesk <args>` in this process exactly as the console script does (tweetdesk.cli.main),
with a few functions wrapped in timers, and writes one JSON object to stderr on the last line:
seconds per phase, and `ended_at` (time.time()) so the caller can add the exit (teardown) time.
"""

import time

STARTED_AT = time.time()  # first statement: the interpreter and site are up

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

spent: dict[str, float] = {}


def _timed(owner: Any, name: str, label: str) -> None:
    plain = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return plain(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

    setattr(owner, name, wrapper)


def main() -> int:
    lap = time.perf_counter()
    import tweetdesk.cli as cli

    spent["import tweetdesk.cli (typer, …)"] = time.perf_counter() - lap
    lap = time.perf_counter()
    # what every listing command imports lazily
    from tweetdesk.desk import listing as commands  # noqa: F401 - timed: what inbox imports
    from tweetdesk.output import threads
    from tweetdesk.store import store as db
    from tweetdesk.store.listing import Listing

    spent["import tweetdesk.desk.listing (+ store, triage, output…)"] = time.perf_counter() - lap
    from tweetdesk.cli import listing as listing_commands  # inbox and overdue live there

    _timed(listing_commands, "load_desk", "settings (Desk.load)")
    _timed(db.Store, "__init__", "open database (Store)")
    _timed(Listing, "threads", "query + triage (list_threads)")
    _timed(threads, "console", "import rich + Console()")
    _timed(threads, "print_groups", "render")
    sys.argv = ["tweetdesk", *sys.argv[1:]]
    lap = time.perf_counter()
    code: Any = 0
    real_exit = os._exit

    class Leave(Exception):
        """cli.main ends with os._exit (no interpreter teardown): catch it to report first."""

    def leave(status: int) -> None:
        nonlocal code
        code = status
        raise Leave

    os._exit = leave  # type: ignore[assignment]
    try:
        cli.main()
    except SystemExit as exc:
        code = exc.code
    except Leave:
        report(lap, code)
        real_exit(int(code or 0))
    return report(lap, code)


def report(lap: float, code: Any) -> int:
    app_total = time.perf_counter() - lap
    inner = ("settings (Desk.load)", "open database (Store)", "query + triage (list_threads)")
    spent["render"] = spent.get("render", 0.0) - spent.get("import rich + Console()", 0.0)
    spent["typer dispatch, other"] = (
        app_total
        - sum(spent.get(k, 0.0) for k in inner)
        - (spent.get("render", 0.0) + spent.get("import rich + Console()", 0.0))
    )
    spawned = float(os.environ.get("BENCH_SPAWNED_AT", STARTED_AT))
    phases = {"python start-up (interpreter, site)": STARTED_AT - spawned, **spent}
    sys.stdout.flush()
    sys.stderr.write("\n" + json.dumps({"phases": phases, "ended_at": time.time()}) + "\n")
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
