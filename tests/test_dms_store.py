"""DM conversations in the store (m006) and DM threads in the pure triage rules."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tweetdesk.store import dms
from tweetdesk.store.store import Store
from tweetdesk.triage.clock import Clock, effective_status
from tweetdesk.triage.state import Item, Status, derive_thread

from conftest import NOW

ACCOUNT = 500


def test_dm_conversations_get_stable_negative_keys(isolated: Path) -> None:
    store = Store(isolated / "desk.db")
    first = dms.keys_for(store, {"12-500": 12, "500-900": 900})
    assert sorted(first.values()) == [-2, -1]  # never a tweet conversation's (X's are positive)
    again = dms.keys_for(store, {"500-900": 900, "777777777777777777": None})
    assert again["500-900"] == first["500-900"]
    assert again["777777777777777777"] == -3  # a group: no participant
    assert dms.conversation_id(store, first["12-500"]) == "12-500"
    assert dms.key_with(store, 900) == first["500-900"]
    store.close()
    reopened = Store(isolated / "desk.db")  # migrated once: the keys stay
    assert dms.keys_for(reopened, {"12-500": 12}) == {"12-500": first["12-500"]}


@pytest.mark.parametrize(
    ("conversation", "expected"),
    [("12-500", 12), ("500-900", 900), ("12-34", None), ("1585094756761149440", None)],
)
def test_the_participant_of_a_conversation(conversation: str, expected: int | None) -> None:
    assert dms.participant_of(conversation, ACCOUNT) == expected


def test_one_to_one_ids_are_smaller_then_larger() -> None:
    assert dms.one_to_one_id(900, 12) == dms.one_to_one_id(12, 900) == "12-900"
    assert dms.is_dm_key(-1) and not dms.is_dm_key(1993301234567890123)


def item(n: int, author: int, minutes_ago: int) -> Item:
    return Item(n, author, NOW - timedelta(minutes=minutes_ago), "dm")


def test_a_dm_thread_waits_from_the_first_dm_after_our_last() -> None:
    items = [item(1, 7, 60), item(2, ACCOUNT, 50), item(3, 7, 20), item(4, 7, 10)]
    state = derive_thread(items, [], account_id=ACCOUNT)
    assert state is not None
    assert (state.source, state.status, state.tweet_id) == ("dm", Status.OPEN, 4)
    assert state.waiting_since == NOW - timedelta(minutes=20)
    assert state.first_response_at == NOW - timedelta(minutes=50)
    answered = derive_thread([*items, item(5, ACCOUNT, 1)], [], account_id=ACCOUNT)
    assert answered is not None and answered.status is Status.REPLIED
    muted = derive_thread(items, [], account_id=ACCOUNT, muted=[7])
    assert muted is not None and muted.status is Status.MUTED


@pytest.mark.parametrize(
    ("source", "dm_stale_after", "expected"),
    [
        ("mention", None, Status.STALE),
        ("dm", None, Status.OPEN),  # a DM thread never goes stale unless [dms] says so
        ("dm", timedelta(hours=72), Status.OPEN),
        ("dm", timedelta(hours=12), Status.STALE),
    ],
)
def test_dm_threads_go_stale_only_with_their_own_limit(
    source: str, dm_stale_after: timedelta | None, expected: Status
) -> None:
    clock = Clock(dm_stale_after=dm_stale_after)
    since = NOW - timedelta(hours=30)
    assert effective_status(Status.OPEN, since, None, NOW, clock, source) is expected
