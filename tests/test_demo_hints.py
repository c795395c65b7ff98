"""The demo as a newcomer meets it: its config keeps their edits, and the next steps it prints
run as printed (with the program as it was invoked: `.venv/bin/tweetdesk` off PATH)."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest
from test_e2e import SCRIPT

from conftest import cli


def test_the_demo_keeps_an_edited_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    assert cli("demo").exit_code == 0
    config = tmp_path / "xdg-data" / "tweetdesk" / "demo" / "config.toml"
    edited = config.read_text().replace('sla = "15m"', 'sla = "2h"')
    config.write_text(edited)
    assert cli("demo").exit_code == 0
    assert config.read_text() == edited
    monkeypatch.setenv("TWEETDESK_CONFIG", str(config))
    monkeypatch.setenv("TWEETDESK_DB", str(config.parent / "tweetdesk.db"))
    assert 'triage.sla = "2h"    (config file)' in cli("config", "check").stdout


@pytest.mark.e2e
def test_the_printed_next_steps_work_as_printed(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWEETDESK_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "my data")  # a space, as on macOS
    env["PATH"] = "/usr/bin:/bin"  # the venv is not activated
    demo = subprocess.run(
        [str(SCRIPT), "demo"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert demo.returncode == 0, demo.stderr
    steps = [line.strip() for line in demo.stdout.splitlines() if line.startswith("  ")]
    export = next(s for s in steps if s.startswith("export TWEETDESK_CONFIG="))
    show = next(s for s in steps if " show 1 " in s)
    assert show.startswith(shlex.quote(str(SCRIPT)) + " show 1")
    shell = subprocess.run(
        ["bash", "-c", f"{export}\n{show}"], env=env, capture_output=True, text=True, check=False
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.startswith("#1 ")
    sandbox_step = next(s for s in steps if "sandbox serve" in s)
    assert sandbox_step.startswith(f"{shlex.quote(str(SCRIPT))} sandbox serve &")
    assert "'So sorry! Whole beans are on their way'" in demo.stdout  # no ! inside "..."
    # The inbox's own "Next:" line above the steps runs tweetdesk the same way.
    next_line = next(line for line in demo.stdout.splitlines() if line.startswith("Next: "))
    assert f"`{shlex.quote(str(SCRIPT))} show " in next_line
