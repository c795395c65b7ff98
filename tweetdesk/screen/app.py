"""`tweetdesk triage`: the Textual app. It holds what every part of the screen shares (how to
open a desk, the desk's Ui, the filter, the chosen template, what `u` undoes) and runs desk
work in worker threads; the screen itself (panes and keys) is desk_screen.DeskScreen.

The app keeps no database open for writing and no transaction open: the inbox is re-read in a
worker every few seconds on a connection of its own, closed after, so cron's sync and
commands in another shell go on as usual and their changes show up at the next refresh.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual import work
from textual.app import App
from textual.css.query import NoMatches
from textual.screen import Screen

from tweetdesk.config.settings import read_now
from tweetdesk.desk.board import Board, board
from tweetdesk.desk.desk import Desk
from tweetdesk.desk.listing import Filters
from tweetdesk.desk.ui import Ui
from tweetdesk.errors import Cancelled, TweetdeskError
from tweetdesk.screen.actions import Job, Outcome
from tweetdesk.screen.desk_screen import DeskScreen
from tweetdesk.screen.ui import ScreenUi

OpenDesk = Callable[[Ui], Desk]
REFRESH_SECONDS = 5.0  # how soon another process's change (cron's sync, a CLI reply) shows


class TriageApp(App[None]):
    TITLE = "tweetdesk triage"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, open_desk: OpenDesk, *, refresh_seconds: float = REFRESH_SECONDS) -> None:
        super().__init__()
        self.open_desk = open_desk
        self.refresh_seconds = refresh_seconds
        self.ui = ScreenUi(self, self._say_from_desk, self._progress)
        self.desk = open_desk(self.ui)  # the screen's own reads: one thread, short queries
        self.filters = Filters()
        self.show_all = False
        self.template: str | None = None
        self.last_sent: str | None = None  # the reply `u` undoes first
        self.busy = False  # an action is running (one at a time)
        self.syncing = False
        self.board: Board | None = None
        self._reads = 0  # the newest board read asked for; older answers are dropped
        self._reading = 0  # reads on their way

    def get_default_screen(self) -> Screen[Any]:
        return DeskScreen()

    @property
    def desk_screen(self) -> DeskScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, DeskScreen):
                return screen
        return None

    def first_read(self) -> None:
        """The screen's first inbox, read before its first frame (the screen opens on it; a
        worker thread would only compete with the app's own start for the GIL)."""
        now = self.now()
        try:
            self._show_board(self._reads, board(self.desk, self.filters), now)
        except (TweetdeskError, sqlite3.Error) as exc:
            self.say(_message(exc), True)
        self.set_interval(self.refresh_seconds, self._tick)
        self.set_timer(1.0, self._warm_up)  # after the first frame, before the first reply

    def on_unmount(self) -> None:
        self.ui.release()
        self.desk.close()

    def now(self) -> datetime:
        """The clock for every read (TWEETDESK_NOW pins it, as for every command)."""
        self.desk.now = read_now(self.desk.env)
        return self.desk.now

    # --- reading the desk -------------------------------------------------------------------

    def _tick(self) -> None:
        """The periodic re-read; skipped while one is still on its way (a slow disk)."""
        if not self._reading:
            self.reread()

    def reread(self) -> None:
        """Read the inbox again (in a worker) and show it when it arrives."""
        self._reads += 1
        self._reading += 1
        self._read_board(self._reads, self.filters, self.show_all, self.now())

    @work(thread=True, group="read")
    def _read_board(self, seq: int, filters: Filters, show_all: bool, now: datetime) -> None:
        try:
            desk = self.open_desk(self.ui)
            try:
                desk.now = now
                found = board(desk, filters, show_all=show_all)
            finally:
                desk.close()
        except (TweetdeskError, sqlite3.Error) as exc:
            self.ui.on_app(self._read_failed, _message(exc))
            return
        self.ui.on_app(self._show_board, seq, found, now)

    def _read_failed(self, message: str) -> None:
        self._reading -= 1
        self.say(message, True)

    def _show_board(self, seq: int, found: Board, now: datetime) -> None:
        self._reading = max(0, self._reading - 1)
        if seq != self._reads:
            return  # a newer read is on its way (a filter changed, an action finished)
        self.board = found
        self._on_screen(lambda screen: screen.show_board(found, now))

    # --- running desk work --------------------------------------------------------------------

    def run_job(self, job: Job, *, sync: bool = False) -> None:
        """Run a desk action (or a sync) in a worker; its outcome or error becomes the notice."""
        if self.syncing if sync else self.busy:
            self.say("a sync is already running" if sync else "still busy with the last action")
            return
        if sync:
            self.syncing = True
        else:
            self.busy = True
        self._job_worker(job, sync)

    @work(thread=True, group="desk")
    def _job_worker(self, job: Job, sync: bool) -> None:
        outcome: Outcome | None = None
        error: str | None = None
        try:
            desk = self.open_desk(self.ui)
            try:
                outcome = job(desk)
            finally:
                desk.close()
        except Cancelled as exc:  # the person said no: said as it is, not as an error
            outcome = Outcome(exc.message)
        except (TweetdeskError, sqlite3.Error) as exc:
            error = _message(exc)
        warned = [n for n in self.ui.notes() if n.startswith("Warning:")]
        if outcome is not None and warned:  # a warning said on the way outlives the run
            outcome = Outcome(" · ".join([outcome.notice, *warned]), outcome.sent)
        self.ui.on_app(self._done, outcome, error, sync)

    def _done(self, outcome: Outcome | None, error: str | None, sync: bool) -> None:
        if sync:
            self.syncing = False
        else:
            self.busy = False
        if outcome is not None:
            self.say(outcome.notice)
            if outcome.sent is not None:
                self.last_sent = outcome.sent
        if error is not None:
            self.say(error, True)
        self.reread()

    @work(thread=True, group="warm")
    def _warm_up(self) -> None:
        """X's length counter takes ~0.4 s to import: not on the first key typed."""
        from tweetdesk.values.xtext import weighted_length

        weighted_length("")

    # --- what the person is told --------------------------------------------------------------

    def _on_screen(self, show: Callable[[DeskScreen], None]) -> None:
        """Show something on the screen, if it is still there: a worker's answer can arrive
        while the app closes and its widgets are already gone."""
        screen = self.desk_screen
        if screen is not None:
            with contextlib.suppress(NoMatches):
                show(screen)

    def say(self, text: str, error: bool = False) -> None:
        self._on_screen(lambda screen: screen.notice(text, error=error))

    def _say_from_desk(self, text: str) -> None:
        self.say(text, text.startswith("Warning:"))

    def _progress(self, text: str) -> None:
        self._on_screen(lambda screen: screen.progress(text))


def _message(exc: Exception) -> str:
    if isinstance(exc, TweetdeskError):
        return exc.message
    return f"database error: {exc}"


def run(open_desk: OpenDesk) -> None:
    TriageApp(open_desk).run()
