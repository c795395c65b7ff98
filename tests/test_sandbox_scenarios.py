"""Scenarios (the demo, files and their errors), the clock, ids and bulk data."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tweetdesk.sandbox.model import Fault, iso_ms, snowflake, snowflake_time
from tweetdesk.sandbox.scenario import load_scenario
from tweetdesk.sandbox.state import SandboxState

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo() -> SandboxState:
    return SandboxState(load_scenario("demo", NOW), clock=lambda: NOW)


def mentions(state: SandboxState) -> list[dict[str, Any]]:
    return state.data.mentions_of(state.account["id"], cap=800)


def age(tweet: dict[str, Any]) -> timedelta:
    return NOW - snowflake_time(tweet["id"])


def author(state: SandboxState, tweet: dict[str, Any]) -> dict[str, Any]:
    return state.data.users[tweet["author_id"]]


def test_demo_is_a_coffee_roaster_with_about_forty_mentions(demo: SandboxState) -> None:
    assert demo.account["username"] == "acmeroasters"
    assert demo.account["name"] == "Acme Roasters"
    found = mentions(demo)
    assert 35 <= len(found) <= 45
    assert all(age(t) <= timedelta(days=2) for t in found)
    followers = [author(demo, t)["public_metrics"]["followers_count"] for t in found]
    assert max(followers) > 100_000 and min(followers) < 100


def test_demo_has_the_cases_the_desk_must_handle(demo: SandboxState) -> None:
    found = mentions(demo)
    texts = [t["text"] for t in found]
    by_author: dict[str, list[dict[str, Any]]] = {}
    for tweet in found:
        by_author.setdefault(author(demo, tweet)["username"], []).append(tweet)
    troll = max(by_author.values(), key=len)
    assert len(troll) >= 3  # one user posting several insulting mentions
    threads = [ts for ts in by_author.values() if len({t["conversation_id"] for t in ts}) == 1]
    assert any(len(ts) == 3 for ts in threads)  # a customer's 3-tweet thread
    assert any(re.sub(r"@\w+", "", t).isupper() for t in texts)  # shouting
    assert any("[bold red]" in t and "\x1b[2J" in t for t in texts)
    assert sum(age(t) < timedelta(minutes=10) for t in found) >= 2  # waiting, not overdue
    overdue = [t for t in found if timedelta(minutes=20) <= age(t) <= timedelta(minutes=90)]
    assert len(overdue) >= 5
    assert any(not author(demo, t)["receives_your_dm"] for t in found)


def test_demo_answers_threads_some_from_the_phone(demo: SandboxState) -> None:
    own = demo.account_tweets()
    replies = [t for t in own if "in_reply_to_user_id" in t]
    assert any(t["source"] == "Twitter for iPhone" for t in replies)
    assert len(replies) >= 4
    answered = {t["conversation_id"] for t in replies}
    stale = [t for t in mentions(demo) if age(t) > timedelta(days=1)]
    unanswered_stale = [t for t in stale if t["conversation_id"] not in answered]
    assert len(unanswered_stale) == 1
    announcements = {t["id"] for t in own if "in_reply_to_user_id" not in t}
    customer_replies = [
        t for t in mentions(demo) if t.get("in_reply_to_user_id") == demo.account["id"]
    ]
    assert any(t["conversation_id"] in announcements for t in customer_replies)


def test_demo_brand_talk_without_an_at_is_not_a_mention(demo: SandboxState) -> None:
    brand = [
        t
        for t in demo.data.newest_first()
        if "acme roasters" in t["text"].lower() and t["author_id"] != demo.account["id"]
    ]
    assert len(brand) >= 2
    assert not {t["id"] for t in brand} & {t["id"] for t in mentions(demo)}


def test_demo_times_follow_now() -> None:
    later = NOW + timedelta(days=30)
    first = SandboxState(load_scenario("demo", NOW), clock=lambda: NOW)
    second = SandboxState(load_scenario("demo", later), clock=lambda: later)
    a, b = mentions(first)[0], mentions(second)[0]
    assert snowflake_time(b["id"]) - snowflake_time(a["id"]) == timedelta(days=30)
    assert a["text"] == b["text"]


def test_empty_scenario_has_only_the_account() -> None:
    state = SandboxState(load_scenario("empty", NOW))
    assert list(state.data.users) == [state.account["id"]]
    assert state.data.newest_first() == []


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "scenario.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


ACCOUNT = {"username": "shop"}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("{not json", "is not valid JSON (line 1 column 2"),
        ([], "top level: must be a JSON object"),
        ({}, "'account' is required"),
        ({"account": ACCOUNT, "colour": "red"}, "unknown key 'colour'"),
        ({"account": {"username": "has space"}}, "account: 'username' must be an X handle"),
        ({"account": ACCOUNT, "users": [{"username": "shop"}]}, "a username appears twice"),
        ({"account": ACCOUNT, "tweets": [{"author": "a", "text": "x"}]}, "exactly one of"),
        (
            {"account": ACCOUNT, "tweets": [{"author": "a", "text": "x", "minutes_ago": -1}]},
            "'minutes_ago' must be a number >= 0",
        ),
        (
            {
                "account": ACCOUNT,
                "tweets": [{"author": "a", "text": "x", "minutes_ago": 1, "in_reply_to": "t0"}],
            },
            "'in_reply_to' 't0' names no earlier tweet key",
        ),
        (
            {
                "account": ACCOUNT,
                "tweets": [{"author": "a", "text": "x", "created_at": "2026-01-01"}],
            },
            "not an ISO 8601 time with a zone",
        ),
        ({"account": ACCOUNT, "now": "soon"}, "now: not an ISO 8601 time"),
        ({"account": ACCOUNT, "limits": {"mentions_cap": 0}}, "limits.mentions_cap"),
        (
            {"account": ACCOUNT, "limits": {"rate_limits": {"GET /2/nothing": 3}}},
            "unknown key 'GET /2/nothing'",
        ),
        ({"account": ACCOUNT, "credentials": {"consumer_key": "k"}}, "credentials.consumer_secret"),
        ({"account": ACCOUNT, "revoked": "yes"}, "revoked: must be true or false"),
        ({"account": ACCOUNT, "faults": [{"status": 503}]}, "'match' is required"),
        ({"account": ACCOUNT, "faults": [{"match": "*", "times": "2"}]}, "faults[0].times"),
        ({"account": ACCOUNT, "faults": [{"match": "*", "drop": 1}]}, "faults[0].drop"),
        ({"account": ACCOUNT, "faults": [{"match": "*", "html": True}]}, "faults[0].html"),
        (
            {"account": ACCOUNT, "faults": [{"match": "*", "status": 429, "daily_cap": "week"}]},
            "faults[0].daily_cap: must be 'user' or 'app'",
        ),
        (
            {"account": ACCOUNT, "limits": {"daily_limits": {"POST /2/tweets": {"team": 3}}}},
            "limits.daily_limits['POST /2/tweets']: unknown key 'team'",
        ),
        (
            {"account": ACCOUNT, "limits": {"daily_limits": {"GET /2/users/me": {"user": 3}}}},
            "unknown key 'GET /2/users/me'",
        ),
        (
            {
                "account": ACCOUNT,
                "tweets": [{"author": "a", "text": "x", "minutes_ago": 1, "reply_settings": "all"}],
            },
            "'reply_settings' must be one of everyone, following",
        ),
        ({"account": ACCOUNT, "dms": {"from": "a"}}, "dms: must be a JSON array"),
        ({"account": ACCOUNT, "options": {"strict": "yes"}}, "options: 'strict' must be true"),
    ],
)
def test_bad_scenario_files_name_the_problem(tmp_path: Path, data: Any, problem: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(ValueError, match="scenario") as error:
        load_scenario(path, NOW)
    assert problem in str(error.value)
    assert path in str(error.value)


def test_unknown_names_and_missing_files() -> None:
    with pytest.raises(ValueError, match="unknown scenario 'busy': use one of demo, empty"):
        load_scenario("busy", NOW)
    with pytest.raises(ValueError, match="cannot be read"):
        load_scenario("/nonexistent/scenario.json", NOW)


def test_a_scenario_file_with_its_own_now_stops_the_clock(tmp_path: Path) -> None:
    data = {
        "now": "2026-06-01T12:00:00Z",
        "account": {"username": "shop", "pinned_tweet": "hello"},
        "users": [{"username": "jess", "receives_your_dm": False, "followers_count": 9}],
        "tweets": [
            {"key": "hello", "author": "shop", "text": "We are open", "minutes_ago": 60},
            {"author": "jess", "text": "yay", "minutes_ago": 30, "in_reply_to": "hello"},
        ],
        "faults": [{"match": "POST /2/tweets", "status": 503, "commit": True}],
    }
    state = SandboxState(load_scenario(write(tmp_path, data), NOW))
    assert state.now() == datetime(2026, 6, 1, 12, tzinfo=UTC)
    reply = state.data.newest_first()[0]
    assert reply["text"] == "@shop yay"
    assert reply["created_at"] == "2026-06-01T11:30:00.000Z"
    assert state.pinned_tweet_id == reply["conversation_id"]
    assert state.faults == [Fault(match="POST /2/tweets", status=503, commit=True)]
    state.advance(90)
    assert state.now() == datetime(2026, 6, 1, 12, 1, 30, tzinfo=UTC)


def test_add_mentions_cycles_over_fifty_authors_in_time_order() -> None:
    state = SandboxState(load_scenario("empty", NOW), clock=lambda: NOW)
    ids = state.add_mentions(120, start=NOW - timedelta(hours=2), spacing=timedelta(seconds=30))
    assert ids == sorted(ids, key=int)
    records = [state.tweet(i) for i in ids]
    assert len({r["author_id"] for r in records if r}) == 50
    assert all(r and "@acmeroasters" in r["text"] for r in records)
    assert len({r["text"] for r in records if r}) == 120


def test_add_tweet_creates_unknown_authors_and_checks_references() -> None:
    state = SandboxState(load_scenario("empty", NOW), clock=lambda: NOW)
    tweet = state.add_tweet("brand_new", "hello")
    assert state.data.user_by_name("brand_new") is not None
    assert tweet["created_at"] == "2026-11-23T09:00:00.000Z"
    with pytest.raises(ValueError, match="in_reply_to: no tweet with id 42"):
        state.add_tweet("brand_new", "again", in_reply_to="42")
    with pytest.raises(ValueError, match="already exists"):
        state.add_user("brand_new")


@given(st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2070, 1, 1)))
def test_snowflakes_are_19_digits_and_sort_like_time(when: datetime) -> None:
    when = when.replace(tzinfo=UTC, microsecond=(when.microsecond // 1000) * 1000)
    later = when + timedelta(milliseconds=1)
    assert len(str(snowflake(when))) == 19
    assert snowflake(when) < snowflake(when, 1) < snowflake(later)
    assert snowflake_time(snowflake(when)) == when
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", iso_ms(when))


def test_scenario_tweets_keep_their_reply_settings(tmp_path: Path) -> None:
    data = {
        "account": ACCOUNT,
        "tweets": [
            {
                "author": "shop",
                "text": "Members only",
                "minutes_ago": 5,
                "reply_settings": "following",
            },
            {"author": "shop", "text": "Open to all", "minutes_ago": 4},
        ],
    }
    state = SandboxState(load_scenario(write(tmp_path, data), NOW), clock=lambda: NOW)
    assert [t["reply_settings"] for t in state.account_tweets()] == ["everyone", "following"]
