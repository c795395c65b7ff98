"""Sending DMs: to a participant (one-to-one) or into a conversation by its id, with X's refusals.

X never refuses a duplicate DM (unlike a duplicate post), so the same text twice is two events.
A customer's settings refuse DMs (403) unless they wrote in the conversation themselves; sending
cues any scripted answer of theirs (see `dms.Scripted`).
"""

from __future__ import annotations

from typing import Any

from tweetdesk.sandbox import params, problems
from tweetdesk.sandbox.dms import CONVERSATION_ID, one_to_one_id
from tweetdesk.sandbox.model import iso_ms
from tweetdesk.sandbox.state import SandboxState
from tweetdesk.sandbox.writes import Result, request_object, schema_error

MAX_DM_LENGTH = 10000


def to_participant(state: SandboxState, participant_id: str, body: Any) -> Result:
    params.tweet_id(participant_id, "participant_id")
    text = _text(body)
    recipient = state.data.users.get(participant_id)
    if recipient is None:
        raise problems.not_found("user", "participant_id", participant_id)
    return _send_one_to_one(state, recipient, text)


def to_conversation(state: SandboxState, conversation_id: str, body: Any) -> Result:
    if not CONVERSATION_ID.fullmatch(conversation_id):
        raise problems.not_found("dm_conversation", "dm_conversation_id", conversation_id)
    text = _text(body)
    members = state.messages.participants(conversation_id)
    me = state.account["id"]
    if members is None:
        raise problems.not_found("dm_conversation", "dm_conversation_id", conversation_id)
    if me not in members:
        raise problems.forbidden(problems.NOT_PARTICIPANT_DETAIL)
    if "-" not in conversation_id:
        return _store(state, conversation_id, text, None)
    other = next(iter(members - {me}), me)
    recipient = state.data.users.get(other)
    if recipient is None:
        raise problems.not_found("user", "dm_conversation_id", conversation_id)
    return _send_one_to_one(state, recipient, text)


def _text(body: Any) -> str:
    request = request_object(body, {"text", "attachments"}, "$")
    if "attachments" in request:
        raise schema_error("$.attachments", "is not supported by the tweetdesk sandbox")
    text = request.get("text")
    if not isinstance(text, str) or not text:
        raise schema_error("$.text", "is required and must be a non-empty string")
    if len(text) > MAX_DM_LENGTH:
        raise problems.invalid_request("text", text, "Message text is too long.")
    return text


def _send_one_to_one(state: SandboxState, recipient: dict[str, Any], text: str) -> Result:
    me = state.account["id"]
    if recipient["id"] == me:
        raise problems.forbidden("You cannot send messages to yourself.")
    if not state.can_dm(recipient):
        raise problems.forbidden(problems.DM_REFUSED_DETAIL)
    return _store(state, one_to_one_id(me, recipient["id"]), text, recipient["id"])


def _store(state: SandboxState, conversation_id: str, text: str, recipient: str | None) -> Result:
    when, event_id = state.new_post()
    event = {
        "id": event_id,
        "event_type": "MessageCreate",
        "text": text,
        "sender_id": state.account["id"],
        "dm_conversation_id": conversation_id,
        "created_at": iso_ms(when),
    }
    if recipient is not None:
        event["recipient_id"] = recipient
    state.messages.add(dict(event))
    state.dms.append(event)
    state.count("dms_sent")
    state.messages.cue(conversation_id, when)
    state.release_due()
    data = {"dm_conversation_id": conversation_id, "dm_event_id": event_id}
    return 201, {"data": data}, {"location": f'https://api.twitter.com/2/dm_events/"{event_id}"'}
