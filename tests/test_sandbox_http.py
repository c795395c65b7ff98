"""The simulator over real HTTP with plain `requests`: reads, paging, fields and errors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests

from tweetdesk.sandbox.scenario import load_scenario
from tweetdesk.sandbox.server import SandboxServer
from tweetdesk.sandbox.state import SandboxState

from sandbox_client import AUTH, NOW, Api

INVALID = "https://api.twitter.com/2/problems/invalid-request"
TWEET_FIELDS = (
    "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,entities,"
    "public_metrics,source,lang"
)
USER_FIELDS = "receives_your_dm,public_metrics,created_at,description,protected,verified"
EXPAND = {
    "expansions": "author_id,referenced_tweets.id,in_reply_to_user_id,entities.mentions.username"
}


@pytest.fixture
def state() -> SandboxState:
    return SandboxState(load_scenario("empty", NOW), clock=lambda: NOW)


@pytest.fixture
def api(state: SandboxState) -> Iterator[Api]:
    with SandboxServer(state) as server, requests.Session() as session:
        yield Api(server.url, session, state)


def ids_of(response: requests.Response) -> list[str]:
    return [tweet["id"] for tweet in response.json().get("data", [])]


def test_users_me_answers_default_fields_with_x_headers(api: Api) -> None:
    response = api.get("/2/users/me")
    assert response.status_code == 200
    assert response.json() == {
        "data": {"id": api.state.account["id"], "name": "Acme Roasters", "username": "acmeroasters"}
    }
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.headers["api-version"] == "2.166"
    assert response.headers["x-rate-limit-limit"] == "75"
    assert response.headers["x-rate-limit-remaining"] == "74"
    assert int(response.headers["x-rate-limit-reset"]) == int(
        (NOW + timedelta(minutes=15)).timestamp()
    )
    assert int(response.headers["x-response-time"]) >= 1


def test_a_request_without_oauth_gets_a_401_problem(api: Api) -> None:
    response = api.session.get(api.url + "/2/users/me", timeout=5)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "title": "Unauthorized",
        "detail": "Unauthorized",
        "type": "about:blank",
        "status": 401,
    }
    assert api.state.usage()["requests"] == 1


def test_since_id_and_until_id_are_exclusive(api: Api) -> None:
    ids = api.state.add_mentions(20, start=NOW - timedelta(hours=3), spacing=timedelta(minutes=1))
    response = api.mentions(since_id=ids[5], until_id=ids[10])
    assert ids_of(response) == [ids[9], ids[8], ids[7], ids[6]]
    meta = response.json()["meta"]
    assert meta == {"result_count": 4, "newest_id": ids[9], "oldest_id": ids[6]}


def test_start_time_is_inclusive_and_end_time_exclusive(api: Api) -> None:
    start = NOW - timedelta(hours=1)
    ids = api.state.add_mentions(6, start=start, spacing=timedelta(minutes=1))
    response = api.mentions(
        start_time=(start + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        end_time=(start + timedelta(minutes=4)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    assert ids_of(response) == [ids[3], ids[2]]


@pytest.mark.parametrize("timeline", ["mentions", "tweets"])
def test_on_timelines_id_bounds_take_precedence_over_times(api: Api, timeline: str) -> None:
    """OpenAPI 2.166, both timelines: "since_id ... takes precedence over start_time if both
    are specified" (and until_id over end_time)."""
    start = NOW - timedelta(hours=1)
    if timeline == "mentions":
        ids = api.state.add_mentions(6, start=start, spacing=MINUTE)
    else:
        own = [
            api.state.add_tweet("acmeroasters", f"Roast {n}", created_at=start + n * MINUTE)
            for n in range(6)
        ]
        ids = [t["id"] for t in own]
    path = f"/2/users/{api.state.account['id']}/{timeline}"
    late, early = stamp(start + 4 * MINUTE), stamp(start + 2 * MINUTE)
    assert ids_of(api.get(path, since_id=ids[1], start_time=late)) == ids[:1:-1]
    assert ids_of(api.get(path, until_id=ids[4], end_time=early)) == ids[3::-1]
    assert ids_of(api.get(path, since_id=ids[1], end_time=early)) == []  # different ends: both


