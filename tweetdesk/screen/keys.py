"""The screen's keys, written once: the bindings, the footer and the `?` box all read them."""

from __future__ import annotations

KEYS: list[tuple[str, str, str, str]] = [
    # key, action, footer label, what `?` says
    ("r", "reply", "Reply", "reply in public, or by DM in a DM thread (a template prefills it)"),
    ("d", "dm", "DM", "move to DM: a direct message, then a short public note"),
    ("t", "template", "Template", "choose the template r and d start from"),
    ("c", "close", "Close", "close the thread (it reopens when the customer writes)"),
    ("s", "snooze", "Snooze", "snooze until a time or the customer's next tweet"),
    ("m", "mute", "Mute", "mute the author (a troll); tweets kept as evidence"),
    ("o", "reopen", "Reopen", "reopen a closed, snoozed, stale or answered thread"),
    ("u", "undo", "Undo", "delete the last reply sent from here (else the thread's)"),
    ("S", "sync", "Sync", "sync now, in the background"),
    ("slash", "filter", "Filter", "filter by tag, author or source"),
    ("a", "all", "All", "show every thread (replied, closed, snoozed, stale) or only open"),
    ("question_mark", "help", "Help", "these keys"),
    ("q", "quit", "Quit", "quit"),
]
MOVES: list[tuple[str, str]] = [
    ("j / down", "next thread"),
    ("k / up", "previous thread"),
    ("g / G", "first / last thread"),
    ("enter", "read the thread (j/k scroll it; escape goes back)"),
]
SNOOZE_HINT = "2h, 90m, 'tomorrow 9:00', 'mon 09:00' or '2026-11-24 09:00'; escape cancels"
FILTER_HINT = "tag:shipping  author:@ann  source:mention|dm|search (empty: everything)"
_SHOWN = {"slash": "/", "question_mark": "?"}


def help_lines() -> list[tuple[str, str]]:
    """(key as typed, what it does) for every key, moves first."""
    return [*MOVES, *((_SHOWN.get(key, key), what) for key, _, _, what in KEYS)]
