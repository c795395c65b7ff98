"""`tweetdesk triage` driven headless with Textual's pilot, on a desk synced from the sandbox
over real HTTP: what it shows, moving, replying exactly once, guards that send nothing, close,
snooze, mute, undo, sync, filters, and hostile tweet text shown as typed."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from tweetdesk.screen.dialogs import Compose, Confirm, Pick, Prompt

from conftest import Sandbox, cli
from screendesk import (
    build_desk,
    dm_posts,
    notice,
    open_app,
    screen_text,
    select,
    selected,
    settle,
    strips,
    thread_of,
    thread_pane,
    tweet_posts,
    until,
)

pytestmark = pytest.mark.asyncio
SIZE = (160, 40)


@pytest.fixture
def desk(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    return build_desk(sandbox, monkeypatch)


async def write(pilot: Any, text: str) -> None:
    """Put a text in the open box's input and press enter, as typing it would."""
    await until(pilot, lambda: isinstance(pilot.app.screen, (Compose, Prompt)))
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")
    await settle(pilot)


async def test_opens_on_the_inbox_the_thread_and_the_status(desk: Sandbox) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Overdue (1)" in text and "Waiting (2)" in text
        assert "Brand talk, answer in the X app (1)" in text
        assert "@acmeroasters · synced just now · 1 overdue · $0.0" in text
        assert selected(app).author == "ann"  # the overdue one first
        ann = thread_of("ann")["number"]
        assert f"{ann} 30m     @ann             neutral shipping     my bag arrived split" in text
        assert f"#{ann} open · @ann (Ann Archer) · waiting 30m overdue · neutral" in text
        assert "Mon 23 Nov" in thread_pane(app) and "my bag arrived split" in thread_pane(app)
        assert "r Reply" in text and "q Quit" in text


async def test_j_and_k_move_and_the_thread_follows(desk: Sandbox) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = selected(app).author
        await pilot.press("j")
        await settle(pilot)
        second = selected(app)
        assert second.author != first
        assert f"#{second.number} open" in thread_pane(app)
        await pilot.press("k")
        assert selected(app).author == first
        await pilot.press("down", "down", "up")
        assert selected(app).author == second.author
        await pilot.press("enter")
        assert app.focused is not None and app.focused.id == "thread-pane"
        await pilot.press("escape")
        assert app.focused is not None and app.focused.id == "inbox"


async def test_reply_goes_out_exactly_once(desk: Sandbox) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "ann")
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, Compose))
        await pilot.press("S", "o", "r", "r", "y")
        assert "5/280 (as X counts)" in screen_text(app)
        app.screen.query_one(Input).value = "So sorry Ann 🙂"
        await pilot.pause()
        assert "15/280" in screen_text(app)  # an emoji counts 2, as X counts it
        await pilot.press("enter")
        await settle(pilot)
        assert tweet_posts(desk) == 1
        mine = desk.state.account_tweets()[-1]
        assert mine["text"].endswith("So sorry Ann 🙂")
        number = thread_of("ann")["number"]
        assert notice(app).startswith(f"Replied to @ann (thread {number}): https://x.com/acme")
        assert "@ann " not in screen_text(app).split("│")[0]  # answered: out of the inbox
    assert thread_of("ann")["status"] == "replied"


async def test_a_template_prefills_the_box_and_an_unfilled_one_sends_nothing(
    desk: Sandbox,
) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "ann")
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, Pick))
        await pilot.press("down", "enter")  # (no template), order, thanks
        await settle(pilot)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, Compose))
        box = app.screen.query_one(Input)
        assert box.value == "Hi Ann, order {{order}} is on its way."
        await pilot.press("enter")
        await settle(pilot)
        assert notice(app) == "Error: text needs a value for {{order}}: pass --var order=..."
        assert tweet_posts(desk) == 0
        await pilot.press("r")
        await write(pilot, "Hi Ann, order A1043 is on its way.")
        assert tweet_posts(desk) == 1


@pytest.mark.parametrize(
    ("author", "text", "words"),
    [
        ("ann", "x" * 281, "Error: the reply is 281 characters as X counts them"),
        ("ann", "🙂" * 141, "Error: the reply is 282 characters"),
        ("ann", "   ", "Error: the reply text is empty"),
        ("fan", "Thanks!", "Error: X lets apps reply only to posts that mention or quote"),
    ],
)
async def test_guards_refuse_and_send_nothing(
    desk: Sandbox, author: str, text: str, words: str
) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, author)
        await pilot.press("r")
        await write(pilot, text)
        assert notice(app).startswith(words)
    assert tweet_posts(desk) == 0
    assert thread_of(author)["status"] == "open"


