"""GET endpoints of direct messages: the account's events, one conversation's, one participant's.

As X: newest first, `max_results` 1-100 (default 100), `pagination_token`, only the last 30 days.
The per-conversation pages carry `next_token` and `previous_token` whenever they hold events (a
recorded exchange shows both on a two-event page; tweepy's cassette
test_manage_and_lookup_direct_messages); a token past the end gives an empty page (assumed). The
account-wide read can lag (`dm_events_lag_seconds`): X has been seen answering it with no events
seconds after a DM was sent (the same cassette), while the conversation read was up to date.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tweetdesk.sandbox import fields, params, problems
from tweetdesk.sandbox.dms import CONVERSATION_ID, EVENT_TYPES, RETENTION, one_to_one_id
from tweetdesk.sandbox.fields import Includes, Selection
from tweetdesk.sandbox.model import parse_time, snowflake_time
from tweetdesk.sandbox.params import Query, one
from tweetdesk.sandbox.state import SandboxState

Body = dict[str, Any]
Events = list[dict[str, Any]]
ALLOWED = (
    *("max_results", "pagination_token", "event_types", "dm_event.fields", "expansions"),
    *("media.fields", "user.fields", "tweet.fields"),
)
OLDER, NEWER = 0, 1


def all_events(state: SandboxState, query: Query) -> Body:
    lag = state.options.dm_events_lag_seconds
    return _page(state, query, _visible(state, state.messages.newest_first(), lag), both=False)


def conversation_events(state: SandboxState, query: Query, conversation_id: str) -> Body:
    if not CONVERSATION_ID.fullmatch(conversation_id):
        message = (
            f"The `id` path parameter value [{conversation_id}] does not match "
            "^([0-9]{1,19}-[0-9]{1,19}|[0-9]{15,19})$"
        )
        raise problems.invalid_request("id", conversation_id, message)
    members = state.messages.participants(conversation_id)
    if members is None:
        raise problems.not_found("dm_conversation", "id", conversation_id)
    if state.account["id"] not in members:
        raise problems.forbidden(problems.NOT_PARTICIPANT_DETAIL)
    events = state.messages.of_conversation(conversation_id)
    return _page(state, query, _visible(state, events, 0), both=True)


def participant_events(state: SandboxState, query: Query, participant_id: str) -> Body:
    params.tweet_id(participant_id, "participant_id")
    conversation = one_to_one_id(state.account["id"], participant_id)
    events = state.messages.of_conversation(conversation)
    return _page(state, query, _visible(state, events, 0), both=True)


def _visible(state: SandboxState, events: Events, lag: float) -> Events:
    """The last 30 days; with a lag, not the events that arrived less than `lag` seconds ago."""
    now = state.now()
    oldest = now - RETENTION
    found = [e for e in events if parse_time(e["created_at"]) >= oldest]
    if lag > 0:
        found = [e for e in found if now - snowflake_time(e["id"]) >= timedelta(seconds=lag)]
    return found


def _page(state: SandboxState, query: Query, events: Events, *, both: bool) -> Body:
    """One page of newest-first `events`; `both`: the conversation reads' two tokens."""
    params.check_known(query, ALLOWED)
    size = params.bounded_int(query, "max_results", 1, 100, 100)
    kinds = fields.listed(query, "event_types", list(EVENT_TYPES)) or list(EVENT_TYPES)
    sel = Selection.of(query, fields.DM_EXPANSIONS)
    events = [e for e in events if e["event_type"] in kinds]
    token = one(query, "pagination_token")
    if token is None:
        chosen = events[:size]
    else:
        anchor = params.decode32(token, "pagination_token")
        direction, anchor = anchor & 1, anchor >> 1
        if direction == OLDER:
            chosen = [e for e in events if int(e["id"]) < anchor][:size]
        else:
            chosen = [e for e in events if int(e["id"]) > anchor][-size:]
    state.count("dm_events_read", len(chosen))
    body: Body = {}
    extra = Includes(state, sel)
    if chosen:
        body["data"] = [fields.dm_event(e, sel) for e in chosen]
        for event in chosen:
            extra.expand_dm_event(event)
    meta: Body = {"result_count": len(chosen)}
    if chosen and (both or int(events[-1]["id"]) < int(chosen[-1]["id"])):
        meta["next_token"] = params.encode32(int(chosen[-1]["id"]) << 1 | OLDER)
    if chosen and both:
        meta["previous_token"] = params.encode32(int(chosen[0]["id"]) << 1 | NEWER)
    body["meta"] = meta
    return extra.merge_into(body)