MINUTE = timedelta(minutes=1)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_only_the_800_newest_mentions_are_reachable(api: Api) -> None:
    ids = api.state.add_mentions(830, start=NOW - timedelta(days=3), spacing=timedelta(minutes=1))
    seen: list[str] = []
    token = None
    while True:
        params = {"max_results": 100, **({"pagination_token": token} if token else {})}
        page = api.mentions(**params).json()
        seen += [tweet["id"] for tweet in page.get("data", [])]
        token = page["meta"].get("next_token")
        if not token:
            break
    assert len(seen) == 800
    assert seen == list(reversed(ids[30:]))
    assert ids_of(api.mentions(until_id=ids[31], max_results=100)) == [ids[30]]


def test_scenario_limits_set_a_smaller_mentions_cap(tmp_path: Any) -> None:
    path = tmp_path / "small.json"
    path.write_text('{"account": {"username": "shop"}, "limits": {"mentions_cap": 3}}')
    state = SandboxState(load_scenario(str(path), NOW), clock=lambda: NOW)
    ids = state.add_mentions(5, start=NOW - timedelta(hours=1), spacing=timedelta(minutes=1))
    with SandboxServer(state) as server:
        url = f"{server.url}/2/users/{state.account['id']}/mentions"
        found = requests.get(url, auth=AUTH, timeout=5).json()
    assert [tweet["id"] for tweet in found["data"]] == [ids[4], ids[3], ids[2]]


