"""The recent-search query subset: what matches, and what X would refuse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tweetdesk.sandbox.scenario import load_scenario
from tweetdesk.sandbox.search import QueryError, compile_query, facts
from tweetdesk.sandbox.state import SandboxState

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def tweets() -> dict[str, tuple[dict[str, object], SandboxState]]:
    state = SandboxState(load_scenario("empty", NOW), clock=lambda: NOW)
    at = NOW - timedelta(hours=1)
    own = state.add_tweet("acmeroasters", "Holiday Blend is back!", created_at=at)
    made = {
        "brand": state.add_tweet("jo", "Loving Acme Roasters coffee today", created_at=at),
        "mention": state.add_tweet(
            "jess", "@acmeroasters my order is late #shipping", created_at=at
        ),
        "reply": state.add_tweet("sam", "is it decaf?", created_at=at, in_reply_to=own["id"]),
        "quote": state.add_tweet("kit", "want it", created_at=at, quote_of=own["id"]),
        "link": state.add_tweet("pete", "acme review: https://blog.co.uk/beans", created_at=at),
        "decaf": state.add_tweet("di", "Decaf that isn't sad? Acme's is ok", created_at=at),
    }
    return {key: (tweet, state) for key, tweet in made.items()}


def matching(query: str, tweets: dict[str, tuple[dict[str, object], SandboxState]]) -> set[str]:
    test = compile_query(query)
    return {
        key
        for key, (tweet, state) in tweets.items()
        if test(facts(state.data.tweets[str(tweet["id"])], state.data.users))
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"acme roasters"', {"brand"}),
        ("ACME roasters", {"brand"}),
        ("acme", {"brand", "link", "decaf"}),  # "@acmeroasters" is not the word acme
        ("beans", set()),  # words of a link are not the tweet's words
        ("acme -decaf", {"brand", "link"}),
        ("decaf OR late", {"reply", "mention", "decaf"}),
        ("(decaf OR late) -is:reply", {"mention", "decaf"}),
        ("from:jess", {"mention"}),
        ("to:acmeroasters", {"reply"}),
        ("@acmeroasters", {"mention", "reply"}),  # X starts a reply with the @
        ("#shipping", {"mention"}),
        ("#Shipping order", {"mention"}),
        ("acme has:links", {"link"}),
        ("want is:quote", {"quote"}),
        ("decaf is:reply", {"reply"}),
        ("acme is:retweet", set()),
        ("acme -(loving OR review)", {"decaf"}),
        ("isn't", {"decaf"}),
    ],
)
def test_queries_match_like_x(
    tweets: dict[str, tuple[dict[str, object], SandboxState]], query: str, expected: set[str]
) -> None:
    assert matching(query, tweets) == expected


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("", "empty query"),
        ("(acme OR", "no viable alternative"),
        ("(acme", "missing ')'"),
        ("acme)", "no viable alternative at input ')'"),
        ('"acme roasters', "extraneous input"),
        ("lang:en acme", "Reference to invalid operator 'lang:en'"),
        ("url:acme.co", "Reference to invalid operator"),
        ("-acme", "at least one positive"),
        ("is:reply", "at least one positive"),
        ("x" * 513, "longer than 512"),
    ],
)
def test_queries_x_refuses(query: str, problem: str) -> None:
    with pytest.raises(QueryError, match="There were errors processing your request") as error:
        compile_query(query)
    assert problem in str(error.value)
