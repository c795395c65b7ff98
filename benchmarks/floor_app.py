"""The floor of tweetdesk's stack: a one-command Typer app that opens the desk and prints one row.

Python start-up + typer + sqlite3 + one query: no listing can cost less than this, so listing
latency is reported as a ratio against it.

    TWEETDESK_DB=desk.db python benchmarks/floor_app.py
"""

from __future__ import annotations

import os
import sqlite3

import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command()
def main() -> None:
    """Print the newest open thread of the desk."""
    conn = sqlite3.connect(os.environ["TWEETDESK_DB"])
    row = conn.execute(
        "SELECT number, conversation_id, status, waiting_since FROM threads "
        "WHERE status = 'open' ORDER BY number DESC LIMIT 1"
    ).fetchone()
    typer.echo("\t".join(str(v) for v in row or ()))


if __name__ == "__main__":
    app()
