"""The desk's `Ui` on the screen: what a command would print during a run (warnings, notices)
becomes the notice line, the yes/no question (take a breath, stale) a modal box, and progress
the status line.

Desk work runs in worker threads (a reply waits on the network; the screen must not freeze),
so every call here crosses to the app's thread with `call_from_thread`; a question blocks only
its worker until the person answers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

from tweetdesk.output.safe import one_line
from tweetdesk.screen.dialogs import Confirm

if TYPE_CHECKING:
    from textual.app import App


class ScreenUi:
    def __init__(self, app: App[Any], say: Callable[[str], None], progress: Callable[[str], None]):
        self.app = app
        self.say = say  # the notice line
        self.progress = progress  # the status line's "what is running" part
        self._waiting: set[Future[bool | None]] = set()
        self._notes: dict[int, list[str]] = {}  # what each worker's run said, by thread

    def on_app(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Call `fn` on the app's thread (from a worker: and wait for it)."""
        if self._on_app_thread():
            return fn(*args)
        try:
            return self.app.call_from_thread(fn, *args)
        except RuntimeError:  # the app has gone (quit while a worker ran): nobody to tell
            return None

    def _on_app_thread(self) -> bool:
        return threading.get_ident() == self.app._thread_id

    def note(self, text: str) -> None:
        """Shown at once, and kept for the run's last notice (a warning must outlive it)."""
        self._notes.setdefault(threading.get_ident(), []).append(one_line(text))
        self.on_app(self.say, one_line(text))

    def notes(self) -> list[str]:
        """What the calling worker's run has said so far (and forget it)."""
        return self._notes.pop(threading.get_ident(), [])

    def ask(self, question: str) -> bool | None:
        """A modal yes/no; None when the screen closes before an answer (nothing is sent), or
        when asked on the app's own thread, which must never wait."""
        if self._on_app_thread():
            return None
        answer: Future[bool | None] = Future()
        self._waiting.add(answer)

        def show() -> None:
            self.app.push_screen(Confirm(question), callback=answer.set_result)

        try:
            self.on_app(show)
            return answer.result()
        finally:
            self._waiting.discard(answer)

    def release(self) -> None:
        """The screen is closing: every open question is answered "nobody there"."""
        for answer in list(self._waiting):
            if not answer.done():
                answer.set_result(None)

    def read(self, prompt: str, *, secret: bool = False) -> str:
        return ""  # nothing the screen runs reads a typed line (auth login is a command)

    def sync_progress(self, enabled: bool) -> AbstractContextManager[Callable[[str, int], None]]:
        return self._sync_progress()

    @contextmanager
    def _sync_progress(self) -> Iterator[Callable[[str, int], None]]:
        counts: dict[str, int] = {}

        def advance(source: str, n: int) -> None:
            counts[source] = counts.get(source, 0) + n
            label = ", ".join(f"{one_line(k)} {v}" for k, v in counts.items())
            self.on_app(self.progress, f"syncing: {label}")

        self.on_app(self.progress, "syncing…")
        try:
            yield advance
        finally:
            self.on_app(self.progress, "")

    def counting(self, total: int, label: str) -> AbstractContextManager[Callable[[], None]]:
        return self._counting(total, label)

    @contextmanager
    def _counting(self, total: int, label: str) -> Iterator[Callable[[], None]]:
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            self.on_app(self.progress, f"{one_line(label)} {done}/{total}")

        try:
            yield tick
        finally:
            self.on_app(self.progress, "")
