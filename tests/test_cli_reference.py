"""docs/cli.md is generated from the typer app and must match it.

Regenerate with: python -m typer tweetdesk.cli utils docs --name tweetdesk --output docs/cli.md
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "typer", "tweetdesk.cli", "utils", "docs", "--name", "tweetdesk"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert result.stdout.strip() == current.strip(), (
        "docs/cli.md is out of date: python -m typer tweetdesk.cli utils docs "
        "--name tweetdesk --output docs/cli.md"
    )
