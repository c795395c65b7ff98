"""The simulator as strict as X, over real HTTP (requests and tweepy): lagging timelines, t.co on
bare domains, X's content types, permission 403s, 24-hour caps, odd bodies, long posts, the
retired `source`, quotes, reply_settings, signatures over the real host, required credentials."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import tweepy

from tweetdesk.sandbox import Fault, SandboxServer, SandboxState, load_scenario
from tweetdesk.sandbox.text import weighted_length

from sandbox_client import NOW, Api, Rewriting

SANDBOX_KEYS = {
    "consumer_key": "sandbox-consumer-key",
    "consumer_secret": "sandbox-consumer-secret",
    "access_token": "sandbox-access-token",
    "access_token_secret": "sandbox-access-token-secret",
}


@pytest.fixture
def state() -> SandboxState:
    return SandboxState(load_scenario("empty", NOW), clock=lambda: NOW)


@pytest.fixture
def api(state: SandboxState) -> Iterator[Api]:
    with SandboxServer(state) as server, requests.Session() as session:
        yield Api(server.url, session, state)


def client(url: str, keys: dict[str, str] | None = None, after: bool = False) -> tweepy.Client:
    made = tweepy.Client(**(keys or SANDBOX_KEYS), return_type=dict)
    made.session = Rewriting(url, after)
    return made


# --- timelines and search lag ---------------------------------------------------------------


def test_the_own_timeline_and_search_can_lag_a_new_post(api: Api) -> None:
    older = api.state.add_tweet(
        "acmeroasters", "Acme Roasters: open at 9", created_at=NOW - timedelta(minutes=1)
    )
    api.options(timeline_lag_seconds=10)
    posted = api.post("/2/tweets", {"text": "Acme Roasters: new beans"}).json()["data"]
    mention = api.state.add_tweet("jess", "@acmeroasters hi", fresh_id=True)
    timeline = f"/2/users/{api.me}/tweets"
    search = "/2/tweets/search/recent"
    assert api.ids(timeline) == [older["id"]]  # the post exists, the timeline does not show it
    assert api.ids(search, query="acme roasters") == [older["id"]]
    assert api.ids(f"/2/users/{api.me}/mentions") == [mention["id"]]  # mentions do not lag
    assert api.get(f"/2/tweets/{posted['id']}").json()["data"]["id"] == posted["id"]
    api.state.advance(10)
    assert api.ids(timeline) == [posted["id"], older["id"]]
    assert api.ids(search, query="acme roasters") == [posted["id"], older["id"]]


# --- what X does to posted text ---------------------------------------------------------------


def test_bare_domains_are_wrapped_in_t_co_links_too(api: Api) -> None:
    tweepy_client = client(api.url)
    sent = tweepy_client.create_tweet(text="Gift cards at acmeroasters.example.com & in store")
    text = sent["data"]["text"]
    assert text.startswith("Gift cards at https://t.co/") and text.endswith(" &amp; in store")
    stored = api.state.tweet(sent["data"]["id"])
    assert stored is not None
    [url] = stored["entities"]["urls"]
    assert url["expanded_url"] == "http://acmeroasters.example.com"
    assert url["display_url"] == "acmeroasters.example.com"
    assert text[url["start"] : url["end"]] == url["url"]


def test_duplicate_content_comes_as_application_json_like_x_sends_it(api: Api) -> None:
    assert api.post("/2/tweets", {"text": "Back at 2pm"}).status_code == 201
    refused = api.post("/2/tweets", {"text": "Back at 2pm"})
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/json; charset=utf-8"
    assert refused.json() == {
        "title": "Forbidden",
        "detail": "You are not allowed to create a Tweet with duplicate content.",
        "type": "about:blank",
        "status": 403,
    }


@pytest.mark.parametrize(
    ("value", "accepted"),
    [("mentionedUsers", True), ("following", True), ("everyone", False), ("nobody", False)],
)
def test_reply_settings_are_checked_against_the_descriptions_enum(
    api: Api, value: str, accepted: bool
) -> None:
    answer = api.post("/2/tweets", {"text": f"Who may reply: {value}", "reply_settings": value})
    if not accepted:
        assert answer.status_code == 400
        [error] = answer.json()["errors"]
        assert error["message"] == (
            "$.reply_settings: does not have a value in the enumeration "
            "[following, mentionedUsers, subscribers, verified]"
        )
        return
    assert answer.status_code == 201
    served = api.get(
        f"/2/tweets/{answer.json()['data']['id']}", **{"tweet.fields": "reply_settings"}
    )
    assert served.json()["data"]["reply_settings"] == value


# --- permissions -------------------------------------------------------------------------------


def test_a_read_only_app_may_read_but_not_post(api: Api) -> None:
    api.options(app_access_level="read")
    me = api.get("/2/users/me")
    assert me.status_code == 200 and me.headers["x-access-level"] == "read"
    refused = api.post("/2/tweets", {"text": "hello"})
    assert refused.status_code == 403
    assert refused.json()["type"] == "https://api.twitter.com/2/problems/oauth1-permissions"
    assert api.state.account_tweets() == []
    assert api.state.usage()["by_endpoint"]["POST /2/tweets"] == 1  # a request all the same


# --- 24-hour caps ---------------------------------------------------------------------------------


def test_posts_and_dms_carry_xs_24_hour_headers(api: Api) -> None:
    jess = api.state.add_user("jess")
    posted = api.post("/2/tweets", {"text": "one"})
    assert posted.headers["x-app-limit-24hour-limit"] == "10000"
    assert posted.headers["x-app-limit-24hour-remaining"] == "9999"
    assert posted.headers["x-user-limit-24hour-limit"] == "2400"
    reset = int(posted.headers["x-user-limit-24hour-reset"])
    assert reset == int((NOW + timedelta(hours=24)).timestamp())
    sent = api.post(f"/2/dm_conversations/with/{jess['id']}/messages", {"text": "hi"})
    assert sent.headers["x-user-limit-24hour-limit"] == "1440"
    assert sent.headers["x-user-limit-24hour-remaining"] == "1439"
    assert "x-user-limit-24hour-limit" not in api.get("/2/users/me").headers


def test_a_spent_daily_cap_is_a_429_whose_15_minute_window_has_room(tmp_path: Path) -> None:
    path = tmp_path / "capped.json"
    limits = {"daily_limits": {"POST /2/tweets": {"user": 2}}}
    path.write_text(json.dumps({"account": {"username": "shop"}, "limits": limits}))
    state = SandboxState(load_scenario(str(path), NOW), clock=lambda: NOW)
    with SandboxServer(state) as server:
        poster = client(server.url)
        poster.create_tweet(text="one")
        poster.create_tweet(text="two")
        with pytest.raises(tweepy.TooManyRequests) as capped:
            poster.create_tweet(text="three")
        headers = capped.value.response.headers
        assert headers["x-rate-limit-remaining"] == "97"  # the 15-minute window is not the cause
        assert headers["x-user-limit-24hour-remaining"] == "0"
        assert headers["x-app-limit-24hour-remaining"] == "9998"
        assert int(headers["x-user-limit-24hour-reset"]) == int(
            (NOW + timedelta(hours=24)).timestamp()
        )
        assert [t["text"] for t in state.account_tweets()] == ["two", "one"]
        state.advance(24 * 3600)
        assert poster.create_tweet(text="three")["data"]["text"] == "three"


def test_a_daily_cap_fault_names_its_scope(api: Api) -> None:
    api.state.add_fault(Fault("POST /2/tweets", status=429, daily_cap="app", reset_in=86400))
    refused = api.post("/2/tweets", {"text": "hello"})
    assert refused.status_code == 429
    assert refused.headers["x-app-limit-24hour-remaining"] == "0"
    assert int(refused.headers["x-app-limit-24hour-reset"]) == int(NOW.timestamp()) + 86400
    assert refused.headers["x-user-limit-24hour-remaining"] == "2400"
    assert refused.headers["x-rate-limit-remaining"] != "0"
    bad = api.session.post(
        api.url + "/_sandbox/faults", json={"match": "*", "daily_cap": "user"}, timeout=5
    )
    assert bad.status_code == 400 and "goes with 'status': 429" in bad.json()["error"]


# --- odd bodies --------------------------------------------------------------------------------


def test_an_html_503_and_a_non_json_200(api: Api) -> None:
    api.state.add_fault(Fault("GET /2/users/me", status=503, html=True))
    page = api.get("/2/users/me")
    assert page.status_code == 503
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.text.startswith("<!DOCTYPE html>") and "503 Service Unavailable" in page.text
    api.state.add_fault(Fault("POST /2/tweets", status=200, html=True, commit=True))
    portal = api.post("/2/tweets", {"text": "Did it go out?"})
    assert portal.status_code == 200
    assert portal.headers["content-type"] == "text/html; charset=utf-8"
    with pytest.raises(requests.JSONDecodeError):
        portal.json()
    assert [t["text"] for t in api.state.account_tweets()] == ["Did it go out?"]  # it did
    api.state.add_fault(Fault("GET /2/users/me", status=503, html=True))
    with pytest.raises(tweepy.TwitterServerError):
        client(api.url).get_me()


# --- long posts, source, quotes ------------------------------------------------------------


LONG = (
    "@acmeroasters long story, so bear with me: "
    + "the beans were lovely but the bag " * 8
    + "and then, right at the end, #shipping was late and cc @jess_h about it"
)


def test_a_long_post_has_a_cut_text_and_its_whole_text_in_note_tweet(api: Api) -> None:
    long = api.state.add_tweet("gracie", LONG, created_at=NOW - timedelta(minutes=1))
    assert weighted_length(LONG) > 280
    plain = api.get(f"/2/tweets/{long['id']}").json()["data"]
    assert "note_tweet" not in plain
    shown = plain["text"]
    assert weighted_length(shown) <= 280 and LONG.startswith(shown) and not shown.endswith(" ")
    assert LONG[len(shown)] == " "  # cut at a word, with no ellipsis
    asked = api.get(f"/2/tweets/{long['id']}", **{"tweet.fields": "note_tweet,entities"})
    data = asked.json()["data"]
    assert data["text"] == shown
    assert data["note_tweet"]["text"] == LONG
    note_entities = data["note_tweet"]["entities"]
    assert [h["tag"] for h in note_entities["hashtags"]] == ["shipping"]
    assert "hashtags" not in data["entities"]  # the tag is past the cut
    assert [m["username"] for m in note_entities["mentions"]] == ["acmeroasters", "jess_h"]
    jess = api.state.add_user("jess_h")
    assert jess and long["id"] in api.ids(f"/2/users/{jess['id']}/mentions")  # whole text
    assert api.ids("/2/tweets/search/recent", query="#shipping late") == [long["id"]]


def test_the_retired_source_field_is_left_out_unless_asked_to_serve_it(api: Api) -> None:
    mine = api.state.add_tweet("acmeroasters", "Hello", created_at=NOW, source="Twitter for iPhone")
    path = f"/2/tweets/{mine['id']}"
    assert "source" not in api.get(path, **{"tweet.fields": "source,lang"}).json()["data"]
    api.options(serve_source=True)  # the simulator's earlier, kinder behaviour
    assert (
        api.get(path, **{"tweet.fields": "source"}).json()["data"]["source"] == "Twitter for iPhone"
    )


def test_a_quote_without_an_at_is_found_by_search_not_in_mentions(api: Api) -> None:
    own = api.state.add_tweet(
        "acmeroasters", "Holiday Blend is back", created_at=NOW - timedelta(hours=1)
    )
    quote = api.state.add_tweet(
        "fan", "Ordering two!", created_at=NOW - timedelta(minutes=1), quote_of=own["id"]
    )
    mentions = f"/2/users/{api.me}/mentions"
    assert api.ids(mentions) == []
    assert api.ids("/2/tweets/search/recent", query=f"quotes_of_tweet_id:{own['id']}") == [
        quote["id"]
    ]
    assert api.ids("/2/tweets/search/recent", query="ordering is:quote") == [quote["id"]]
    api.options(quotes_in_mentions=True)
    assert api.ids(mentions) == [quote["id"]]
    bad = api.get("/2/tweets/search/recent", query="quotes_of_tweet_id:abc")
    assert bad.status_code == 400


# --- signatures and credentials -----------------------------------------------------------------


@pytest.fixture
def keyed(tmp_path: Path) -> Iterator[SandboxServer]:
    path = tmp_path / "keyed.json"
    path.write_text(json.dumps({"account": {"username": "shop"}, "credentials": SANDBOX_KEYS}))
    state = SandboxState(load_scenario(str(path), NOW), clock=lambda: NOW)
    with SandboxServer(state) as server:
        yield server


def test_a_signature_over_the_host_the_request_went_to_is_the_only_one_x_accepts(
    keyed: SandboxServer,
) -> None:
    with pytest.raises(tweepy.Unauthorized):  # the default, as X checks it
        client(keyed.url, after=True).get_me()  # signed for api.twitter.com, sent elsewhere
    assert client(keyed.url).get_me()["data"]["username"] == "shop"
    keyed.state.set_options({"signature_host": "any"})  # the simulator's earlier leniency
    assert client(keyed.url, after=True).get_me()["data"]["username"] == "shop"


def test_required_credentials_are_the_sandbox_keys_unless_the_scenario_names_its_own(
    api: Api,
) -> None:
    assert api.get("/2/users/me").status_code == 200  # the default: any signed header
    api.options(require_credentials=True)
    assert api.get("/2/users/me").status_code == 401
    assert client(api.url).get_me()["data"]["username"] == "acmeroasters"
    wrong = {**SANDBOX_KEYS, "access_token_secret": "guess"}
    with pytest.raises(tweepy.Unauthorized):
        client(api.url, wrong).get_me()


def test_options_in_a_scenario_file_and_the_strict_preset(tmp_path: Path) -> None:
    path = tmp_path / "strict.json"
    options = {"strict": True, "timeline_lag_seconds": 2}
    path.write_text(json.dumps({"account": {"username": "shop"}, "options": options}))
    scenario = load_scenario(str(path), NOW)
    assert scenario.options.serve_source is False
    assert scenario.options.signature_host == "sent"
    assert scenario.options.require_credentials is True
    assert scenario.options.dm_events_lag_seconds == 5.0
    assert scenario.options.timeline_lag_seconds == 2.0  # a key beats the preset
    demo = load_scenario("demo", NOW).options  # X's behaviour by default, keys optional
    assert (demo.serve_source, demo.signature_host, demo.timeline_lag_seconds) == (
        False,
        "sent",
        5.0,
    )
    assert demo.require_credentials is False


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"colour": 1}, "unknown option 'colour'"),
        ({"serve_source": "no"}, "option 'serve_source' has the wrong type"),
        ({"signature_host": "api.x.com"}, "must be one of any, sent"),
        ({"timeline_lag_seconds": -1}, "must be >= 0"),
        ({"strict": 1}, "'strict' must be true or false"),
    ],
)
def test_bad_options_name_the_key(tmp_path: Path, options: dict[str, Any], problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"account": {"username": "shop"}, "options": options}))
    with pytest.raises(ValueError, match="options") as error:
        load_scenario(str(path), NOW)
    assert problem in str(error.value)


def test_the_control_api_reads_and_refuses_options(api: Api) -> None:
    shown = api.session.get(api.url + "/_sandbox/options", timeout=5).json()["data"]
    assert shown["app_access_level"] == "read-write-directmessages"
    bad = api.session.post(api.url + "/_sandbox/options", json={"lag": 3}, timeout=5)
    assert bad.status_code == 400 and "unknown option 'lag'" in bad.json()["error"]
