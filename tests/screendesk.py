"""Driving `tweetdesk triage` headless in tests: a desk synced from the sandbox over HTTP, the
app on it, and helpers to wait for its workers, read what the screen shows and pick a thread."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.strip import Strip
from textual.worker import WorkerState

from tweetdesk.screen.app import TriageApp

from conftest import NOW, Sandbox, cli

CONFIG = """
[listen]
queries = ['"Acme Roasters"']
[tags]
shipping = ["order", "delivery", "arrived"]
[templates]
order = "Hi {{first_name|there}}, order {{order}} is on its way."
thanks = "Thanks {{first_name|friend}}, enjoy the beans!"
"""
_WORKING = (WorkerState.PENDING, WorkerState.RUNNING)
HOSTILE = (
    "@{handle} [bold]x[/] [link=https://evil.example]click[/link] $x \x1b[31mred\x1b[0m "
    "\x1b]8;;https://evil.example\x07osc\x1b]8;;\x07 [/] done"
)


def build_desk(sandbox: Sandbox, monkeypatch: Any, extra_config: str = "") -> Sandbox:
    """The sandbox's customers synced into the test desk, through the real client."""
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    Path(os.environ["TWEETDESK_CONFIG"]).write_text(CONFIG + extra_config)
    s = sandbox.state
    handle = s.account["username"]
    s.add_user("ann", name="Ann Archer")
    s.add_user("eve", name="[red]Eve[/red] \x1b[5m")
    s.add_tweet("ann", f"@{handle} my bag arrived split", created_at=NOW - timedelta(minutes=30))
    s.add_tweet("bob", f"@{handle} do you ship to Ireland?", created_at=NOW - timedelta(minutes=5))
    s.add_tweet("old_olga", f"@{handle} hello?", created_at=NOW - timedelta(hours=30))
    s.add_tweet("fan", "Acme Roasters is lovely", created_at=NOW - timedelta(minutes=10))
    s.add_tweet("eve", HOSTILE.format(handle=handle), created_at=NOW - timedelta(minutes=3))
    s.add_user("priya", name="Priya Shah")
    s.add_dm("priya", "[b]refund?[/b] \x1b[31mplease", created_at=NOW - timedelta(minutes=8))
    assert cli("sync", "--quiet").exit_code == 0
    return sandbox


def open_app(**options: Any) -> TriageApp:
    from tweetdesk.desk.desk import Desk

    return TriageApp(lambda ui: Desk.load(ui=ui), **options)


async def settle(pilot: Pilot[Any]) -> None:
    """Let every worker (an action, the re-read it starts) finish and the screen repaint; stop
    early when a question is up (its worker waits for the answer)."""
    from textual.screen import ModalScreen

    app = pilot.app
    for _ in range(2000):
        await pilot.pause(0.005)
        if isinstance(app.screen, ModalScreen):
            return
        if not any(w.state in _WORKING for w in app.workers):
            break
    else:
        raise AssertionError("the screen's workers never finished")
    await pilot.pause()


async def until(pilot: Pilot[Any], condition: Any, tries: int = 2000) -> None:
    """Wait (bounded) for something a worker or a timer brings, without sleeping."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    raise AssertionError("the screen never got there")


def strips(app: TriageApp) -> list[Strip]:
    """The whole screen as the terminal would get it: one Strip (segments, styles) per line."""
    return list(app.screen._compositor.render_strips())


def screen_text(app: TriageApp) -> str:
    return "\n".join(s.text for s in strips(app))


def notice(app: TriageApp) -> str:
    from textual.widgets import Static

    return str(app.desk_screen.query_one("#notice", Static).content)


def thread_pane(app: TriageApp) -> str:
    from textual.widgets import Static

    return str(app.desk_screen.query_one("#thread", Static).content)


def selected(app: TriageApp) -> Any:
    from tweetdesk.screen.inbox import InboxList

    return app.desk_screen.query_one(InboxList).selected


async def select(pilot: Pilot[Any], author: str) -> None:
    """Walk the inbox with j (from the top) to the author's thread, as a person would."""
    await pilot.press("g")
    for _ in range(50):
        if selected(pilot.app).author == author:
            await settle(pilot)
            return
        await pilot.press("j")
    raise AssertionError(f"no thread from @{author} in the inbox")


def thread_of(author: str) -> dict[str, Any]:
    views = json.loads(cli("inbox", "--all", "--json").stdout)
    return next(v for v in views if v["author"] == author)


def tweet_posts(sandbox: Sandbox) -> int:
    return int(sandbox.state.usage()["by_endpoint"].get("POST /2/tweets", 0))


def dm_posts(sandbox: Sandbox) -> int:
    by_endpoint = sandbox.state.usage()["by_endpoint"]
    return sum(n for k, n in by_endpoint.items() if k.startswith("POST /2/dm_conversations"))
