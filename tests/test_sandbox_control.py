"""The simulator's control API, usage counters, rate limits, DM lookups and fault matching."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from requests_oauthlib import OAuth1

from tweetdesk.sandbox.model import Fault
from tweetdesk.sandbox.scenario import load_scenario
from tweetdesk.sandbox.server import SandboxServer
from tweetdesk.sandbox.state import SandboxState

from conftest import cli

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
AUTH = OAuth1("consumer", "consumer-secret", "token", "token-secret")


class Api:
    def __init__(self, url: str, session: requests.Session, state: SandboxState) -> None:
        self.url, self.session, self.state = url, session, state

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.session.get(self.url + path, params=params, auth=AUTH, timeout=5)

    def mentions(self, **params: Any) -> requests.Response:
        return self.get(f"/2/users/{self.state.account['id']}/mentions", **params)


@pytest.fixture
def api() -> Iterator[Api]:
    state = SandboxState(load_scenario("empty", NOW), clock=lambda: NOW)
    with SandboxServer(state) as server, requests.Session() as session:
        yield Api(server.url, session, state)


def ids_of(response: requests.Response) -> list[str]:
    return [tweet["id"] for tweet in response.json().get("data", [])]


def test_rate_limit_window_runs_out_and_resets_with_the_clock(tmp_path: Path) -> None:
    path = tmp_path / "limited.json"
    path.write_text(
        '{"account": {"username": "shop"}, "limits": {"rate_limits": {"GET /2/users/me": 2}}}'
    )
    state = SandboxState(load_scenario(str(path), NOW), clock=lambda: NOW)
    with SandboxServer(state) as server, requests.Session() as session:
        statuses = [session.get(server.url + "/2/users/me", auth=AUTH, timeout=5) for _ in range(3)]
        assert [r.status_code for r in statuses] == [200, 200, 429]
        assert statuses[2].headers["x-rate-limit-remaining"] == "0"
        assert statuses[2].json()["title"] == "Too Many Requests"
        reset = int(statuses[2].headers["x-rate-limit-reset"])
        assert reset == int((NOW + timedelta(minutes=15)).timestamp())
        session.post(server.url + "/_sandbox/clock", json={"advance_seconds": 901}, timeout=5)
        assert session.get(server.url + "/2/users/me", auth=AUTH, timeout=5).status_code == 200


def test_dm_events_list_sent_messages_newest_first_with_fields(api: Api) -> None:
    jess = api.state.add_user("jess")
    for n in range(3):
        api.session.post(
            f"{api.url}/2/dm_conversations/with/{jess['id']}/messages",
            json={"text": f"message {n}"},
            auth=AUTH,
            timeout=5,
        )
    empty_fields = api.get("/2/dm_events", max_results=2).json()
    assert [e["text"] for e in empty_fields["data"]] == ["message 2", "message 1"]
    assert set(empty_fields["data"][0]) == {"id", "event_type", "text"}
    rest = api.get(
        "/2/dm_events",
        pagination_token=empty_fields["meta"]["next_token"],
        **{"dm_event.fields": "sender_id,dm_conversation_id,created_at"},
    ).json()
    [last] = rest["data"]
    assert last["text"] == "message 0"
    assert last["sender_id"] == api.state.account["id"]
    low, high = sorted([int(api.state.account["id"]), int(jess["id"])])
    assert last["dm_conversation_id"] == f"{low}-{high}"
    assert rest["meta"] == {"result_count": 1}


def test_control_endpoints_add_tweets_move_the_clock_and_count_nothing(api: Api) -> None:
    post = api.session.post
    added = post(
        api.url + "/_sandbox/tweets",
        json={"author": "newcustomer", "text": "@acmeroasters hello?", "minutes_ago": 3},
        timeout=5,
    )
    assert added.status_code == 201
    assert added.json()["data"]["created_at"] == "2026-11-23T08:57:00.000Z"
    assert ids_of(api.mentions()) == [added.json()["data"]["id"]]
    moved = post(api.url + "/_sandbox/clock", json={"now": "2026-11-24T10:00:00Z"}, timeout=5)
    assert moved.json() == {"now": "2026-11-24T10:00:00.000Z"}
    assert api.state.now() == datetime(2026, 11, 24, 10, tzinfo=UTC)
    fault = post(
        api.url + "/_sandbox/faults", json={"match": "GET /2/users/me", "status": 503}, timeout=5
    )
    assert fault.status_code == 201
    assert api.get("/2/users/me").status_code == 503
    usage = api.session.get(api.url + "/_sandbox/usage", timeout=5).json()
    assert usage == {
        "requests": 2,
        "posts_read": 1,
        "posts_created": 0,
        "dms_sent": 0,
        "dm_events_read": 0,
        "by_endpoint": {"GET /2/users/:id/mentions": 1, "GET /2/users/me": 1},
    }
    bad = post(api.url + "/_sandbox/faults", json={"match": "*", "status": "often"}, timeout=5)
    assert bad.status_code == 400
    assert "status" in bad.json()["error"]


def test_unknown_endpoints_are_404_problems(api: Api) -> None:
    response = api.get("/2/users/by/username/jess")
    assert response.status_code == 404
    assert response.json()["type"] == "about:blank"


def test_usage_counts_every_request_and_post_read_exactly(api: Api) -> None:
    api.state.add_mentions(30, start=NOW - timedelta(hours=1), spacing=timedelta(seconds=30))
    first = api.mentions(max_results=25).json()
    api.mentions(max_results=25, pagination_token=first["meta"]["next_token"])
    api.mentions(max_results=3)  # 400: not counted as posts, still a request
    found = api.get("/2/tweets/search/recent", query="order", max_results=10).json()
    assert found["meta"]["result_count"] == 10
    usage = api.state.usage()
    assert usage["requests"] == 4
    assert usage["posts_read"] == 30 + 10
    assert usage["by_endpoint"] == {
        "GET /2/users/:id/mentions": 3,
        "GET /2/tweets/search/recent": 1,
    }


def test_faults_match_by_prefix_after_and_times(api: Api) -> None:
    api.state.add_fault(Fault(match="GET /2/users/", status=500, after=1, times=2))
    statuses = [api.get("/2/users/me").status_code for _ in range(4)]
    assert statuses == [200, 500, 500, 200]


def test_serve_on_a_busy_port_is_a_one_line_usage_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli("sandbox", "serve", "--port", str(port), "--scenario", "empty")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: cannot serve on 127.0.0.1:{port}: Address already in use "
        "(choose another --port, or --port 0 for a free one)\n"
    )
    assert result.stdout == ""


def test_a_backdated_control_tweet_gets_an_id_above_every_other(api: Api) -> None:
    """X's ids grow with creation: `minutes_ago` only sets created_at, so a client syncing with
    since_id still sees the tweet."""
    seen = api.state.add_tweet("jess", "@acmeroasters first", created_at=NOW)
    since = api.mentions().json()["meta"]["newest_id"]
    added = api.session.post(
        api.url + "/_sandbox/tweets",
        json={"author": "late", "text": "@acmeroasters written earlier", "minutes_ago": 30},
        timeout=5,
    ).json()["data"]
    assert added["created_at"] == "2026-11-23T08:30:00.000Z"
    assert int(added["id"]) > int(seen["id"])
    assert ids_of(api.mentions(since_id=since)) == [added["id"]]
    posted = api.session.post(
        api.url + "/2/tweets", json={"text": "and now"}, auth=AUTH, timeout=5
    ).json()["data"]
    assert int(posted["id"]) > int(added["id"])
    # Time bounds follow created_at, as the client sees it.
    window = api.mentions(start_time="2026-11-23T08:00:00Z", end_time="2026-11-23T08:45:00Z")
    assert ids_of(window) == [added["id"]]
