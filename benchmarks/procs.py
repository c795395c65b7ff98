"""Running the programs under test as whole processes: environment, timing, failures."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
FLOOR_APP = HERE / "floor_app.py"
BASELINE_SYNC = HERE / "baseline_sync.py"
PHASES = HERE / "phases.py"
# Dummy OAuth 1.0a credentials: the "empty" scenario sets none, so any signed request passes.
DUMMY_CREDENTIALS = {
    "TWEETDESK_CONSUMER_KEY": "benchmark-consumer-key",
    "TWEETDESK_CONSUMER_SECRET": "benchmark-consumer-secret",
    "TWEETDESK_ACCESS_TOKEN": "benchmark-access-token",
    "TWEETDESK_ACCESS_TOKEN_SECRET": "benchmark-access-secret",
}


class BenchError(RuntimeError):
    """A program under test failed; the message carries its exit code and stderr."""


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


def run(
    argv: Sequence[str], env: dict, *, ok: Sequence[int] = (0,), timeout: float = 600
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run to completion with stdout and stderr to pipes; (wall seconds, result)."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            list(argv),
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{_shown(argv)} took longer than {timeout:.0f} s") from exc
    seconds = time.perf_counter() - started
    if done.returncode not in ok:
        tail = (done.stderr or "").strip()[-3000:] or "(no stderr)"
        raise BenchError(f"{_shown(argv)} exited {done.returncode}:\n{tail}")
    return seconds, done


def _shown(argv: Sequence[str]) -> str:
    return " ".join(Path(a).name if os.sep in a else a for a in argv)


@dataclass
class Timings:
    """Wall times of one command over the repetitions."""

    seconds: list[float] = field(default_factory=list)
    exit_codes: set[int] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def minimum(self) -> float:
        return min(self.seconds)

    def as_dict(self) -> dict:
        return {
            "median_s": round(self.median, 5),
            "min_s": round(self.minimum, 5),
            "runs": len(self.seconds),
            "exit_codes": sorted(self.exit_codes),
        }
