"""Running the programs under test as whole processes: environment, wall time, peak RSS."""

from __future__ import annotations

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
FLOOR_APP = HERE / "floor_app.py"
BASELINE_SYNC = HERE / "baseline_sync.py"
LAUNCH = HERE / "launch.py"
# Dummy OAuth 1.0a credentials: neither the stand-in nor the "empty" scenario checks them.
DUMMY_CREDENTIALS = {
    "TWEETDESK_CONSUMER_KEY": "benchmark-consumer-key",
    "TWEETDESK_CONSUMER_SECRET": "benchmark-consumer-secret",
    "TWEETDESK_ACCESS_TOKEN": "benchmark-access-token",
    "TWEETDESK_ACCESS_TOKEN_SECRET": "benchmark-access-secret",
}


class BenchError(RuntimeError):
    """A program under test failed, or the stand-in met a request it has no page for."""


def log(message: str) -> None:
    """Progress, to stderr."""
    print(message, file=sys.stderr, flush=True)


def tweetdesk_script() -> str:
    """The installed console script beside this interpreter (else the one on PATH)."""
    beside = Path(PYTHON).parent / "tweetdesk"
    found = str(beside) if beside.exists() else shutil.which("tweetdesk")
    if not found:
        raise BenchError(
            "no `tweetdesk` console script beside this Python or on PATH: run the benchmark "
            "with the Python of the virtualenv where tweetdesk is installed"
        )
    return found


def desk_env(home: Path, db: Path, config: Path, now: str, api_url: str | None = None) -> dict:
    """The environment every process under test gets: its own db, config, now and folders.

    Bytecode is cached (as for any installed program) in the work directory, not in the source
    tree: PYTHONPYCACHEPREFIX, and PYTHONDONTWRITEBYTECODE dropped.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWEETDESK_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        PYTHONPYCACHEPREFIX=str(home / "pycache"),
        TWEETDESK_DB=str(db),
        TWEETDESK_CONFIG=str(config),
        TWEETDESK_NOW=now,
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    if api_url:
        env.update(TWEETDESK_API_URL=api_url, **DUMMY_CREDENTIALS)
    return env


@dataclass
class Done:
    argv: list[str]
    returncode: int
    stdout: str
    stderr: str
    wall: float
    max_rss_mb: float  # peak resident set size of this one process (wait4)


def run(argv: Sequence[str], env: dict, *, ok: Sequence[int] = (0,), timeout: float = 600) -> Done:
    """Run to completion through launch.py, stdout and stderr to files; fail on other codes."""
    with tempfile.TemporaryDirectory(prefix="run-") as tmp:
        result, out, err = (Path(tmp) / name for name in ("result.json", "out", "err"))
        with out.open("wb") as stdout, err.open("wb") as stderr:
            proc = subprocess.Popen(
                [PYTHON, str(LAUNCH), str(result), *argv],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,  # a timeout kills the launcher and the program
            )
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                raise BenchError(f"{_shown(argv)} took longer than {timeout:.0f} s") from None
        if proc.returncode != 0 or not result.exists():
            raise BenchError(f"launching {_shown(argv)} failed:\n{err.read_text()[-3000:]}")
        found = json.loads(result.read_text())
        done = Done(
            list(argv),
            os.waitstatus_to_exitcode(found["status"]),
            out.read_text(errors="replace"),
            err.read_text(errors="replace"),
            found["wall"],
            found["max_rss_kb"] / 1024,  # KiB on Linux
        )
    if done.returncode not in ok:
        tail = done.stderr.strip()[-3000:] or "(no stderr)"
        raise BenchError(f"{_shown(argv)} exited {done.returncode}:\n{tail}")
    return done


def _shown(argv: Sequence[str]) -> str:
    return " ".join(Path(a).name if os.sep in a else a for a in argv)


@dataclass
class Timings:
    """Wall times of one command over the repetitions."""

    seconds: list[float] = field(default_factory=list)
    exit_codes: set[int] = field(default_factory=set)
    rss_mb: list[float] = field(default_factory=list)

    def add(self, done: Done) -> None:
        self.seconds.append(done.wall)
        self.exit_codes.add(done.returncode)
        self.rss_mb.append(done.max_rss_mb)

    def as_dict(self) -> dict:
        return {
            "median_s": round(statistics.median(self.seconds), 5),
            "min_s": round(min(self.seconds), 5),
            "runs": len(self.seconds),
            "exit_codes": sorted(self.exit_codes),
            "peak_rss_mb": round(max(self.rss_mb), 1),
        }
