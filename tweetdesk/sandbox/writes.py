"""Writes: create and delete tweets, with the refusals X gives (DMs are in dm_writes.py).

Each handler returns (status, body, extra headers) with the state's lock held by the router.
"""

from __future__ import annotations

from typing import Any

from tweetdesk.sandbox import params, problems
from tweetdesk.sandbox.state import SandboxState
from tweetdesk.sandbox.text import MAX_WEIGHTED_LENGTH, weighted_length

Result = tuple[int, dict[str, Any], dict[str, str]]
# The properties of TweetCreateRequest in the OpenAPI description (it allows no others).
_TWEET_KEYS = set(
    """card_uri community_id direct_message_deep_link edit_options for_super_followers_only geo
    made_with_ai media nullcast paid_partnership poll quote_tweet_id reply reply_settings
    share_with_followers text""".split()  # noqa: SIM905 - a word list reads better than 16 quotes
)
_UNSIMULATED = ("media", "poll", "card_uri", "edit_options", "community_id")
_REPLY_KEYS = {"in_reply_to_tweet_id", "exclude_reply_user_ids", "auto_populate_reply_metadata"}
# TweetCreateRequest.reply_settings in the OpenAPI description ("everyone" is the default, and
# not a value a request may send).
REPLY_SETTINGS = ("following", "mentionedUsers", "subscribers", "verified")


def schema_error(path: str, problem: str) -> problems.ApiProblem:
    return problems.invalid_request(path.lstrip("$.") or "body", [], f"{path}: {problem}")


def request_object(body: Any, allowed: set[str], path: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise schema_error(path, "is not an object (the body must be JSON)")
    for key in body:
        if key not in allowed:
            problem = "is not defined in the schema and the schema does not allow additional "
            raise schema_error(f"{path}.{key}", problem + "properties")
    return body


def reply_allowed(state: SandboxState, target: dict[str, Any]) -> bool:
    """Since 2026 an app may reply only where the account was mentioned, quoted or is the author."""
    me = state.account["id"]
    data = state.data
    root = data.tweets.get(target["conversation_id"])
    if target["author_id"] == me or (root is not None and root["author_id"] == me):
        return True
    if state.account["username"].lower() in data.mentioned[target["id"]]:
        return True
    return data.quotes(target, me)


def _target(state: SandboxState, value: Any, path: str, verb: str) -> dict[str, Any]:
    if not isinstance(value, str) or not value.isdigit():
        raise schema_error(path, "must be a tweet id (a string of digits)")
    found = state.data.live(value)
    if found is None:
        detail = f"You attempted to {verb} a Tweet that is deleted or not visible to you."
        raise problems.forbidden(detail)
    return found


def create_tweet(state: SandboxState, body: Any) -> Result:
    request = request_object(body, _TWEET_KEYS, "$")
    for key in _UNSIMULATED:
        if key in request:
            raise schema_error(f"$.{key}", "is not supported by the tweetdesk sandbox")
    text = request.get("text")
    if not isinstance(text, str) or not text.strip():
        raise problems.invalid_request("text", [], "Post text is required and cannot be empty.")
    if weighted_length(text) > MAX_WEIGHTED_LENGTH:
        raise problems.invalid_request("text", text, problems.TOO_LONG_MESSAGE)
    parent, exclude = _reply_target(state, request)
    quoted = None
    if "quote_tweet_id" in request:
        quoted = _target(state, request["quote_tweet_id"], "$.quote_tweet_id", "quote")
    settings = _reply_settings(request)
    me = state.data.users[state.account["id"]]
    full = state.data.reply_text(me, text, parent, exclude)
    for mine in state.data.tweets_of(me["id"], cap=10**9):
        if state.data.sent_text[mine["id"]].strip() == full.strip():
            raise problems.duplicate_content()
    when, tweet_id = state.new_post()
    record = state.data.create(
        me,
        text,
        when,
        parent=parent,
        quoted=quoted,
        source=state.app_name,
        exclude_ids=exclude,
        tweet_id=tweet_id,
        reply_settings=settings,
    )
    state.count("posts_created")
    data = {"id": record["id"], "text": record["text"]}
    data["edit_history_tweet_ids"] = [record["id"]]
    location = {"location": f"https://api.twitter.com/2/tweets/{record['id']}"}
    return 201, {"data": data}, location


def _reply_target(
    state: SandboxState, request: dict[str, Any]
) -> tuple[dict[str, Any] | None, frozenset[str]]:
    """The tweet replied to (checked as X checks it), and the user ids kept out of the prefix."""
    if "reply" not in request:
        return None, frozenset()
    reply = request_object(request["reply"], _REPLY_KEYS, "$.reply")
    target = reply.get("in_reply_to_tweet_id")
    parent = _target(state, target, "$.reply.in_reply_to_tweet_id", "reply to")
    if not reply_allowed(state, parent):
        raise problems.forbidden(problems.REPLY_DETAIL)
    return parent, frozenset(str(i) for i in reply.get("exclude_reply_user_ids", []))


def _reply_settings(request: dict[str, Any]) -> str:
    if "reply_settings" not in request:
        return "everyone"
    value = request["reply_settings"]
    if value not in REPLY_SETTINGS:
        # The wording of X's JSON-schema messages, as for unknown keys above.
        allowed = ", ".join(REPLY_SETTINGS)
        problem = f"does not have a value in the enumeration [{allowed}]"
        raise schema_error("$.reply_settings", problem)
    return str(value)


def delete_tweet(state: SandboxState, tweet_id: str) -> Result:
    params.tweet_id(tweet_id, "id")
    found = state.data.live(tweet_id)
    if found is None:
        raise problems.not_found("tweet", "id", tweet_id)
    if found["author_id"] != state.account["id"]:
        raise problems.forbidden("You are not allowed to delete a Tweet you did not author.")
    state.data.delete(tweet_id)
    return 200, {"data": {"deleted": True}}, {}
