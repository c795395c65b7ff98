"""Every answer the simulator gives conforms to X's OpenAPI description (openapi-v2.166.json)."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from requests_oauthlib import OAuth1

from tweetdesk.sandbox.model import Exchange, Fault
from tweetdesk.sandbox.scenario import load_scenario
from tweetdesk.sandbox.server import SandboxServer
from tweetdesk.sandbox.state import SandboxState

from openapi_conformance import require_spec, validate_exchange

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
AUTH = OAuth1("consumer", "consumer-secret", "token", "token-secret")
TWEET_FIELDS = (
    "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,entities,"
    "public_metrics,source,lang,possibly_sensitive,edit_history_tweet_ids"
)
USER_FIELDS = (
    "created_at,description,protected,verified,public_metrics,receives_your_dm,location,url,"
    "most_recent_tweet_id,pinned_tweet_id"
)
EXPAND = "author_id,in_reply_to_user_id,referenced_tweets.id,entities.mentions.username"
DM_FIELDS = {
    "dm_event.fields": "created_at,sender_id,dm_conversation_id,participant_ids,event_type,text",
    "expansions": "sender_id,participant_ids",
    "user.fields": "receives_your_dm,created_at",
}


class Caller:
    """Signed requests to the simulator, answers recorded by the simulator itself."""

    def __init__(self, url: str, http: requests.Session) -> None:
        self.url, self.http = url, http

    def __call__(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.http.request(method, self.url + path, auth=AUTH, timeout=5, **kwargs)


def exercise_reads(call: Caller, state: SandboxState) -> None:
    me = state.account["id"]
    first = state.data.mentions_of(me, cap=800)[0]
    full = {"tweet.fields": TWEET_FIELDS, "user.fields": USER_FIELDS, "expansions": EXPAND}
    mentions = f"/2/users/{me}/mentions"
    call("GET", "/2/users/me", params={"user.fields": USER_FIELDS, "expansions": "pinned_tweet_id"})
    page = call("GET", mentions, params={**full, "max_results": 5}).json()
    call("GET", mentions, params={"pagination_token": page["meta"]["next_token"]})
    call("GET", mentions, params={"since_id": first["id"]})  # an empty page
    call("GET", mentions, params={"max_results": 500})
    call("GET", mentions, params={"tweet.fields": "colour"})
    call("GET", "/2/users/12345/mentions")  # unknown user: errors in a 200
    call("GET", f"/2/users/{me}/tweets", params={**full, "exclude": "replies"})
    call("GET", "/2/tweets/search/recent", params={**full, "query": '"acme roasters"'})
    call("GET", "/2/tweets/search/recent", params={"query": "order", "sort_order": "relevancy"})
    call("GET", "/2/tweets/search/recent", params={"query": "lang:en"})
    call("GET", "/2/tweets", params={**full, "ids": f"{first['id']},1"})
    call("GET", f"/2/tweets/{first['id']}", params=full)
    call("GET", "/2/tweets/1")
    call(
        "GET",
        "/2/dm_events",
        params={"dm_event.fields": "created_at,sender_id", "expansions": "sender_id"},
    )
    exercise_dm_reads(call, state)
    call.http.get(call.url + "/2/users/me", timeout=5)  # no Authorization: 401


def exercise_dm_reads(call: Caller, state: SandboxState) -> None:
    """The three DM reads, with every field and expansion, paged, refused and over the limit."""
    state.add_dm_item(
        {"kind": "ParticipantsJoin", "group": "team", "participants": ["jess_brewster"],
         "created": NOW - timedelta(minutes=5)}
    )  # fmt: skip
    page = call("GET", "/2/dm_events", params={**DM_FIELDS, "max_results": 2}).json()
    call("GET", "/2/dm_events", params={"pagination_token": page["meta"]["next_token"]})
    customer = state.data.user_by_name("priya_s")
    assert customer is not None
    low, high = sorted((int(state.account["id"]), int(customer["id"])))
    by_id = f"/2/dm_conversations/{low}-{high}/dm_events"
    by_user = f"/2/dm_conversations/with/{customer['id']}/dm_events"
    first = call("GET", by_id, params={**DM_FIELDS, "max_results": 1}).json()
    call("GET", by_id, params={"pagination_token": first["meta"]["next_token"]})
    call("GET", by_id, params={"pagination_token": first["meta"]["previous_token"]})
    call("GET", by_user, params={**DM_FIELDS, "event_types": "MessageCreate"})
    group = state.messages.group_ids["team"]
    call("GET", f"/2/dm_conversations/{group}/dm_events", params=DM_FIELDS)
    call("GET", "/2/dm_conversations/12-34/dm_events")  # not the account's: 403
    call("GET", "/2/dm_conversations/1585094756761149440/dm_events")  # unknown group: 404
    for _ in range(15):  # past the 15-requests-per-15-minutes limit: 429
        call("GET", by_user)


def exercise_writes(call: Caller, state: SandboxState) -> None:
    first = state.data.mentions_of(state.account["id"], cap=800)[0]
    closed = next(u for u in state.data.users.values() if not u["receives_your_dm"])
    reply = {"text": "Thanks! https://acmeroasters.co.uk/faq"}
    reply["reply"] = {"in_reply_to_tweet_id": first["id"]}  # type: ignore[assignment]
    created = call("POST", "/2/tweets", json=reply).json()["data"]["id"]
    call("POST", "/2/tweets", json=reply)  # duplicate
    call("POST", "/2/tweets", json={"text": "x" * 300})
    call("POST", "/2/tweets", json={"text": "New beans", "quote_tweet_id": first["id"]})
    call("DELETE", f"/2/tweets/{created}")
    call("DELETE", f"/2/tweets/{created}")  # gone: 404
    call("DELETE", f"/2/tweets/{first['id']}")  # not ours: 403
    dm = call(
        "POST", f"/2/dm_conversations/with/{first['author_id']}/messages", json={"text": "Hi!"}
    )
    conversation = f"/2/dm_conversations/{dm.json()['data']['dm_conversation_id']}/messages"
    call("POST", conversation, json={"text": "Hi!"})  # the same DM again: X sends it
    call("POST", f"/2/dm_conversations/with/{closed['id']}/messages", json={"text": "Hi!"})
    call("POST", "/2/dm_conversations/12-34/messages", json={"text": "Hi!"})  # not ours: 403
    group = state.messages.group_ids["team"]
    call("POST", f"/2/dm_conversations/{group}/messages", json={"text": "Hello team"})


def exercise_faults(call: Caller, state: SandboxState) -> None:
    for status, monthly in ((429, False), (429, True), (402, False), (503, False)):
        state.add_fault(Fault("GET /2/users/me", status=status, monthly_cap=monthly))
        call("GET", "/2/users/me")
    state.add_fault(Fault("POST /2/tweets", status=500, commit=True))
    call("POST", "/2/tweets", json={"text": "Did this go out?"})
    state.add_fault(Fault("POST /2/tweets", status=429, daily_cap="user", reset_in=86400))
    call("POST", "/2/tweets", json={"text": "Over the daily cap"})
    state.set_options({"app_access_level": "read-write"})  # an app without DM permission
    call("GET", "/2/dm_events")
    call("POST", "/2/dm_conversations/with/1/messages", json={"text": "Hi!"})
    state.set_options({"app_access_level": "read-write-directmessages"})


def test_every_exchange_conforms_to_the_openapi_description() -> None:
    require_spec()
    state = SandboxState(load_scenario("demo", NOW), clock=lambda: NOW)
    with SandboxServer(state) as server, requests.Session() as http:
        call = Caller(server.url, http)
        for exercise in (exercise_reads, exercise_writes, exercise_faults):
            exercise(call, state)
    statuses = {exchange.status for exchange in state.exchanges}
    assert statuses >= {200, 201, 400, 401, 402, 403, 404, 429, 500, 503}
    dm_answers = {
        (e.method, e.path.split("/")[2], e.status) for e in state.exchanges if "/dm" in e.path
    }
    assert dm_answers >= {
        ("GET", "dm_events", 200),
        ("GET", "dm_events", 403),  # no DM permission
        ("GET", "dm_conversations", 200),
        ("GET", "dm_conversations", 403),
        ("GET", "dm_conversations", 404),
        ("GET", "dm_conversations", 429),
        ("POST", "dm_conversations", 201),
        ("POST", "dm_conversations", 403),
    }
    assert not state.internal_errors
    started = time.monotonic()
    sent_wrong = []
    for exchange in state.exchanges:
        try:
            validate_exchange(exchange)
        except AssertionError as error:
            if "request does not conform" not in str(error):
                raise
            sent_wrong.append((exchange.status, exchange.query))
            validate_exchange(exchange, check_request=False)  # X's refusal must still conform
    assert time.monotonic() - started < 5  # loading the description once and validating is quick
    # The simulator refused exactly the requests the description calls invalid, and those only.
    assert sent_wrong == [
        (400, {"max_results": ["500"]}),
        (400, {"tweet.fields": ["colour"]}),
        (401, {}),  # no Authorization header
    ]


def good_exchange() -> Exchange:
    return Exchange(
        method="GET",
        path="/2/users/1/mentions",
        query={"max_results": ["10"]},
        request_body=None,
        status=200,
        response_headers={"content-type": "application/json; charset=utf-8"},
        response_body={
            "data": [{"id": "1", "text": "hi", "edit_history_tweet_ids": ["1"]}],
            "meta": {"result_count": 1, "newest_id": "1", "oldest_id": "1"},
        },
    )


def test_the_validator_accepts_a_good_exchange_and_skips_control_paths() -> None:
    require_spec()
    validate_exchange(good_exchange())
    control = replace(good_exchange(), path="/_sandbox/usage", response_body=[1])
    validate_exchange(control)


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"query": {"max_results": ["1"]}}, "request does not conform"),
        ({"query": {"tweet.fields": ["colour"]}}, "request does not conform"),
        ({"path": "/2/users/abc/mentions"}, "request does not conform"),
        ({"response_body": {"data": [], "meta": {"result_count": 0}}}, "should be non-empty"),
        ({"response_body": {"data": [{"id": "1", "text": "x", "public_metrics": {}}]}}, "required"),
        ({"status": 401, "response_body": {"title": "Unauthorized"}}, "response does not conform"),
        ({"method": "POST", "path": "/2/tweets", "request_body": {"txt": "x"}}, "txt"),
        ({"request_headers": {"content-type": "text/plain"}}, "no Authorization header"),
    ],
)
def test_the_validator_rejects_what_x_would_not_send(
    change: dict[str, object], complaint: str
) -> None:
    require_spec()
    bad = replace(good_exchange(), **change)
    if bad.status == 401:
        bad.response_headers = {"content-type": "application/problem+json"}
    with pytest.raises(AssertionError, match="conform") as error:
        validate_exchange(bad)
    assert complaint in str(error.value)


def test_recent_search_window_is_part_of_conformant_answers() -> None:
    require_spec()
    state = SandboxState(load_scenario("empty", NOW), clock=lambda: NOW)
    state.add_tweet("jo", "Acme Roasters rocks", created_at=NOW - timedelta(days=8))
    with SandboxServer(state) as server:
        found = requests.get(
            server.url + "/2/tweets/search/recent",
            params={"query": "acme", "start_time": "2026-11-01T00:00:00Z"},
            auth=AUTH,
            timeout=5,
        )
    assert found.status_code == 400
    assert "'start_time' must be on or after 2026-11-16T09:00:00.000Z" in found.text
    validate_exchange(state.exchanges[-1])


# --- every documented parameter is accepted ---------------------------------------------------

PROBED = (
    "/2/users/me",
    "/2/users/{id}/mentions",
    "/2/users/{id}/tweets",
    "/2/tweets/search/recent",
    "/2/tweets",
    "/2/tweets/{id}",
    "/2/dm_events",
    "/2/dm_conversations/{id}/dm_events",
    "/2/dm_conversations/with/{participant_id}/dm_events",
)


def documented_query_parameters(path: str) -> list[dict[str, Any]]:
    import json

    from openapi_conformance import SPEC_PATH

    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    shared = spec["components"]["parameters"]
    found = []
    for parameter in spec["paths"][path]["get"].get("parameters", []):
        if "$ref" in parameter:
            parameter = shared[parameter["$ref"].rsplit("/", 1)[1]]
        if parameter["in"] == "query":
            found.append(parameter)
    return found


def probe_values(parameter: dict[str, Any], known: dict[str, str]) -> list[str]:
    """Valid values to try: every enum member (all at once for a list), else a known sample."""
    schema = parameter["schema"]
    if "enum" in schema.get("items", {}):
        return [",".join(schema["items"]["enum"])]
    if "enum" in schema:
        return list(schema["enum"])
    if parameter["name"] == "max_results":
        return [str(schema.get("minimum", 10)), str(schema.get("maximum", 100))]
    return [known[parameter["name"]]]


def first_page_token(call: Caller, path: str, **params: Any) -> str:
    token: str = call("GET", path, params=params).json()["meta"]["next_token"]
    return token


def probe_samples(call: Caller, state: SandboxState) -> dict[str, dict[str, str]]:
    """Per endpoint: sample values of its id, time and token parameters, and required ones."""
    me = state.account["id"]
    for n in range(12):
        state.add_tweet(  # a minute old: the timeline and search lag a brand-new post
            state.account["username"],
            f"Acme Roasters roast {n}",
            created_at=NOW - timedelta(minutes=1),
        )
    dm = f"/2/dm_conversations/with/{state.data.mentions_of(me, cap=800)[0]['author_id']}/messages"
    for text in ("Hi!", "Any news?"):
        call("POST", dm, json={"text": text})
    recent = [t["id"] for t in state.data.newest_first()[:12]]
    times = {
        "since_id": recent[-1],
        "until_id": recent[0],
        "start_time": f"{(NOW - timedelta(days=2)):%Y-%m-%dT%H:%M:%SZ}",
        "end_time": f"{(NOW - timedelta(minutes=1)):%Y-%m-%dT%H:%M:%SZ}",
    }
    search_token = first_page_token(call, "/2/tweets/search/recent", query="acme")
    conversation = f"/2/dm_conversations/with/{dm.split('/')[4]}/dm_events"
    return {
        "/2/users/{id}/mentions": {
            **times,
            "pagination_token": first_page_token(call, f"/2/users/{me}/mentions", max_results=5),
        },
        "/2/users/{id}/tweets": {
            **times,
            "pagination_token": first_page_token(call, f"/2/users/{me}/tweets", max_results=5),
        },
        "/2/tweets/search/recent": {
            **times,
            "query": "acme",
            "next_token": search_token,
            "pagination_token": search_token,
        },
        "/2/tweets": {"ids": ",".join(recent[:3])},
        "/2/dm_events": {"pagination_token": first_page_token(call, "/2/dm_events", max_results=1)},
        "/2/dm_conversations/{id}/dm_events": {
            "pagination_token": first_page_token(call, conversation, max_results=1)
        },
        "/2/dm_conversations/with/{participant_id}/dm_events": {
            "pagination_token": first_page_token(call, conversation, max_results=1)
        },
    }


def concrete_path(path: str, state: SandboxState) -> str:
    """`path` with its parameter filled: the account, a recent tweet, a DM conversation."""
    me = state.account["id"]
    customer = state.data.mentions_of(me, cap=800)[0]["author_id"]
    low, high = sorted((int(me), int(customer)))
    if "dm_conversations" in path:
        return path.replace("{id}", f"{low}-{high}").replace("{participant_id}", customer)
    return path.replace("{id}", me if "users" in path else recent_id(state))


def recent_id(state: SandboxState) -> str:
    newest: str = state.data.newest_first()[0]["id"]
    return newest


def test_the_simulator_accepts_every_parameter_the_description_documents() -> None:
    require_spec()
    state = SandboxState(load_scenario("demo", NOW), clock=lambda: NOW)
    with SandboxServer(state) as server, requests.Session() as http:
        call = Caller(server.url, http)
        samples = probe_samples(call, state)
        refused = []
        for path in PROBED:
            known = samples.get(path, {})
            required = {k: v for k, v in known.items() if k in ("query", "ids")}
            concrete = concrete_path(path, state)
            for parameter in documented_query_parameters(path):
                for value in probe_values(parameter, known):
                    answer = call("GET", concrete, params={**required, parameter["name"]: value})
                    if answer.status_code != 200:
                        refused.append((path, parameter["name"], value, answer.text[:200]))
    assert refused == []
    for exchange in state.exchanges:
        validate_exchange(exchange)
