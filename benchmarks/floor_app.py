"""The floor of tweetdesk's stack: a one-command Typer app that opens the desk and prints one row.

Python start-up + typer + sqlite3 + one query: no listing can cost less than this, so listing
latency is reported as a ratio against it. It reads SQLite's own catalogue (which any first query
on a database reads), not a tweetdesk table, so it does not depend on tweetdesk's schema.

    TWEETDESK_DB=desk.db python benchmarks/floor_app.py
"""

from __future__ import annotations

import os
import sqlite3

import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command()
def main() -> None:
    """Print one row of the desk's database."""
    conn = sqlite3.connect(os.environ["TWEETDESK_DB"])
    row = conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master ORDER BY name LIMIT 1"
    ).fetchone()
    typer.echo("\t".join(str(v) for v in row or ()))


if __name__ == "__main__":
    app()
