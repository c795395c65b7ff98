"""The sync progress line shows [listen] queries as typed: rich markup in a query neither
crashes the sync nor prints a hyperlink or a style on the terminal."""

from __future__ import annotations

import io
import sys
from datetime import timedelta

import pytest

from tweetdesk.output import console as render
from tweetdesk.store.store import Store
from tweetdesk.x.sync import run_sync

from conftest import NOW, Sandbox

QUERIES = (
    "coffee [/]",
    "[bold red]coffee",
    "coffee [link=http://evil.example]x",
    "tea\x1b]0;T\x07",
)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_queries_in_the_progress_line_are_shown_as_typed(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.state.add_tweet("carol", "coffee is nice", created_at=NOW - timedelta(minutes=5))
    stderr = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("NO_COLOR")
    with render.sync_progress(enabled=True) as progress:
        report = run_sync(
            Store.memory(),
            sandbox.client(),
            now=NOW,
            queries=QUERIES,
            since=timedelta(days=7),
            progress=progress,
        )
    assert report.pages > 0
    shown = stderr.getvalue()
    assert "search:coffee [/] " in shown
    assert "search:[bold red]coffee " in shown
    assert "search:coffee [link=http://evil.example]x " in shown
    assert "search:tea␛]0;T\\x07 " in shown
    assert "\x1b]" not in shown  # no OSC 8 hyperlink, no window title
    assert "\x1b[1;31m" not in shown  # no bold red
