"""Direct messages in the simulator, over real HTTP: the three DM reads, both ways of sending,
X's refusals and limits, the lagging account-wide read, scripted answers, scenario DMs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import tweepy

from tweetdesk.sandbox import SandboxServer, SandboxState, load_scenario

from sandbox_client import NOW, Api, Rewriting


def make_client(url: str) -> tweepy.Client:
    client = tweepy.Client(
        consumer_key="ck", consumer_secret="cs", access_token="at", access_token_secret="ats",
        return_type=dict,
    )  # fmt: skip
    client.session = Rewriting(url)
    return client


def serve(state: SandboxState) -> Iterator[Api]:
    with SandboxServer(state) as server, requests.Session() as session:
        yield Api(server.url, session, state)


@pytest.fixture
def api() -> Iterator[Api]:
    yield from serve(SandboxState(load_scenario("empty", NOW), clock=lambda: NOW))


def texts(response: requests.Response) -> list[str]:
    return [event.get("text", event["event_type"]) for event in response.json().get("data", [])]


def test_the_account_wide_read_lists_both_directions_newest_first_with_expansions(
    api: Api,
) -> None:
    jess = api.state.add_user("jess", name="Jess")
    api.state.add_dm("jess", "my bag split", created_at=NOW - timedelta(minutes=30))
    api.send(jess["id"], "So sorry! A new one ships today.")
    fields = {"dm_event.fields": "sender_id,dm_conversation_id,created_at,participant_ids"}
    body = api.get(
        "/2/dm_events", expansions="sender_id", **{"user.fields": "receives_your_dm"}, **fields
    ).json()
    assert texts_of(body) == ["So sorry! A new one ships today.", "my bag split"]
    newest, oldest = body["data"]
    assert newest["sender_id"] == api.me and oldest["sender_id"] == jess["id"]
    assert (
        newest["dm_conversation_id"] == oldest["dm_conversation_id"] == api.conversation(jess["id"])
    )
    assert oldest["created_at"] == "2026-11-23T08:30:00.000Z"
    assert all("participant_ids" not in event for event in body["data"])  # MessageCreate only
    users = {u["username"]: u for u in body["includes"]["users"]}
    assert set(users) == {"jess", "acmeroasters"}
    assert users["jess"]["receives_your_dm"] is True
    assert body["meta"] == {"result_count": 2}


def texts_of(body: dict[str, Any]) -> list[str]:
    return [event.get("text", event["event_type"]) for event in body.get("data", [])]


def test_paging_with_max_results_and_pagination_token(api: Api) -> None:
    for n in range(5):
        api.state.add_dm("jess", f"message {n}", created_at=NOW - timedelta(minutes=10 - n))
    first = api.get("/2/dm_events", max_results=2).json()
    assert texts_of(first) == ["message 4", "message 3"]
    second = api.get("/2/dm_events", max_results=2, pagination_token=first["meta"]["next_token"])
    third = api.get(
        "/2/dm_events", max_results=2, pagination_token=second.json()["meta"]["next_token"]
    ).json()
    assert texts(second) == ["message 2", "message 1"]
    assert third == {"data": third["data"], "meta": {"result_count": 1}}
    assert texts_of(third) == ["message 0"]
    for bad in ("0", "101"):
        refused = api.get("/2/dm_events", max_results=bad)
        assert refused.status_code == 400
        assert "is not between 1 and 100" in refused.text
    assert api.state.usage()["dm_events_read"] == 5


def test_only_the_last_30_days_are_served(api: Api) -> None:
    api.state.add_dm("jess", "old news", created_at=NOW - timedelta(days=31))
    api.state.add_dm("jess", "still here", created_at=NOW - timedelta(days=29))
    jess = api.state.data.user_by_name("jess")
    assert jess is not None
    for path in ("/2/dm_events", f"/2/dm_conversations/with/{jess['id']}/dm_events"):
        assert texts(api.get(path)) == ["still here"]


def test_the_per_conversation_reads_carry_both_tokens_as_x_does(api: Api) -> None:
    jess, sam = api.state.add_user("jess"), api.state.add_user("sam")
    for n in range(3):
        api.send(jess["id"], f"to jess {n}")
    api.send(sam["id"], "to sam")
    by_id = api.get(f"/2/dm_conversations/{api.conversation(jess['id'])}/dm_events").json()
    by_user = api.get(f"/2/dm_conversations/with/{jess['id']}/dm_events").json()
    assert by_id == by_user
    assert texts_of(by_id) == ["to jess 2", "to jess 1", "to jess 0"]
    # The recorded exchange has next_token and previous_token on a page that holds everything.
    assert set(by_id["meta"]) == {"result_count", "next_token", "previous_token"}
    path = f"/2/dm_conversations/with/{jess['id']}/dm_events"
    past_end = api.get(path, pagination_token=by_id["meta"]["next_token"]).json()
    assert past_end == {"meta": {"result_count": 0}}
    paged = api.get(path, max_results=1).json()
    older = api.get(path, max_results=1, pagination_token=paged["meta"]["next_token"]).json()
    back = api.get(path, max_results=1, pagination_token=older["meta"]["previous_token"]).json()
    assert texts_of(older) == ["to jess 1"] and back["data"] == paged["data"]


def test_conversation_reads_refuse_what_is_not_the_accounts(api: Api) -> None:
    assert api.get("/2/dm_conversations/12-34/dm_events").status_code == 403
    unknown_group = api.get("/2/dm_conversations/1585094756761149440/dm_events")
    assert unknown_group.status_code == 404
    assert unknown_group.json()["type"].endswith("/resource-not-found")
    malformed = api.get("/2/dm_conversations/abc/dm_events")
    assert malformed.status_code == 400
    stranger = api.get("/2/dm_conversations/with/424242/dm_events")
    assert stranger.json() == {"meta": {"result_count": 0}}


def test_sending_into_a_conversation_by_its_id_with_tweepy(api: Api) -> None:
    jess = api.state.add_user("jess")
    client = make_client(api.url)
    first = client.create_direct_message(participant_id=jess["id"], text="Hi Jess")
    conversation = first["data"]["dm_conversation_id"]
    assert conversation == api.conversation(jess["id"])
    again = client.create_direct_message(dm_conversation_id=conversation, text="Any news?")
    assert again["data"]["dm_conversation_id"] == conversation
    assert int(again["data"]["dm_event_id"]) > int(first["data"]["dm_event_id"])
    found = client.get_direct_message_events(dm_conversation_id=conversation, user_auth=True)
    assert [e["text"] for e in found["data"]] == ["Any news?", "Hi Jess"]
    assert [d["text"] for d in api.state.dms] == ["Hi Jess", "Any news?"]
    assert api.state.usage()["dms_sent"] == 2
    refused = api.post("/2/dm_conversations/12-34/messages", {"text": "hi"})
    assert refused.status_code == 403
    assert (
        api.post("/2/dm_conversations/1585094756761149440/messages", {"text": "hi"}).status_code
        == 404
    )


def test_x_never_refuses_a_duplicate_dm(api: Api) -> None:
    jess = api.state.add_user("jess")
    answers = [api.send(jess["id"], "Thanks!") for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json()["data"]["dm_event_id"] != answers[1].json()["data"]["dm_event_id"]
    assert texts(api.get(f"/2/dm_conversations/with/{jess['id']}/dm_events")) == ["Thanks!"] * 2


def test_a_recipient_who_refuses_dms_gets_403_unless_they_wrote_first(api: Api) -> None:
    closed = api.state.add_user("closed", receives_your_dm=False)
    writer = api.state.add_user("writer", receives_your_dm=False)
    api.state.add_dm("writer", "hello, can you help?", created_at=NOW - timedelta(minutes=5))
    for path in (
        f"/2/dm_conversations/with/{closed['id']}/messages",
        f"/2/dm_conversations/{api.conversation(closed['id'])}/messages",
    ):
        refused = api.post(path, {"text": "Hi"})
        assert refused.status_code == 403
        assert "their settings do not accept messages from you" in refused.json()["detail"]
    # X lets the account answer someone who wrote to it, and says so in receives_your_dm.
    assert api.send(writer["id"], "Of course!").status_code == 201
    me = api.get("/2/dm_events", expansions="sender_id", **{"user.fields": "receives_your_dm"})
    assert {u["username"]: u["receives_your_dm"] for u in me.json()["includes"]["users"]} == {
        "writer": True,
        "acmeroasters": True,
    }


@pytest.mark.parametrize(
    "path",
    [
        "/2/dm_events",
        "/2/dm_conversations/with/{user}/dm_events",
        "/2/dm_conversations/{conversation}/dm_events",
    ],
)
def test_dm_reads_allow_15_requests_per_15_minutes(api: Api, path: str) -> None:
    jess = api.state.add_user("jess")
    concrete = path.format(user=jess["id"], conversation=api.conversation(jess["id"]))
    answers = [api.get(concrete) for _ in range(16)]
    assert [a.status_code for a in answers] == [200] * 15 + [429]
    limited = answers[-1]
    assert limited.headers["x-rate-limit-limit"] == "15"
    assert limited.headers["x-rate-limit-remaining"] == "0"
    assert int(limited.headers["x-rate-limit-reset"]) == int(
        (NOW + timedelta(minutes=15)).timestamp()
    )
    api.control("/_sandbox/clock", {"advance_seconds": 900})
    assert api.get(concrete).status_code == 200


def test_the_account_wide_read_can_lag_while_the_conversation_read_does_not(api: Api) -> None:
    jess = api.state.add_user("jess")
    api.state.add_dm("jess", "an hour ago", created_at=NOW - timedelta(hours=1))
    options = api.control("/_sandbox/options", {"dm_events_lag_seconds": 30})
    assert options.json()["data"]["dm_events_lag_seconds"] == 30.0
    api.send(jess["id"], "Just sent")
    assert texts(api.get("/2/dm_events")) == ["an hour ago"]
    conversation = f"/2/dm_conversations/with/{jess['id']}/dm_events"
    assert texts(api.get(conversation)) == ["Just sent", "an hour ago"]
    api.control("/_sandbox/clock", {"advance_seconds": 31})
    assert texts(api.get("/2/dm_events")) == ["Just sent", "an hour ago"]


def test_a_scripted_answer_arrives_after_the_accounts_dm(api: Api) -> None:
    marcus = api.state.add_user("marcus")
    api.state.script_dm_answer("marcus", "Order #A1077", after_seconds=0)
    api.state.script_dm_answer("marcus", "Thanks, got it!", after_seconds=60)
    assert texts(api.get("/2/dm_events")) == []
    api.send(marcus["id"], "Could you DM us your order number?")
    events = api.get("/2/dm_events", **{"dm_event.fields": "sender_id,created_at"}).json()["data"]
    assert [e["text"] for e in events] == ["Order #A1077", "Could you DM us your order number?"]
    assert events[0]["sender_id"] == marcus["id"]
    assert events[0]["created_at"] > events[1]["created_at"]  # just after ours, ids rising too
    assert int(events[0]["id"]) > int(events[1]["id"])
    api.send(marcus["id"], "Replacement on its way")  # cues the second answer, 60 s later
    assert texts(api.get("/2/dm_events"))[0] == "Replacement on its way"
    api.control("/_sandbox/clock", {"advance_seconds": 59})
    assert texts(api.get("/2/dm_events"))[0] == "Replacement on its way"
    api.control("/_sandbox/clock", {"advance_seconds": 2})  # our DM was stamped a few ms late
    assert texts(api.get("/2/dm_events"))[0] == "Thanks, got it!"


def test_the_control_api_adds_and_lists_dms(api: Api) -> None:
    added = api.control(
        "/_sandbox/dms", {"from": "newcustomer", "text": "Hello?", "minutes_ago": 2}
    )
    assert added.status_code == 201
    event = added.json()["data"]
    assert event["created_at"] == "2026-11-23T08:58:00.000Z"
    assert texts(api.get("/2/dm_events")) == ["Hello?"]
    phone = api.control("/_sandbox/dms", {"to": "newcustomer", "text": "Hi! How can we help?"})
    assert int(phone.json()["data"]["id"]) > int(event["id"])
    scripted = api.control(
        "/_sandbox/dms", {"from": "newcustomer", "text": "ok", "answers_next_dm": True}
    )
    assert scripted.json() == {"data": {"answers_next_dm": True, "from": "newcustomer"}}
    listed = api.control("/_sandbox/dms").json()["data"]
    assert [e["text"] for e in listed] == ["Hi! How can we help?", "Hello?"]
    assert api.state.dms == []  # sent through the API only
    bad = api.control("/_sandbox/dms", {"from": "acmeroasters", "text": "me?"})
    assert bad.status_code == 400
    assert "names the account itself" in bad.json()["error"]
    assert api.state.usage()["requests"] == 1  # the control API is not counted


def test_a_backdated_control_dm_still_gets_the_newest_id(api: Api) -> None:
    api.state.add_dm("jess", "recent", created_at=NOW - timedelta(minutes=1))
    late = api.control(
        "/_sandbox/dms", {"from": "jess", "text": "delivered late", "minutes_ago": 30}
    )
    assert texts(api.get("/2/dm_events")) == ["delivered late", "recent"]
    assert late.json()["data"]["created_at"] == "2026-11-23T08:30:00.000Z"


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data))
    return str(path)


GROUP_SCENARIO = {
    "account": {"username": "shop"},
    "dms": [
        {"from": "ann", "text": "hi shop", "minutes_ago": 50},
        {"to": "ann", "text": "hi ann", "minutes_ago": 49},
        {"group": "team", "event_type": "ParticipantsJoin", "participants": ["bo", "cy"],
         "minutes_ago": 40},
        {"group": "team", "from": "bo", "text": "welcome all", "minutes_ago": 30},
        {"group": "team", "event_type": "ParticipantsLeave", "participants": ["cy"],
         "minutes_ago": 20},
    ],
}  # fmt: skip


def test_scenario_files_hold_one_to_one_and_group_dms(tmp_path: Path) -> None:
    state = SandboxState(load_scenario(write(tmp_path, GROUP_SCENARIO), NOW), clock=lambda: NOW)
    for api in serve(state):
        fields = {"dm_event.fields": "participant_ids,sender_id,dm_conversation_id"}
        body = api.get("/2/dm_events", expansions="participant_ids", **fields).json()
        assert texts_of(body) == [
            "ParticipantsLeave",
            "welcome all",
            "ParticipantsJoin",
            "hi ann",
            "hi shop",
        ]
        leave, message, join = body["data"][:3]
        bo, cy = (state.data.user_by_name(n) for n in ("bo", "cy"))
        assert bo and cy
        assert join["participant_ids"] == [bo["id"], cy["id"]]
        assert leave["participant_ids"] == [cy["id"]]
        assert "participant_ids" not in message and "text" not in join
        group = join["dm_conversation_id"]
        assert len(group) == 19 and group.isdigit()
        assert {u["username"] for u in body["includes"]["users"]} == {"bo", "cy"}
        only_messages = api.get("/2/dm_events", event_types="MessageCreate")
        assert texts(only_messages) == ["welcome all", "hi ann", "hi shop"]
        in_group = api.get(f"/2/dm_conversations/{group}/dm_events")
        assert texts(in_group) == ["ParticipantsLeave", "welcome all", "ParticipantsJoin"]
        assert (
            api.post(f"/2/dm_conversations/{group}/messages", {"text": "hi team"}).status_code
            == 201
        )
        assert texts(api.get(f"/2/dm_conversations/{group}/dm_events"))[0] == "hi team"


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ({"text": "hi", "minutes_ago": 1}, "give exactly one of 'from' (a customer) and 'to'"),
        ({"from": "a", "to": "b", "text": "hi", "minutes_ago": 1}, "give exactly one of 'from'"),
        ({"from": "a", "minutes_ago": 1}, "'text' is required"),
        ({"from": "a", "text": "hi"}, "give exactly one of 'minutes_ago' and 'created_at'"),
        ({"to": "shop", "text": "hi", "minutes_ago": 1}, "'to' names the account itself"),
        ({"from": "a b", "text": "hi", "minutes_ago": 1}, "is not an X handle"),
        (
            {"from": "a", "text": "hi", "answers_next_dm": True, "minutes_ago": 1},
            "no 'to', 'group'",
        ),
        ({"from": "a", "text": "hi", "minutes_ago": 1, "after_seconds": 5}, "goes with"),
        ({"group": "g", "event_type": "ParticipantsJoin", "minutes_ago": 1}, "'participants'"),
        ({"group": "g", "to": "a", "text": "hi", "minutes_ago": 1}, "needs 'from' (no 'to')"),
        ({"from": "a", "text": "hi", "minutes_ago": 1, "event_type": "Typing"}, "'event_type'"),
        ({"from": "a", "text": "hi", "minutes_ago": 1, "colour": "red"}, "unknown key 'colour'"),
    ],
)
def test_bad_scenario_dms_name_the_problem(
    tmp_path: Path, item: dict[str, Any], problem: str
) -> None:
    path = write(tmp_path, {"account": {"username": "shop"}, "dms": [item]})
    with pytest.raises(ValueError, match="scenario") as error:
        load_scenario(path, NOW)
    assert "dms[0]" in str(error.value) and problem in str(error.value)


def test_the_demo_has_a_dm_only_customer_and_one_who_answers_once_moved() -> None:
    state = SandboxState(load_scenario("demo", NOW), clock=lambda: NOW)
    for api in serve(state):
        events = api.get("/2/dm_events", expansions="sender_id", **{"dm_event.fields": "sender_id"})
        body = events.json()
        names = {u["id"]: u["username"] for u in body["includes"]["users"]}
        senders = [names[e["sender_id"]] for e in body["data"]]
        mentioned = {
            state.data.users[t["author_id"]]["username"] for t in state.data.newest_first()
        }
        assert "priya_s" in senders and "priya_s" not in mentioned  # only ever DMs
        assert "acmeroasters" in senders  # an answer sent from the phone app
        marcus = state.data.user_by_name("marcus_b")
        assert marcus is not None and "marcus_b" not in senders
        client = make_client(api.url)
        client.create_direct_message(participant_id=marcus["id"], text="Could you DM us the order?")
        found = client.get_direct_message_events(
            participant_id=marcus["id"], dm_event_fields=["sender_id"], user_auth=True
        )
        newest = found["data"][0]
        assert newest["sender_id"] == marcus["id"] and "#A1077" in newest["text"]
    assert not state.internal_errors


def test_an_app_without_dm_permission_gets_xs_oauth1_permissions_problem(api: Api) -> None:
    jess = api.state.add_user("jess")
    api.control("/_sandbox/options", {"app_access_level": "read-write"})
    for answer in (api.get("/2/dm_events"), api.send(jess["id"], "Hi")):
        assert answer.status_code == 403
        assert answer.headers["x-access-level"] == "read-write"
        assert answer.json() == {
            "title": "Forbidden",
            "type": "https://api.twitter.com/2/problems/oauth1-permissions",
            "status": 403,
            "detail": "Your client app is not configured with the appropriate oauth1 app "
            "permissions for this endpoint.",
        }
    assert api.post("/2/tweets", {"text": "Posting still works"}).status_code == 201
    assert api.state.dms == []
    with pytest.raises(tweepy.Forbidden):
        make_client(api.url).create_direct_message(participant_id=jess["id"], text="Hi")
