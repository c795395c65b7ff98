"""Field selection and expansions, as X applies them.

Only the requested fields appear (plus each object's defaults); `expansions` fill `includes`, and
referenced tweets that are gone become resource-not-found entries in `errors`. The allowed names
are the enums of the OpenAPI description (openapi-v2.166.json), so a request naming anything else
gets X's 400 answer.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tweetdesk.sandbox import problems

if TYPE_CHECKING:
    from tweetdesk.sandbox.state import SandboxState


def _names(text: str) -> list[str]:
    return text.split()


TWEET_FIELDS = _names(
    """article attachments author_id card_uri community_id context_annotations conversation_id
    created_at display_text_range edit_controls edit_history_tweet_ids entities geo id
    in_reply_to_user_id lang matched_media_notes media_metadata non_public_metrics
    note_request_suggestions note_tweet organic_metrics paid_partnership possibly_sensitive
    promoted_metrics public_metrics referenced_tweets reply_settings scopes source
    suggested_source_links suggested_source_links_with_counts text withheld"""
)
USER_FIELDS = _names(
    """affiliation confirmed_email connection_status created_at description entities id
    is_identity_verified location most_recent_tweet_id name parody pinned_tweet_id
    profile_banner_url profile_image_url protected public_metrics receives_your_dm
    subscription subscription_type url username verified verified_followers_count
    verified_type withheld"""
)
DM_EVENT_FIELDS = _names(
    """attachments created_at dm_conversation_id entities event_type id participant_ids
    referenced_tweets sender_id text"""
)
TWEET_EXPANSIONS = _names(
    """article.cover_media article.media_entities attachments.media_keys
    attachments.media_source_tweet attachments.poll_ids author_id edit_history_tweet_ids
    entities.mentions.username geo.place_id in_reply_to_user_id entities.note.mentions.username
    referenced_tweets.id referenced_tweets.id.attachments.media_keys
    referenced_tweets.id.author_id"""
)
USER_EXPANSIONS = ["affiliation.user_id", "most_recent_tweet_id", "pinned_tweet_id"]
DM_EXPANSIONS = ["attachments.media_keys", "participant_ids", "referenced_tweets.id", "sender_id"]


def listed(query: dict[str, list[str]], name: str, allowed: list[str]) -> list[str]:
    """A comma-separated query parameter, checked against the names X accepts."""
    if name not in query:
        return []
    items = ",".join(query[name]).split(",")
    for item in items:
        if item not in allowed:
            message = (
                f"The `{name}` query parameter value [{item}] is not one of [{','.join(allowed)}]"
            )
            raise problems.invalid_request(name, item, message)
    return items


@dataclass
class Selection:
    """What a request asked for: tweet/user/DM fields and expansions."""

    tweet: set[str]
    user: set[str]
    dm: set[str]
    expansions: set[str]

    @classmethod
    def of(cls, query: dict[str, list[str]], expansions: list[str]) -> Selection:
        return cls(
            tweet=set(listed(query, "tweet.fields", TWEET_FIELDS)),
            user=set(listed(query, "user.fields", USER_FIELDS)),
            dm=set(listed(query, "dm_event.fields", DM_EVENT_FIELDS)),
            expansions=set(listed(query, "expansions", expansions)),
        )


def tweet(state: SandboxState, record: dict[str, Any], sel: Selection) -> dict[str, Any]:
    out = {
        "id": record["id"],
        "text": record["text"],
        "edit_history_tweet_ids": list(record["edit_history_tweet_ids"]),
    }
    for name in sorted(sel.tweet - set(out)):
        if name == "public_metrics":
            out[name] = state.data.metrics(record)
        elif name == "source" and not state.options.serve_source:
            continue  # X retired the field: it is no longer served, even when asked for
        elif name in record:
            out[name] = copy.deepcopy(record[name])
    return out


def user(state: SandboxState, record: dict[str, Any], sel: Selection) -> dict[str, Any]:
    out = {"id": record["id"], "name": record["name"], "username": record["username"]}
    for name in sorted(sel.user - set(out)):
        value = _user_field(state, record, name)
        if value is not None:
            out[name] = value
    return out


def _user_field(state: SandboxState, record: dict[str, Any], name: str) -> Any:
    """One user field; None when the user has no such value (X then leaves the field out)."""
    if name == "public_metrics":
        return dict(record["public_metrics"], tweet_count=state.data.authored[record["id"]])
    if name == "most_recent_tweet_id":
        newest = state.data.tweets_of(record["id"], cap=1)
        return newest[0]["id"] if newest else None
    if name == "receives_your_dm":
        return state.can_dm(record)
    if name == "pinned_tweet_id":
        mine = record["id"] == state.account["id"]
        return (
            state.pinned_tweet_id if mine and state.data.live(state.pinned_tweet_id or "") else None
        )
    return copy.deepcopy(record.get(name))


def dm_event(event: dict[str, Any], sel: Selection) -> dict[str, Any]:
    """Defaults `id`, `event_type` and (messages only) `text`; `participant_ids` exists only on
    ParticipantsJoin/Leave events, so a MessageCreate never carries it even when asked."""
    out = {"id": event["id"], "event_type": event["event_type"]}
    if "text" in event:
        out["text"] = event["text"]
    for name in sorted(sel.dm - set(out)):
        if name in event and name in DM_EVENT_FIELDS:
            out[name] = copy.deepcopy(event[name])
    return out


class Includes:
    """Collects expanded users and tweets (first-seen order, no repeats) and missing ones."""

    def __init__(self, state: SandboxState, sel: Selection) -> None:
        self.state = state
        self.sel = sel
        self.users: dict[str, dict[str, Any]] = {}
        self.tweets: dict[str, dict[str, Any]] = {}
        self.errors: list[dict[str, Any]] = []

    def add_user(self, user_id: str | None) -> None:
        found = self.state.data.users.get(user_id or "")
        if found and user_id not in self.users:
            self.users[found["id"]] = user(self.state, found, self.sel)

    def add_tweet(self, tweet_id: str, parameter: str) -> dict[str, Any] | None:
        found = self.state.data.live(tweet_id)
        if found is None:
            self.errors.append(problems.not_found_item("tweet", parameter, tweet_id))
        elif tweet_id not in self.tweets:
            self.tweets[tweet_id] = tweet(self.state, found, self.sel)
        return found

    def expand_tweet(self, record: dict[str, Any]) -> None:
        wanted = self.sel.expansions
        if "author_id" in wanted:
            self.add_user(record["author_id"])
        if "in_reply_to_user_id" in wanted:
            self.add_user(record.get("in_reply_to_user_id"))
        if "entities.mentions.username" in wanted:
            for mention in record.get("entities", {}).get("mentions", []):
                self.add_user(mention.get("id"))
        if wanted & {"referenced_tweets.id", "referenced_tweets.id.author_id"}:
            for ref in record.get("referenced_tweets", []):
                found = self.add_tweet(ref["id"], "referenced_tweets.id")
                if found and "referenced_tweets.id.author_id" in wanted:
                    self.add_user(found["author_id"])

    def expand_dm_event(self, event: dict[str, Any]) -> None:
        if "sender_id" in self.sel.expansions:
            self.add_user(event.get("sender_id"))
        if "participant_ids" in self.sel.expansions:
            for user_id in event.get("participant_ids", ()):
                self.add_user(user_id)

    def merge_into(self, body: dict[str, Any]) -> dict[str, Any]:
        """Add `includes` and `errors` to a response body, leaving out empty ones as X does."""
        includes: dict[str, Any] = {}
        if self.users:
            includes["users"] = list(self.users.values())
        if self.tweets:
            includes["tweets"] = list(self.tweets.values())
        if includes:
            body["includes"] = includes
        if self.errors:
            body.setdefault("errors", []).extend(self.errors)
        return body


def tweets_body(
    state: SandboxState, records: list[dict[str, Any]], sel: Selection
) -> dict[str, Any]:
    """`data` (absent when empty) plus includes for a list of tweets."""
    body: dict[str, Any] = {}
    extra = Includes(state, sel)
    if records:
        body["data"] = [tweet(state, record, sel) for record in records]
        for record in records:
            extra.expand_tweet(record)
    return extra.merge_into(body)
