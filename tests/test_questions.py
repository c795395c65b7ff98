"""The questions tweetdesk asks before sending show what would go: take a breath repeats the
text and its recipient, the bulk question its first rows, count and cost; "no" is
"Cancelled, nothing sent." (exit 1). --filter rows are named by their thread number."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest

from tweetdesk.output.console import TerminalUi

from conftest import NOW, Sandbox, cli

HEATED = "WHY IS THIS SO HARD TO UNDERSTAND!!!"


@pytest.fixture
def desk(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    Path(os.environ["TWEETDESK_CONFIG"]).write_text(
        '[templates]\nthanks = "Thanks {{first_name}}, it ships today."\n'
        'order = "Hi {{first_name}}, order {{order}} ships."\n'
    )
    handle = sandbox.state.account["username"]
    for n in range(7):
        sandbox.state.add_tweet(
            f"buyer{n}", f"@{handle} where is order {n}?", created_at=NOW - timedelta(minutes=n)
        )
    assert cli("sync", "--quiet").exit_code == 0
    return sandbox


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A person at the terminal who reads each question and answers no."""
    questions: list[str] = []

    def answer_no(self: TerminalUi, question: str) -> bool:
        questions.append(question)
        return False

    monkeypatch.setattr(TerminalUi, "ask", answer_no)
    return questions


def posted(sandbox: Sandbox) -> int:
    return int(sandbox.state.usage()["by_endpoint"].get("POST /2/tweets", 0))


def number_of(author: str) -> int:
    views = json.loads(cli("inbox", "--json", "--author", author).stdout)
    return int(views[0]["number"])


def test_take_a_breath_shows_the_text_and_recipient_and_no_cancels(
    desk: Sandbox, asked: list[str]
) -> None:
    result = cli("reply", "@buyer0", HEATED)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "Cancelled, nothing sent.\n")
    number = number_of("buyer0")
    assert asked[0].startswith(f"To @buyer0 (thread {number}), in public:\n  {HEATED}\n")
    assert asked[0].splitlines()[2].startswith("Take a breath: ")
    assert asked[0].endswith(". Send anyway?")
    assert cli("dm", "@buyer1", HEATED, "--no-note").exit_code == 1
    assert asked[1].startswith(f"To @buyer1 (thread {number_of('buyer1')}), as a DM:\n  {HEATED}\n")
    assert posted(desk) == 0


def test_the_bulk_question_lists_what_goes_and_no_cancels(desk: Sandbox, asked: list[str]) -> None:
    result = cli("bulk-reply", "--filter", "status=open", "--template", "thanks")
    assert (result.exit_code, result.stderr) == (1, "Cancelled, nothing sent.\n")
    (question,) = asked
    lines = question.splitlines()
    assert lines[0] == "7 public replies would go out, about $0.070:"
    assert len(lines) == 1 + 5 + 1 + 1  # five rows, "and 2 more", the question
    assert lines[1].startswith("  #") and "@buyer" in lines[1] and "it ships today." in lines[1]
    assert lines[6] == "  … and 2 more"
    assert lines[7] == "Send 7 public replies?"
    assert posted(desk) == 0


def test_off_a_terminal_the_bulk_refusal_says_what_would_go(desk: Sandbox) -> None:
    result = cli("bulk-reply", "--filter", "status=open", "--template", "thanks")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 7 public replies would go out, about $0.070: pass --yes to send more than 5 at "
        "once\n"
    )


def test_filter_rows_are_named_by_thread_number(desk: Sandbox) -> None:
    result = cli("bulk-reply", "--filter", "author=buyer2", "--template", "thanks", "--dry-run")
    assert result.exit_code == 0, result.stderr
    number = number_of("buyer2")
    assert result.stdout.startswith(f"#{number}  → @buyer2 (")
    assert "line" not in result.stdout
    missing = cli("bulk-reply", "--filter", "author=buyer2", "--template", "order")
    assert missing.exit_code == 2
    assert missing.stderr.startswith(f"#{number}: template needs a value for {{{{order}}}}")