def test_previous_token_leads_back_to_the_newer_page(api: Api) -> None:
    ids = api.state.add_mentions(12, start=NOW - timedelta(hours=1), spacing=timedelta(minutes=1))
    first = api.mentions(max_results=5).json()
    assert "previous_token" not in first["meta"]
    second = api.mentions(max_results=5, pagination_token=first["meta"]["next_token"]).json()
    assert [t["id"] for t in second["data"]] == list(reversed(ids[2:7]))
    back = api.mentions(max_results=5, pagination_token=second["meta"]["previous_token"]).json()
    assert back["data"] == first["data"]


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"max_results": "4"}, "max_results", "is not between 5 and 100"),
        ({"max_results": "101"}, "max_results", "is not between 5 and 100"),
        ({"max_results": "ten"}, "max_results", "is not a valid integer"),
        ({"since_id": "12ab"}, "since_id", "does not match ^[0-9]{1,19}$"),
        ({"tweet.fields": "created_at,colour"}, "tweet.fields", "[colour] is not one of"),
        ({"expansions": "author"}, "expansions", "[author] is not one of"),
        ({"next_token": "abc"}, "next_token", "is not one of [since_id"),
        ({"pagination_token": "nonsense"}, "pagination_token", "is not a valid pagination token"),
        ({"start_time": "yesterday"}, "start_time", "must be a valid RFC 3339 date-time"),
    ],
)
def test_bad_parameters_get_xs_invalid_request_shape(
    api: Api, params: dict[str, str], parameter: str, message: str
) -> None:
    response = api.mentions(**params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "Invalid Request"
    assert body["type"] == INVALID
    assert body["detail"] == "One or more parameters to your request was invalid."
    [error] = body["errors"]
    assert error["parameters"] == {parameter: [params[parameter].split(",")[-1]]} or error[
        "parameters"
    ] == {parameter: [params[parameter]]}
    assert message in error["message"]


def test_an_empty_page_has_no_data_and_a_zero_count(api: Api) -> None:
    [newest] = api.state.add_mentions(1, start=NOW - timedelta(minutes=5), spacing=timedelta(0))
    response = api.mentions(since_id=newest, expansions="author_id")
    assert response.json() == {"meta": {"result_count": 0}}


def test_only_requested_fields_appear_and_expansions_fill_includes(api: Api) -> None:
    state = api.state
    state.add_user("jess", name="Jess", followers_count=312, receives_your_dm=False)
    own = state.add_tweet(
        "acmeroasters", "Holiday Blend is back", created_at=NOW - timedelta(hours=2)
    )
    reply = state.add_tweet(
        "jess", "is it decaf? cc @bob", created_at=NOW - timedelta(hours=1), in_reply_to=own["id"]
    )
    response = api.mentions(**{"tweet.fields": TWEET_FIELDS, "user.fields": USER_FIELDS}, **EXPAND)
    body = response.json()
    [tweet] = body["data"]
    assert tweet["id"] == reply["id"]
    assert tweet["text"] == "@acmeroasters is it decaf? cc @bob"
    assert tweet["created_at"] == (NOW - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert tweet["conversation_id"] == own["id"]
    assert tweet["in_reply_to_user_id"] == state.account["id"]
    assert tweet["referenced_tweets"] == [{"type": "replied_to", "id": own["id"]}]
    assert tweet["entities"]["mentions"][0] == {
        "start": 0,
        "end": 13,
        "username": "acmeroasters",
        "id": state.account["id"],
    }
    assert set(tweet["public_metrics"]) == {
        "retweet_count",
        "reply_count",
        "like_count",
        "quote_count",
        "bookmark_count",
        "impression_count",
    }
    assert {u["username"] for u in body["includes"]["users"]} == {"jess", "acmeroasters"}
    jess = next(u for u in body["includes"]["users"] if u["username"] == "jess")
    assert jess["receives_your_dm"] is False
    assert jess["public_metrics"]["followers_count"] == 312
    assert [t["id"] for t in body["includes"]["tweets"]] == [own["id"]]
    # The announcement is no reply and mentions nobody: X leaves those fields out.
    absent = {"in_reply_to_user_id", "referenced_tweets", "entities"}
    assert set(body["includes"]["tweets"][0]) == set(tweet) - absent


def test_defaults_are_id_text_and_edit_history(api: Api) -> None:
    api.state.add_mentions(1, start=NOW - timedelta(minutes=5), spacing=timedelta(0))
    [tweet] = api.mentions().json()["data"]
    assert set(tweet) == {"id", "text", "edit_history_tweet_ids"}
    assert tweet["edit_history_tweet_ids"] == [tweet["id"]]


def test_text_is_html_escaped_and_entity_indices_count_the_escapes(api: Api) -> None:
    # X's recorded search page shows both: `&amp;` in text, and hashtag offsets after it that
    # only fit the escaped text.
    text = "@acmeroasters beans & brew <3 #coffee https://acmeroasters.co.uk/beans"
    tweet = api.state.add_tweet("pete", text, created_at=NOW)
    [served] = api.mentions(**{"tweet.fields": "entities"}).json()["data"]
    assert served["text"].startswith("@acmeroasters beans &amp; brew &lt;3 #coffee https://t.co/")
    assert api.state.tweet(tweet["id"]) is not None
    assert api.state.tweet(tweet["id"])["text"] == served["text"]
    [tag] = served["entities"]["hashtags"]
    assert served["text"][tag["start"] : tag["end"]] == "#coffee"
    [url] = served["entities"]["urls"]
    assert served["text"][url["start"] : url["end"]] == url["url"]


def test_lookup_reports_unknown_ids_as_errors_in_a_200(api: Api) -> None:
    known = api.state.add_tweet("jo", "hello", created_at=NOW)["id"]
    both = api.get("/2/tweets", ids=f"{known},123")
    assert both.status_code == 200
    body = both.json()
    assert [t["id"] for t in body["data"]] == [known]
    assert body["errors"] == [
        {
            "value": "123",
            "detail": "Could not find tweet with ids: [123].",
            "title": "Not Found Error",
            "resource_type": "tweet",
            "parameter": "ids",
            "resource_id": "123",
            "type": "https://api.twitter.com/2/problems/resource-not-found",
        }
    ]
    single = api.get("/2/tweets/123")
    assert single.status_code == 200
    assert set(single.json()) == {"errors"}
    assert single.json()["errors"][0]["parameter"] == "id"
    assert api.get(f"/2/tweets/{known}").json()["data"]["id"] == known
    assert api.state.usage()["posts_read"] == 2


def test_user_timeline_can_exclude_replies(api: Api) -> None:
    state = api.state
    first = state.add_tweet(
        "acmeroasters", "Open late on Friday", created_at=NOW - timedelta(hours=2)
    )
    question = state.add_tweet(
        "jess", "@acmeroasters til when?", created_at=NOW - timedelta(hours=1)
    )
    answer = state.add_tweet(  # a minute ago: X's own timeline lags a brand-new post
        "acmeroasters", "9pm!", created_at=NOW - timedelta(minutes=1), in_reply_to=question["id"]
    )
    path = f"/2/users/{state.account['id']}/tweets"
    assert ids_of(api.get(path)) == [answer["id"], first["id"]]
    assert ids_of(api.get(path, exclude="replies")) == [first["id"]]
    unknown = api.get("/2/users/42/tweets").json()
    assert unknown["errors"][0]["resource_type"] == "user"
