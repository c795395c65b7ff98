"""Table tests of the pure triage rules, with an explicit now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tweetdesk.triage.clock import Clock, effective_status, is_overdue
from tweetdesk.triage.hours import parse_hours
from tweetdesk.triage.priority import priority, sort_key
from tweetdesk.triage.state import ANSWERING_MARKS, Item, Mark, Status, derive_thread
from tweetdesk.triage.tags import tags_for

US = 1
ALICE, BOB, TROLL = 10, 11, 66
T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def c(tweet_id: int, minutes: float, author: int = ALICE, via: str = "mention") -> Item:
    return Item(tweet_id, author, at(minutes), via)


def ours(tweet_id: int, minutes: float) -> Item:
    return Item(tweet_id, US, at(minutes), "own")


def test_no_customer_tweet_is_no_thread() -> None:
    assert derive_thread([ours(1, 0)], [], account_id=US) is None


def test_open_waits_from_first_unanswered_tweet_not_latest() -> None:
    state = derive_thread([c(1, 0), ours(2, 5), c(3, 10), c(4, 20)], [], account_id=US)
    assert state is not None
    assert state.status is Status.OPEN
    assert state.waiting_since == at(10)
    assert state.waiting_tweet_id == 3
    assert state.tweet_id == 4  # a reply goes to the newest customer tweet
    assert state.first_response_at == at(5)


def test_our_reply_newest_means_replied() -> None:
    state = derive_thread([c(1, 0), ours(2, 5)], [], account_id=US)
    assert state is not None and state.status is Status.REPLIED
    assert state.waiting_since is None


@pytest.mark.parametrize(
    ("kind", "status"), [("closed", Status.CLOSED), ("stale", Status.STALE), ("dm", Status.DM)]
)
def test_marks_act_like_our_reply(kind: str, status: Status) -> None:
    state = derive_thread([c(1, 0)], [Mark(kind, at(3))], account_id=US)
    assert state is not None and state.status is status and state.waiting_since is None


@pytest.mark.parametrize("kind", ["closed", "stale", "dm"])
def test_new_customer_tweet_reopens_and_clock_restarts_after_mark(kind: str) -> None:
    state = derive_thread([c(1, 0), c(2, 30), c(3, 40)], [Mark(kind, at(10))], account_id=US)
    assert state is not None and state.status is Status.OPEN
    assert state.waiting_since == at(30)


def test_new_customer_tweet_reopens_replied() -> None:
    state = derive_thread([c(1, 0), ours(2, 5), c(3, 9)], [], account_id=US)
    assert state is not None and state.status is Status.OPEN and state.waiting_since == at(9)


def test_muted_author_alone_is_muted_and_does_not_open_a_mixed_thread() -> None:
    alone = derive_thread([c(1, 0, TROLL)], [], account_id=US, muted=[TROLL])
    assert alone is not None and alone.status is Status.MUTED
    mixed = derive_thread(
        [c(1, 0, BOB), ours(2, 5), c(3, 9, TROLL)], [], account_id=US, muted=[TROLL]
    )
    assert mixed is not None and mixed.status is Status.REPLIED


def test_snooze_holds_until_next_customer_tweet() -> None:
    snoozed = derive_thread([c(1, 0)], [Mark("snooze", at(5), at(120))], account_id=US)
    assert snoozed is not None and snoozed.status is Status.SNOOZED
    assert snoozed.snooze_until == at(120)
    woken = derive_thread([c(1, 0), c(2, 7)], [Mark("snooze", at(5), at(120))], account_id=US)
    assert woken is not None and woken.status is Status.OPEN


def test_source_search_only_when_no_customer_tweet_mentions_us() -> None:
    brand = derive_thread([c(1, 0, via="search")], [], account_id=US)
    assert brand is not None and brand.source == "search"
    mixed = derive_thread([c(1, 0, via="search"), c(2, 1, via="mention")], [], account_id=US)
    assert mixed is not None and mixed.source == "mention" and mixed.tweet_id == 2


CLOCK = Clock(sla=timedelta(minutes=15), stale_after=timedelta(hours=24))


@pytest.mark.parametrize(
    ("waited", "status", "overdue"),
    [
        (timedelta(minutes=15), Status.OPEN, False),  # strictly longer than the SLA
        (timedelta(minutes=15, seconds=1), Status.OPEN, True),
        (timedelta(hours=24), Status.OPEN, True),
        (timedelta(hours=24, seconds=1), Status.STALE, False),  # stale is never overdue
    ],
)
def test_overdue_and_stale_boundaries(waited: timedelta, status: Status, overdue: bool) -> None:
    now = at(0) + waited
    got = effective_status(Status.OPEN, at(0), None, now, CLOCK)
    assert got is status
    assert is_overdue(got, at(0), now, CLOCK) is overdue


def test_snooze_ends_at_its_time() -> None:
    assert effective_status(Status.SNOOZED, at(0), at(60), at(59), CLOCK) is Status.SNOOZED
    assert effective_status(Status.SNOOZED, at(0), at(60), at(60), CLOCK) is Status.OPEN


HOURS = parse_hours(
    {
        "timezone": "Europe/London",
        "days": "mon-fri",
        "open": "09:00",
        "close": "17:00",
        "holidays": ["2026-12-25"],
    }
)
BUSINESS = Clock(sla=timedelta(minutes=15), stale_after=timedelta(hours=96), hours=HOURS)


@pytest.mark.parametrize(
    ("posted", "now", "overdue"),
    [
        # Sunday 23:00 -> Monday 09:10 is 10 business minutes: not overdue.
        (
            datetime(2026, 11, 22, 23, 0, tzinfo=UTC),
            datetime(2026, 11, 23, 9, 10, tzinfo=UTC),
            False,
        ),
        # Friday 16:50 -> Monday 09:10 is 20 business minutes: overdue.
        (
            datetime(2026, 11, 20, 16, 50, tzinfo=UTC),
            datetime(2026, 11, 23, 9, 10, tzinfo=UTC),
            True,
        ),
        # Christmas Day is a holiday (Friday): 24 Dec 16:55 -> 28 Dec 09:05 is 10 minutes.
        (
            datetime(2026, 12, 24, 16, 55, tzinfo=UTC),
            datetime(2026, 12, 28, 9, 5, tzinfo=UTC),
            False,
        ),
        # During opening hours the clock is wall-clock.
        (
            datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
            datetime(2026, 11, 23, 10, 16, tzinfo=UTC),
            True,
        ),
    ],
)
def test_business_hours_sla(posted: datetime, now: datetime, overdue: bool) -> None:
    status = effective_status(Status.OPEN, posted, None, now, BUSINESS)
    assert status is Status.OPEN
    assert is_overdue(status, posted, now, BUSINESS) is overdue


def test_priority_puts_angry_and_far_reaching_first() -> None:
    calm = priority(0.6, 100, complaint=False)
    angry = priority(-0.8, 100, complaint=True)
    famous = priority(0.0, 1_000_000, complaint=False)
    assert angry > famous > calm


def test_sort_overdue_then_priority_then_longest_waiting() -> None:
    rows = [
        ("waiting-high", sort_key(False, 3.0, at(0))),
        ("overdue-low", sort_key(True, 0.1, at(5))),
        ("overdue-high-new", sort_key(True, 2.0, at(9))),
        ("overdue-high-old", sort_key(True, 2.0, at(1))),
    ]
    rows.sort(key=lambda r: r[1])
    assert [r[0] for r in rows] == [
        "overdue-high-old",
        "overdue-high-new",
        "overdue-low",
        "waiting-high",
    ]


@pytest.mark.parametrize(
    ("text", "hashtags", "expected"),
    [
        ("Where is my order?", [], ["shipping"]),
        ("The parcel never arrived #fail", ["fail"], ["shipping", "fail"]),
        ("Love the #Shipping speed", ["shipping"], ["shipping"]),
        ("Is the espresso grind fine?", [], ["grind"]),
        ("Ordering soon", [], []),  # words, not substrings
        ("nice", ["CoffeeLove"], ["coffeelove"]),
    ],
)
def test_tags_from_rules_and_hashtags(text: str, hashtags: list[str], expected: list[str]) -> None:
    rules = {"shipping": ["order", "arrived", "#shipping"], "grind": ["espresso grind"]}
    assert tags_for(text, hashtags, rules) == expected


def test_stale_stays_wall_clock_with_business_hours() -> None:
    """The customer sees a weekend: a desk closed at weekends needs stale_after = 72h."""
    day = Clock(sla=timedelta(minutes=15), stale_after=timedelta(hours=24), hours=HOURS)
    posted = datetime(2026, 11, 20, 16, 50, tzinfo=UTC)
    now = datetime(2026, 11, 23, 9, 10, tzinfo=UTC)
    assert effective_status(Status.OPEN, posted, None, now, day) is Status.STALE


def test_public_note_after_a_dm_keeps_the_thread_dm() -> None:
    state = derive_thread([c(1, 0), ours(2, 6)], [Mark("dm", at(5))], account_id=US)
    assert state is not None
    assert state.status is Status.DM
    reopened = derive_thread([c(1, 0), ours(2, 6), c(3, 9)], [Mark("dm", at(5))], account_id=US)
    assert reopened is not None
    assert reopened.status is Status.OPEN


@pytest.mark.parametrize(
    ("events", "status", "since"),
    [
        # reopened after our reply: waits again from the reopen, though nothing new was said
        ([c(1, 0), ours(2, 5)], Status.OPEN, at(30)),
        # reopened after a day-old wait was marked stale: the clock restarts at the reopen
        ([c(1, -2000)], Status.OPEN, at(30)),
        # a customer tweet after the reopen does not move the clock: it started at the reopen
        ([c(1, 0), ours(2, 5), c(3, 40)], Status.OPEN, at(30)),
        # our reply after the reopen answers it again
        ([c(1, 0), ours(2, 5), ours(3, 45)], Status.REPLIED, None),
    ],
)
def test_reopen_mark_waits_from_the_reopen(
    events: list[Item], status: Status, since: datetime | None
) -> None:
    marks = [Mark("reopen", at(30))]
    state = derive_thread(events, marks, account_id=US)
    assert state is not None
    assert (state.status, state.waiting_since) == (status, since)


def test_snooze_after_reopen_holds() -> None:
    marks = [Mark("reopen", at(30)), Mark("snooze", at(31), until=at(120))]
    state = derive_thread([c(1, 0), ours(2, 5)], marks, account_id=US)
    assert state is not None
    assert (state.status, state.snooze_until) == (Status.SNOOZED, at(120))


def test_reopen_of_a_muted_authors_thread_stays_muted() -> None:
    state = derive_thread([c(1, 0, TROLL)], [Mark("reopen", at(30))], account_id=US, muted=[TROLL])
    assert state is not None
    assert (state.status, state.waiting_since) == (Status.MUTED, None)


def test_a_complaint_never_loses_priority_for_a_positive_score_and_shouting_adds() -> None:
    calm_question = priority(0.0, 100, complaint=False)
    # VADER scores "WHERE IS MY ORDER?? ... THIS IS A JOKE" at +0.51
    shouted_complaint = priority(0.51, 100, complaint=True, shouting=True)
    quiet_complaint = priority(0.51, 100, complaint=True)
    assert shouted_complaint > quiet_complaint > calm_question
    assert quiet_complaint == priority(0.0, 100, complaint=True)


@pytest.mark.parametrize("kind", ["closed", "stale", "dm"])
def test_a_mark_answers_only_what_the_desk_had_seen(kind: str) -> None:
    # tweet 3 was written at minute 20, but synced only after the mark at minute 30 (which had
    # seen up to tweet 1): it still waits, from when it was written
    marks = [Mark(kind, at(30), covers=1)]
    state = derive_thread([c(1, 0), c(3, 20)], marks, account_id=US)
    assert state is not None
    assert (state.status, state.waiting_since, state.waiting_tweet_id) == (
        Status.OPEN,
        at(20),
        3,
    )
    # a mark recorded before covers_id existed answers by time, as it always did
    old = derive_thread([c(1, 0), c(3, 20)], [Mark(kind, at(30))], account_id=US)
    assert old is not None and old.status is ANSWERING_MARKS[kind]


def test_a_tweet_synced_after_a_snooze_ends_it() -> None:
    # the snooze at minute 30 had seen tweet 1; tweet 3 (written at 20, synced later) ends it
    marks = [Mark("snooze", at(30), until=at(120), covers=1)]
    state = derive_thread([c(1, 0), c(3, 20)], marks, account_id=US)
    assert state is not None
    assert (state.status, state.waiting_since) == (Status.OPEN, at(0))
    held = derive_thread([c(1, 0)], marks, account_id=US)
    assert held is not None and held.status is Status.SNOOZED
