"""--help as a newcomer reads it: plain metavars (ID, TEXT, DURATION), never typer's `{ref}`,
`<str>` or `<list[str]>`, and a top-level command list whose lines are whole at 80 columns."""

from __future__ import annotations

import re

import pytest

from conftest import cli

COMMANDS = [
    "sync",
    "inbox",
    "overdue",
    "show",
    "close",
    "reopen",
    "snooze",
    "mute",
    "unmute",
    "stale",
    "reply",
    "undo",
    "dm",
    "bulk-reply",
    "alert",
    "stats",
    "usage",
    "evidence",
    "demo",
    "auth login",
    "auth status",
    "config check",
    "sandbox serve",
]


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_names_values_plainly(command: str) -> None:
    shown = cli(*command.split(), "--help").stdout
    assert not re.search(r"\{\w+\}", shown), shown
    assert not re.search(r"<[\w\[\]|, ]+>", shown), shown


def test_usage_lines_show_arguments_as_people_write_them() -> None:
    assert cli("reply", "--help").stdout.startswith("Usage: tweetdesk reply [OPTIONS] ID [TEXT]\n")
    assert "  --until WHEN " in cli("snooze", "--help").stdout
    assert "  --var KEY=VALUE " in cli("bulk-reply", "--help").stdout


def test_the_command_list_is_not_cut_short_at_80_columns() -> None:
    shown = cli("--help").stdout
    listed = shown.split("Commands:\n", 1)[1].splitlines()
    assert len(listed) >= 20
    for line in listed:
        assert not line.endswith("..."), line
        assert len(line) <= 80, line
