"""The typer app itself: the options every command shares, the one place that maps errors to
exit codes (`@handled`), and the global callback. The commands live beside it, by job, each
parsing its options, making one call into `tweetdesk.desk` and printing what it returns.

Every command runs under `@handled`: a TweetdeskError prints `Error: <one line>` on stderr and
exits with its code; nothing prints a traceback to the person.
"""

from __future__ import annotations

import functools
import sqlite3
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand

from tweetdesk import __version__
from tweetdesk.errors import Cancelled, ExitCode, StoreError, TweetdeskError, UsageError

if TYPE_CHECKING:
    from tweetdesk.desk.desk import Desk


class _Argument(TyperArgument):
    """An argument as --help names it, the way a person reads it: `ID` when required, `[TEXT]`
    when not (typer would write `{ref}` and `ref <str>`)."""

    @property
    def shown(self) -> str:
        return self.metavar or self.name.upper()

    def get_usage_pieces(self, ctx: Any) -> list[str]:
        return [self.shown if self.required else f"[{self.shown}]"]

    def _rich_display_name(self) -> str:
        return self.shown

    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # the metavar and the help say what it takes


class _Command(TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:  # typer builds the parameters itself: reword their help
            if type(param) is TyperArgument:
                param.__class__ = _Argument


class _App(typer.Typer):
    """Every command gets help with plain metavars (see _Argument)."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", _Command)
        return super().command(*args, **kwargs)


app = _App(
    name="tweetdesk",
    help="A local-first desk for answering your business's customers on X.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
auth_app = _App(help="Log in to X and check who you are.", no_args_is_help=True)
config_app = _App(help="Inspect the configuration.", no_args_is_help=True)
sandbox_app = _App(help="The built-in X API v2 simulator.", no_args_is_help=True)
app.add_typer(auth_app, name="auth")
app.add_typer(config_app, name="config")
app.add_typer(sandbox_app, name="sandbox")

F = TypeVar("F", bound=Callable[..., Any])

DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Database file (beats TWEETDESK_DB and [storage] db).",
        show_default=False,
        metavar="FILE",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
IdArg = Annotated[
    str, typer.Argument(help="A tweet id, a thread number, or @username.", metavar="ID")
]


def fail(message: str, code: int) -> typer.Exit:
    from tweetdesk.output.safe import clean_terminal

    one_line = " ".join(clean_terminal(message).split())
    sys.stderr.write(f"Error: {one_line}\n")
    return typer.Exit(code)


def handled(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Cancelled as exc:  # the person's own answer: no "Error:" in front of it
            sys.stderr.write(f"{exc.message}\n")
            raise typer.Exit(exc.exit_code) from None
        except TweetdeskError as exc:
            raise fail(exc.message, exc.exit_code) from None
        except sqlite3.OperationalError as exc:
            raise fail(str(StoreError(f"database error: {exc}")), ExitCode.ERROR) from None
        except KeyboardInterrupt:
            raise fail("interrupted; what was done so far is kept", 130) from None

    return wrapper  # type: ignore[return-value]


def load_desk(db: Path | None) -> Desk:
    from tweetdesk.desk.desk import Desk

    return Desk.load(db)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tweetdesk {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Trace requests and steps on stderr.")
    ] = False,
) -> None:
    """A local-first desk for answering your business's customers on X.

    Morning: tweetdesk sync && tweetdesk inbox.  Cron: tweetdesk sync --quiet && tweetdesk alert
    """
    if verbose:
        from tweetdesk.output.trace import enable_verbose

        enable_verbose()


def duration_option(option: str, value: str) -> timedelta:
    """A duration option (`--since 7d`); a bad one is a usage error naming the option."""
    from tweetdesk.values.durations import parse_duration

    try:
        return parse_duration(value)
    except ValueError as exc:
        raise UsageError(f"bad value for {option}: {exc}") from None
