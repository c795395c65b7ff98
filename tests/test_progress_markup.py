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
    assert " · search 0 (coffee [/])" in shown
    assert "([bold red]coffee)" in shown
    assert "(coffee [link=http://evil.example]x)" in shown
    assert "(tea␛]0;T\\x07)" in shown
    assert "\x1b]" not in shown  # no OSC 8 hyperlink, no window title
    assert "\x1b[1;31m" not in shown  # no bold red


def test_the_progress_line_counts_by_kind_of_source() -> None:
    counts = {"mentions": 1200, "own": 40, 'search:"Acme Roasters"': 10, "search:beans": 2}
    assert render.progress_label(counts, "search:beans") == (
        "syncing mentions 1,200 · own 40 · search 12 (beans)"
    )
    assert render.progress_label({"mentions": 100}, "mentions") == "syncing mentions 100"