@pytest.mark.parametrize(("answer", "posts"), [("n", 0), ("y", 1)])
async def test_take_a_breath_shows_its_reasons_and_asks(
    desk: Sandbox, answer: str, posts: int
) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "ann")
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, Compose))
        app.screen.query_one(Input).value = "THIS IS NOT OUR FAULT!!! STOP COMPLAINING"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        assert "Take a breath: " in screen_text(app) and "Send anyway?" in screen_text(app)
        await pilot.press(answer)
        await settle(pilot)
        assert notice(app).startswith("Replied" if posts else "Cancelled, nothing sent.")
    assert tweet_posts(desk) == posts


async def test_a_stale_thread_needs_a_yes(desk: Sandbox) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "@old_olga" not in screen_text(app)  # stale: not in the inbox
        await pilot.press("a")  # every thread
        await settle(pilot)
        await select(pilot, "old_olga")
        await pilot.press("r")
        await write(pilot, "Sorry for the wait")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        assert "waited longer than stale_after" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert notice(app) == "Cancelled, nothing sent."
        assert tweet_posts(desk) == 0
        await pilot.press("r")
        await write(pilot, "Sorry for the wait")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await settle(pilot)
    assert tweet_posts(desk) == 1


async def test_the_budget_stops_a_reply(desk: Sandbox) -> None:
    spent = json.loads(cli("usage", "--json").stdout)["estimated_cost_usd"]
    config = Path(os.environ["TWEETDESK_CONFIG"])
    config.write_text(config.read_text() + f"[budget]\nmonthly_usd = {spent + 0.005}\n")
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"${spent:.2f} of ${spent + 0.005:.2f} this month" in screen_text(app)
        await select(pilot, "ann")
        await pilot.press("r")
        await write(pilot, "So sorry Ann")
        assert notice(app).startswith("Error: stopped before this reply: this month's")
    assert tweet_posts(desk) == 0


async def test_close_then_reopen(desk: Sandbox) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "ann")
        await pilot.press("c")
        await settle(pilot)
        number = thread_of("ann")["number"]
        assert notice(app) == f"Thread {number} is now closed · o reopens it"
        assert "@ann " not in screen_text(app).split("│")[0]
        assert selected(app).author != "ann"  # the cursor moved on to the next thread
        await pilot.press("a")
        await settle(pilot)
        await select(pilot, "ann")
        await pilot.press("o")
        await settle(pilot)
        assert notice(app) == f"Thread {number} is now open."
    assert thread_of("ann")["status"] == "open"


async def test_snooze_asks_for_a_time(desk: Sandbox) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "ann")
        await pilot.press("s")
        await write(pilot, "whenever")
        assert notice(app).startswith("Error: bad value for --until: cannot read 'whenever'")
        assert thread_of("ann")["status"] == "open"
        await pilot.press("s")
        await write(pilot, "2h")
        number = thread_of("ann")["number"]
        assert notice(app).startswith(f"Thread {number} snoozed until Mon 23 Nov")
    assert thread_of("ann")["status"] == "snoozed"


async def test_mute_asks_first(desk: Sandbox) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "bob")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await settle(pilot)
        assert notice(app).startswith("Muted @bob (1 threads updated)")
        assert "@bob" not in screen_text(app).split("│")[0]
    assert thread_of("bob")["status"] == "muted"


async def test_undo_deletes_the_reply_sent_from_here(desk: Sandbox) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "ann")
        await pilot.press("r")
        await write(pilot, "So sorry Ann, a new bag goes out today.")
        reply_id = desk.state.account_tweets()[-1]["id"]
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        assert f"Delete reply {reply_id} on X?" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        number = thread_of("ann")["number"]
        assert (
            notice(app) == f"Deleted reply {reply_id} to @ann (thread {number}); it is open again."
        )
    deletes = desk.state.usage()["by_endpoint"]
    assert sum(n for k, n in deletes.items() if k.startswith("DELETE /2/tweets")) == 1
    assert thread_of("ann")["status"] == "open"


async def test_dm_moves_the_thread(desk: Sandbox) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "ann")
        await pilot.press("d")
        await write(pilot, "Hi Ann, could you send your order number?")
        number = thread_of("ann")["number"]
        assert notice(app).startswith(f"DM sent to @ann; thread {number} is now dm · public note")
    assert dm_posts(desk) == 1
    assert thread_of("ann")["status"] == "dm"


async def test_sync_runs_in_the_background_and_the_list_updates(desk: Sandbox) -> None:
    handle = desk.state.account["username"]
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        desk.state.add_tweet("newcomer", f"@{handle} is the Guji back?")
        await pilot.press("S")
        await settle(pilot)
        assert notice(app).startswith("Synced 1 new tweets: ")
        assert "@newcomer" in screen_text(app)


