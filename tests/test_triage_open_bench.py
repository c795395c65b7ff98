"""The triage screen's open-time benchmark keeps working: a tiny flooded desk, one round."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.e2e
def test_the_open_time_benchmark_runs_on_a_tiny_desk(tmp_path: Path) -> None:
    tiny = ["--desk", str(tmp_path / "flood"), "--mentions", "120", "--customers", "40"]
    result = subprocess.run(
        [sys.executable, "benchmarks/triage_open.py", *tiny, "--rounds", "1", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout)
    assert figures["desk"] == "120 mentions from 40 customers over 6 days"
    assert 0 < figures["threads_shown"] < 120  # the fresh ones; most are stale
    assert 0 < figures["in_process_s"]["median"] < figures["fresh_process_s"]["median"]
