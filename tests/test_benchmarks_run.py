"""The benchmark script keeps working: a tiny desk through the whole run, figures as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.e2e
def test_the_benchmark_runs_end_to_end_on_a_tiny_desk() -> None:
    tiny = ["--sizes", "200", "--repeat", "1", "--sync-repeat", "1", "--json"]
    result = subprocess.run(
        [sys.executable, "benchmarks/run.py", *tiny],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout)["sizes"]["200"]
    assert figures["requests"]["first"]["tweetdesk"] == figures["requests"]["first"]["minimum"]
    assert figures["requests"]["second"]["tweetdesk"] == 3
    assert figures["listing"]["overdue"]["exit_codes"] == [3]  # the desk has overdue threads
    assert figures["sync"]["tweetdesk"]["median_s"] > 0
    assert json.loads(result.stdout)["profile"]  # the profile section ran too