async def test_filter_by_tag_author_and_source(desk: Sandbox) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await write(pilot, "source:search")
        inbox = screen_text(app).split("│")[0]
        assert "@fan" in screen_text(app) and "@ann " not in inbox
        assert "filter: source:search" in screen_text(app)
        await pilot.press("slash")
        await write(pilot, "source:fax")
        assert notice(app) == "Error: no source 'fax': use mention, search or dm"
        await pilot.press("slash")
        await write(pilot, "@bob")
        assert selected(app).author == "bob"
        await pilot.press("slash")
        await write(pilot, "")
        assert "Overdue (1)" in screen_text(app)


async def test_another_process_shows_up_and_nothing_is_held_locked(desk: Sandbox) -> None:
    app = open_app(refresh_seconds=0.01)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Idle, the screen holds no transaction: a writer gets the database at once.
        other = sqlite3.connect(os.environ["TWEETDESK_DB"], timeout=0)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()
        assert not app.desk.store.conn.in_transaction
        assert cli("close", "@bob").exit_code == 0  # a command in another shell
        await until(pilot, lambda: "@bob" not in screen_text(app).split("│")[0])


async def test_hostile_text_is_shown_as_typed(desk: Sandbox) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "eve")
        lines = strips(app)
        text = "\n".join(s.text for s in lines)
        assert "@eve             neutral              [bold]x[/] [link=https://evil" in text
        assert "[link=https://evil.example]click[/link] $x ␛[31mred␛[0m" in text
        assert "␛]8;;https://evil.example\\x07osc" in text
        assert "[red]Eve[/red] ␛[5m" in text  # the display name, in the thread's header
        assert "\x1b" not in text and "\x07" not in text
        for strip in lines:
            for segment in strip:
                if "[bold]" in segment.text or "click" in segment.text:
                    assert segment.style is None or not segment.style.bold
                assert segment.style is None or segment.style.link is None
        pane = thread_pane(app)
        assert "[link=https://evil.example]click[/link]" in pane and "[/] done" in pane


async def test_help_lists_every_key(desk: Sandbox) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for key in ("j / down", "enter", "r", "d", "t", "c", "s", "m", "o", "u", "S", "/", "q"):
            assert f"{key:>10}  " in text
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("q")


async def test_a_warning_said_on_the_way_stays_in_the_last_notice(desk: Sandbox) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "ann")
        await pilot.press("r")
        await write(pilot, "So sorry Ann, see example.com/returns")
        assert notice(app).startswith("Replied to @ann")
        assert " · Warning: the text has a URL: X charges" in notice(app)
    assert tweet_posts(desk) == 1


async def test_q_while_a_send_runs_asks_for_a_second_q(desk: Sandbox) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.busy = True  # as while a reply is on its way
        await pilot.press("q")
        assert notice(app) == "still at work (a send or a sync): q again quits anyway"
        assert app.is_running
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_dms_have_their_group_and_r_answers_by_dm(desk: Sandbox) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Direct messages (1)" in screen_text(app)
        await select(pilot, "priya")
        number = thread_of("priya")["number"]
        pane = thread_pane(app)
        assert "@priya  (DM)" in pane and "[b]refund?[/b] ␛[31mplease" in pane
        await pilot.press("d")
        assert notice(app) == f"thread {number} is a DM conversation already: r answers it"
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, Compose))
        assert f"DM to @priya (thread {number})" in screen_text(app)
        app.screen.query_one(Input).value = "x" * 300  # a DM is not held to 280
        await pilot.pause()
        assert "300/10000" in screen_text(app)
        app.screen.query_one(Input).value = "Refunded just now, sorry Priya."
        await pilot.press("enter")
        await settle(pilot)
        assert notice(app).startswith(
            f"DM sent to @priya (thread {number}): https://x.com/messages/"
        )
    assert (dm_posts(desk), tweet_posts(desk)) == (1, 0)
    assert thread_of("priya")["status"] == "replied"


async def test_a_thread_moved_to_dm_is_followed_there(
    desk: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "ann")
        await pilot.press("d")
        await write(pilot, "Hi Ann, could you send your order number?")
        desk.state.advance(300)  # Ann answers in DM five minutes later
        monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:05:00Z")
        desk.state.add_dm("ann", "sure, it is A1043")
        await pilot.press("S")
        await settle(pilot)
        assert notice(app).startswith("Synced 0 new tweets and 1 new DMs: ")
        assert "Direct messages (2)" in screen_text(app)  # Ann answered in DM: waiting again
        await select(pilot, "ann")
        pane = thread_pane(app)
        assert "one timeline with #" in pane
        assert "my bag arrived split" in pane and "sure, it is A1043" in pane
        assert "-- moved to DM" in pane
