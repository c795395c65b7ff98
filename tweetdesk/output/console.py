"""The terminal itself: a console, data on stdout, messages, questions and progress on stderr.

Tweet text and names are untrusted: they pass through `clean_terminal` (escape codes, control
and bidi characters made visible and inert) and into `Text(...)`, never into markup.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

from tweetdesk.output.safe import clean_terminal, json_safe, one_line

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    # highlight=False: rich must not colour numbers or URLs inside customer text. A pipe or a
    # file gets whole lines (rich would otherwise wrap them at 80 columns, mid-sentence); a
    # terminal wraps at its own width.
    stream = sys.stderr if stderr else sys.stdout
    return Console(stderr=stderr, highlight=False, soft_wrap=not stream.isatty())


def safe(text: str, style: str = "") -> Text:
    """Untrusted text as an inert rich Text: no markup, no escape codes."""
    from rich.text import Text

    return Text(clean_terminal(text), style=style)


def print_json(value: Any) -> None:
    sys.stdout.write(json_safe(value) + "\n")


def print_lines(lines: Iterable[str]) -> None:
    for line in lines:
        sys.stdout.write(clean_terminal(line) + "\n")


def message(text: str) -> None:
    """A message (not data) on stderr; our own words, untrusted parts already cleaned."""
    sys.stderr.write(clean_terminal(text) + "\n")


@contextmanager
def sync_progress(enabled: bool) -> Iterator[Callable[[str, int], None]]:
    """A progress display on stderr, only on a terminal; yields the callback sync calls."""
    if not enabled or not sys.stderr.isatty():
        yield lambda source, n: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    counts: dict[str, int] = {}
    with Progress(
        SpinnerColumn(),
        # No markup: the label holds [listen] queries (`coffee [/]`, `[link=...]`), shown as typed.
        TextColumn("{task.description}", markup=False),
        TimeElapsedColumn(),
        console=console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("syncing", total=None)

        def advance(source: str, n: int) -> None:
            counts[source] = counts.get(source, 0) + n
            # refresh: each page is drawn, so a short search still shows its query
            bar.update(task, description=progress_label(counts, source), refresh=True)

        yield advance


def progress_label(counts: Mapping[str, int], current: str) -> str:
    """`syncing mentions 1,200 · own 40 · search 12 ("Acme Roasters")`: posts stored per kind
    of source (every [listen] query counts as search), and the query being searched now."""
    kinds: dict[str, int] = {}
    for source, n in counts.items():
        kind = source.partition(":")[0]
        kinds[kind] = kinds.get(kind, 0) + n
    label = " · ".join(f"{kind} {n:,}" for kind, n in kinds.items())
    kind, _, query = current.partition(":")
    return f"syncing {label}" + (f" ({one_line(query)})" if kind == "search" and query else "")


def confirm(question: str) -> bool:
    """A yes/no question on stderr; it may quote a reply (customer names), so never markup."""
    from rich.prompt import Confirm

    return Confirm.ask(safe(question), console=console(stderr=True), default=False)


@contextmanager
def counting_progress(total: int, label: str) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr on a terminal; yields the tick to call per item."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


def print_digest(digest: Any) -> None:
    """The stdout alert channel: the digest's subject, a blank line, then its text."""
    print_lines([digest.subject, "", *digest.text.splitlines()])


def print_settings(rows: Sequence[Mapping[str, Any]], *, as_json: bool) -> None:
    """`config check`: every effective setting and where it came from, the values written as
    in config.toml (`"15m"`, `["stdout"]`, `true`); an unset one says so."""
    if as_json:
        print_json({r["key"]: {"value": r["value"], "source": r["source"]} for r in rows})
        return
    print_lines(
        f"{r['key']}    (not set; {r['source']})"
        if r["value"] is None
        else f"{r['key']} = {toml_value(r['value'])}    ({r['source']})"
        for r in rows
    )


def toml_value(value: Any) -> str:
    """A value as TOML writes it: basic strings (JSON's escapes are TOML's), true/false,
    numbers, arrays."""
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def print_announcement(lines: Sequence[str], warning: str | None) -> None:
    """`sandbox serve`: where it listens and the exports, at once (the server then blocks)."""
    sys.stdout.write("".join(f"{line}\n" for line in lines))
    sys.stdout.flush()
    if warning:
        sys.stderr.write(f"Warning: {warning}\n")


class TerminalUi:
    """The person at the terminal, as the desk speaks to them while a command runs: messages
    on stderr, yes/no questions only when someone is there to answer, progress on a terminal."""

    def note(self, text: str) -> None:
        message(text)

    def ask(self, question: str) -> bool | None:
        """The answer, or None when nobody can be asked (stdin or stderr is not a terminal)."""
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            return None
        return confirm(question)

    def read(self, prompt: str, *, secret: bool = False) -> str:
        """A typed line; a secret is not echoed on a terminal, and read as a plain line from a
        pipe (getpass would insist on the terminal)."""
        if not sys.stdin.isatty() and secret:
            sys.stderr.write(prompt)
            sys.stderr.flush()
            return sys.stdin.readline()
        import getpass

        return getpass.getpass(prompt) if secret else input(prompt)

    def sync_progress(self, enabled: bool) -> AbstractContextManager[Callable[[str, int], None]]:
        return sync_progress(enabled)

    def counting(self, total: int, label: str) -> AbstractContextManager[Callable[[], None]]:
        return counting_progress(total, label)
