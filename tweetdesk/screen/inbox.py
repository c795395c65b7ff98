"""The inbox pane: group headings and thread rows, one line each, with a cursor.

Drawn line by line (Textual's line API): only the lines on screen are ever rendered, so a
desk with thousands of waiting threads opens as fast as one with ten, and ages repaint without
re-reading anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from tweetdesk.screen.rows import Heading, Row, heading_row, inbox_rows, number_width, thread_row
from tweetdesk.triage.views import ThreadView


class InboxList(ScrollView, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "move(1)", "Down", show=False),
        Binding("k,up", "move(-1)", "Up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "jump(0)", "First", show=False),
        Binding("end,G", "jump(-1)", "Last", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"inbox--cursor", "inbox--heading", "inbox--row"}
    DEFAULT_CSS = """
    InboxList {
        background: $surface;
        overflow-x: hidden;
        & > .inbox--cursor {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
        }
        &:focus > .inbox--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
        }
    }
    """

    class Moved(Message):
        """The cursor is on another thread (None: the list is empty)."""

        def __init__(self, view: ThreadView | None) -> None:
            super().__init__()
            self.view = view

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.cursor = -1  # index into rows, always a thread row (or -1)
        self.now: datetime | None = None
        self._number_width = 1

    @property
    def selected(self) -> ThreadView | None:
        row = self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None
        return row if isinstance(row, ThreadView) else None

    def show(self, groups: Mapping[str, Sequence[ThreadView]], now: datetime) -> None:
        """New contents; the cursor stays on the same thread, or where that thread was (a
        closed thread leaves: the next one takes its place). Always announces the selection,
        so the thread pane re-reads it too."""
        before, index = self.selected, self.cursor
        self.rows = inbox_rows(groups)
        self.now = now
        self._number_width = number_width(self.rows)
        self.virtual_size = Size(0, len(self.rows))
        threads = [i for i, r in enumerate(self.rows) if isinstance(r, ThreadView)]
        same = [
            i
            for i in threads
            if before is not None and self._row(i).conversation_id == before.conversation_id
        ]
        if same:
            cursor = same[0]
        elif threads:
            cursor = next((i for i in threads if i >= index), threads[-1])
        else:
            cursor = -1
        self._place(cursor)
        self.refresh()

    def tick(self, now: datetime) -> None:
        """Repaint the ages at `now` (nothing is re-read)."""
        self.now = now
        self.refresh()

    def _row(self, index: int) -> ThreadView:
        row = self.rows[index]
        assert isinstance(row, ThreadView)
        return row

    def _place(self, cursor: int, *, announce: bool = True) -> None:
        old, self.cursor = self.cursor, cursor
        for line in (old, cursor):
            if line >= 0:
                self.refresh(Region(0, line - self.scroll_offset.y, self.size.width, 1))
        self.call_after_refresh(self._scroll_to_cursor)
        if announce:
            self.post_message(self.Moved(self.selected))

    def _scroll_to_cursor(self) -> None:
        """Keep the cursor on screen, with its group's heading when it is the group's first."""
        cursor = self.cursor
        if cursor >= 0:
            top = cursor - 1 if cursor and isinstance(self.rows[cursor - 1], Heading) else cursor
            self.scroll_to_region(Region(0, top, 1, 1 + cursor - top), animate=False)

    def _threads(self) -> list[int]:
        return [i for i, r in enumerate(self.rows) if isinstance(r, ThreadView)]

    def action_move(self, step: int) -> None:
        threads = self._threads()
        if not threads:
            return
        here = threads.index(self.cursor) if self.cursor in threads else 0
        target = threads[max(0, min(len(threads) - 1, here + step))]
        if target != self.cursor:
            self._place(target)

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 1))

    def action_jump(self, where: int) -> None:
        threads = self._threads()
        if threads and threads[where] != self.cursor:
            self._place(threads[where])

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        row = self.rows[index] if 0 <= index < len(self.rows) else None
        if row is None or self.now is None:
            return Strip.blank(width, self.get_visual_style("inbox--row").rich_style)
        if isinstance(row, Heading):
            content: Content = heading_row(row)
            style = self.get_visual_style("inbox--row", "inbox--heading")
        else:
            # A mark as well as the colour: the cursor shows without colour too (NO_COLOR).
            here = index == self.cursor
            content = Content("›" if here else " ") + thread_row(row, self.now, self._number_width)
            parts = ("inbox--row", "inbox--cursor") if here else ("inbox--row",)
            style = self.get_visual_style(*parts)
        strips = Visual.to_strips(self, content.truncate(width), width, 1, style, pad=True)
        return strips[0] if strips else Strip.blank(width)

    def on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y
        if 0 <= index < len(self.rows) and isinstance(self.rows[index], ThreadView):
            self._place(index)

    def on_resize(self) -> None:
        self.call_after_refresh(self._scroll_to_cursor)
