"""The command line: typer parses, one desk call does the work, output prints. No SQL, no
tweepy, no business rules here; the typer imports live in this package and nowhere else.

`app.py` holds the app, shared options and the error mapping; `listing.py`, `marks.py`,
`sending.py`, `reports.py` and `setup.py` add the commands (imported here, in the order
`--help` lists them).
"""

from __future__ import annotations

import gc
import os
import sys

# The commands register in import order: the order `--help` lists them.
# isort: off
from tweetdesk.cli import listing  # noqa: F401
from tweetdesk.cli import marks  # noqa: F401
from tweetdesk.cli import sending  # noqa: F401
from tweetdesk.cli import reports  # noqa: F401
from tweetdesk.cli import setup  # noqa: F401
from tweetdesk.cli.app import app
# isort: on

__all__ = ["app", "main"]


def main() -> None:
    """The console script. A short-lived process has nothing to clean up: after the imports the
    objects are frozen out of the collector's way, and at the end the process flushes its output
    and leaves without the interpreter's teardown (freeing every module's objects one by one
    costs more than a listing itself). Writes are committed as they happen, never at exit."""
    gc.freeze()
    code = 0
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler, debugger or coverage tool wants the normal ending
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass  # the reader went away (| head); nothing left to say
    os._exit(code)
