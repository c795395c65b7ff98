"""How the desk speaks to the person while a command runs. The CLI passes the terminal
(output.console.TerminalUi); a full-screen front end passes its own.

The desk never prints its results: it returns them for the front end to show. Only what must be
said *during* a run goes through here: warnings before a question, the question itself, progress.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol


class Ui(Protocol):
    def note(self, text: str) -> None:
        """A message for the person (a warning, a notice): never data."""

    def ask(self, question: str) -> bool | None:
        """A yes/no question; None when nobody is there to answer (not a terminal)."""

    def read(self, prompt: str, *, secret: bool = False) -> str:
        """A line the person types (`secret`: not echoed); "" when nothing was entered."""

    def sync_progress(self, enabled: bool) -> AbstractContextManager[Callable[[str, int], None]]:
        """Progress of a sync: the callback takes a source and how many posts it just stored."""

    def counting(self, total: int, label: str) -> AbstractContextManager[Callable[[], None]]:
        """Progress over `total` items: the callback is called once per item."""
