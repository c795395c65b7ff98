"""The triage screen: the status line, the inbox on the left, the thread under the cursor on
the right, the notice line and the keys. Each key asks what it needs (a text, a time, a yes)
in a modal box, then hands one job to the app (actions.py: the commands' own functions).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Protocol

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from tweetdesk.compose.draft import DM_LIMIT
from tweetdesk.desk.board import Board, prefill, template_names, thread
from tweetdesk.desk.desk import Desk
from tweetdesk.desk.listing import Filters
from tweetdesk.errors import TweetdeskError
from tweetdesk.output.safe import one_line
from tweetdesk.screen import actions
from tweetdesk.screen.dialogs import Compose, Confirm, Help, Pick, Prompt
from tweetdesk.screen.inbox import InboxList
from tweetdesk.screen.keys import FILTER_HINT, KEYS, SNOOZE_HINT, help_lines
from tweetdesk.screen.rows import status_line, timeline
from tweetdesk.triage.views import ThreadView, group_inbox
from tweetdesk.values.xtext import MAX_WEIGHTED_LENGTH


class Front(Protocol):
    """What the screen needs of the app (app.TriageApp): the reading desk, the shared choices,
    and the way to run desk work."""

    desk: Desk
    board: Board | None
    filters: Filters
    show_all: bool
    template: str | None
    last_sent: str | None
    busy: bool
    syncing: bool

    def run_job(self, job: actions.Job, *, sync: bool = False) -> None: ...

    def reread(self) -> None: ...

    def first_read(self) -> None: ...


class ThreadPane(VerticalScroll, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
    ]


class DeskScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, action, label) for key, action, label, _ in KEYS),
        Binding("enter", "focus_thread", "Read", show=False),
        Binding("escape,tab", "focus_inbox", "Inbox", show=False),
    ]
    DEFAULT_CSS = """
    #status { height: 1; background: $boost; padding: 0 1; }
    #panes { height: 1fr; }
    #inbox { width: 3fr; }
    #thread-pane { width: 2fr; border-left: solid $primary; padding: 0 1; }
    #notice { height: 1; padding: 0 1; color: $text-muted; }
    #notice.error { color: $error; text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.running = ""  # what the status line says is going on (a sync's progress)
        self.quitting = False  # q was pressed while something was still running

    @property
    def triage(self) -> Front:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(Content("reading the desk…"), id="status")
        with Horizontal(id="panes"):
            yield InboxList(id="inbox")
            with ThreadPane(id="thread-pane"):
                yield Static(Content(""), id="thread")
        yield Static(Content("? shows every key"), id="notice")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(InboxList).focus()
        self.triage.first_read()

    # --- what is shown ----------------------------------------------------------------------

    def show_board(self, found: Board, now: datetime) -> None:
        self.query_one(InboxList).show(group_inbox(found.views), now)
        self._status(found, now)

    def _status(self, found: Board, now: datetime) -> None:
        app = self.triage
        shown = [self.running]
        if app.filters != Filters():
            shown.append(f"filter: {actions.describe(app.filters)}")
        if app.show_all:
            shown.append("all threads")
        if app.template:
            shown.append(f"template: {app.template}")
        extra = " · ".join(s for s in shown if s)
        money = (found.spent_usd, found.budget_usd)
        line = status_line(found.handle, found.synced_at, found.overdue, *money, now, extra)
        self.query_one("#status", Static).update(line)

    def on_inbox_list_moved(self, message: InboxList.Moved) -> None:
        self._show_thread(message.view)

    def _show_thread(self, view: ThreadView | None) -> None:
        pane = self.query_one("#thread", Static)
        if view is None:
            pane.update(Content("Nothing is waiting. S syncs; a shows every thread."))
            return
        desk = self.triage.desk
        try:
            found = thread(desk, view.number)
        except TweetdeskError as exc:
            pane.update(Content(one_line(exc.message)))
            return
        about = found.view or view  # as `show` reads it, linked timelines included
        shown = timeline(found.head, found.items, found.account, about, desk.timezone, desk.now)
        before = pane.content
        if not (isinstance(before, Content) and shown.is_same(before)):  # repaint on a change
            pane.update(shown)

    def notice(self, text: str, *, error: bool = False) -> None:
        line = self.query_one("#notice", Static)
        line.update(Content(one_line(("Error: " if error else "") + text)))
        line.set_class(error, "error")

    def progress(self, text: str) -> None:
        self.running = text
        app = self.triage
        if app.board is not None:
            self._status(app.board, app.desk.now)

    # --- keys -------------------------------------------------------------------------------

    def _selected(self) -> ThreadView | None:
        view = self.query_one(InboxList).selected
        if view is None:
            self.notice("no thread selected")
        return view

    def action_focus_thread(self) -> None:
        self.query_one(ThreadPane).focus()

    def action_focus_inbox(self) -> None:
        self.query_one(InboxList).focus()

    def action_reply(self) -> None:
        self._open_compose("reply")

    def action_dm(self) -> None:
        self._open_compose("dm")

    def _open_compose(self, kind: str) -> None:
        view = self._selected()
        if view is None:
            return
        app = self.triage
        private = view.source == "dm"  # a DM thread: r answers by DM, into its conversation
        if kind == "dm" and private:
            self.notice(f"thread {view.number} is a DM conversation already: r answers it")
            return
        text = ""
        if app.template:
            try:
                text = prefill(app.desk, view.number, app.template)
            except TweetdeskError as exc:
                self.notice(exc.message, error=True)
                return
        public = kind == "reply" and not private
        verb = "Reply to" if public else "DM to"
        title = f"{verb} @{view.author} (thread {view.number})"
        limit, weighted = (MAX_WEIGHTED_LENGTH, True) if public else (DM_LIMIT, False)
        job = actions.reply if kind == "reply" else actions.dm

        def send(text: str | None) -> None:
            if text is not None:
                app.run_job(lambda desk: job(desk, view.number, text))

        self.app.push_screen(Compose(title, view.text, text, limit=limit, weighted=weighted), send)

    def action_template(self) -> None:
        names = template_names(self.triage.desk)
        if not names:
            self.notice("no [templates] in the config file")
            return

        def chosen(name: str | None) -> None:
            if name is not None:
                self.triage.template = name or None
                self.notice(f"r and d start from template {name}" if name else "no template")
                self.triage.reread()

        self.app.push_screen(Pick("Start replies from which template?", names), chosen)

    def action_close(self) -> None:
        view = self._selected()
        if view is not None:
            self.triage.run_job(lambda desk: actions.close(desk, view.number))

    def action_reopen(self) -> None:
        view = self._selected()
        if view is not None:
            self.triage.run_job(lambda desk: actions.reopen(desk, view.number))

    def action_snooze(self) -> None:
        view = self._selected()
        if view is None:
            return

        def until(text: str | None) -> None:
            if text and text.strip():
                self.triage.run_job(lambda desk: actions.snooze(desk, view.number, text))

        self.app.push_screen(Prompt(f"Snooze thread {view.number} until", SNOOZE_HINT), until)

    def action_mute(self) -> None:
        view = self._selected()
        if view is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.triage.run_job(lambda desk: actions.mute(desk, view.author))

        question = f"Mute @{view.author}? Their threads leave the inbox; tweets stay as evidence."
        self.app.push_screen(Confirm(question), answer)

    def action_undo(self) -> None:
        app = self.triage
        view = self.query_one(InboxList).selected
        ref = app.last_sent or (str(view.number) if view else None)
        if ref is None:
            self.notice("nothing to undo")
            return
        what = f"reply {ref}" if app.last_sent else f"the last reply in thread {ref}"

        def answer(yes: bool | None) -> None:
            if yes:
                app.last_sent = None
                app.run_job(lambda desk: actions.undo(desk, ref))

        self.app.push_screen(Confirm(f"Delete {what} on X?"), answer)

    def action_sync(self) -> None:
        self.triage.run_job(actions.sync, sync=True)

    def action_filter(self) -> None:
        app = self.triage

        def apply(text: str | None) -> None:
            if text is None:
                return
            try:
                app.filters = actions.filters_from(text)
            except TweetdeskError as exc:
                self.notice(exc.message, error=True)
                return
            app.reread()

        shown = actions.describe(app.filters)
        self.app.push_screen(Prompt("Filter the inbox", FILTER_HINT, shown), apply)

    def action_all(self) -> None:
        self.triage.show_all = not self.triage.show_all
        self.triage.reread()

    def action_help(self) -> None:
        self.app.push_screen(Help(help_lines()))

    def action_quit(self) -> None:
        app = self.triage
        if (app.busy or app.syncing) and not self.quitting:
            self.quitting = True
            self.notice("still at work (a send or a sync): q again quits anyway")
            return
        self.app.exit()
