"""Fill a fresh simulator from a validated scenario: users, tweets and DM history.

Works on the state's parts (users and tweets, DMs, ids) rather than on the state itself, so that
the state can seed itself without the two modules importing each other.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tweetdesk.sandbox.dms import DirectMessages, Scripted, one_to_one_id
from tweetdesk.sandbox.model import IdSource, Scenario, iso_ms, truncate_ms
from tweetdesk.sandbox.timeline import Timeline

_TWEET_EXTRA = ("source", "lang", "likes", "retweets", "reply_settings")


def populate(data: Timeline, dms: DirectMessages, scenario: Scenario) -> str | None:
    """Put the scenario's users, tweets and DMs in; returns the pinned tweet's id, if any."""
    for user in scenario.users:
        data.add_user(user["username"], user)
    ids: dict[str, str] = {}
    for item in scenario.tweets:
        author = data.ensure_user(item["author"])
        parent = data.tweets[ids[item["in_reply_to"]]] if "in_reply_to" in item else None
        quoted = data.tweets[ids[item["quote_of"]]] if "quote_of" in item else None
        extra = {k: item[k] for k in _TWEET_EXTRA if k in item}
        record = data.create(
            author, item["text"], item["created"], parent=parent, quoted=quoted, **extra
        )
        if "key" in item:
            ids[item["key"]] = record["id"]
    account = data.user_by_name(scenario.account["username"])
    assert account is not None  # the state adds the account first
    for item in scenario.dms:
        add_dm_item(data, dms, account["id"], item)
    return ids[scenario.account["pinned_tweet"]] if "pinned_tweet" in scenario.account else None


def add_dm_item(
    data: Timeline,
    dms: DirectMessages,
    me: str,
    item: dict[str, Any],
    fresh_at: datetime | None = None,
) -> dict[str, Any] | None:
    """One validated DM item (see scenario_dms.py); returns the event, None for a scripted one.

    `fresh_at`: give the event an id above every existing one (an event arriving now, whatever
    its `created_at`), as the control API does."""
    kind = item["kind"]
    if kind == "scripted":
        sender = data.ensure_user(item["from"])["id"]
        after = timedelta(seconds=item["after_seconds"])
        dms.scripted.append(Scripted(sender, one_to_one_id(me, sender), item["text"], after))
        return None
    created = truncate_ms(item["created"])
    event_id = data.ids.fresh(fresh_at) if fresh_at else data.ids.at(created)
    event: dict[str, Any] = {"id": event_id, "event_type": kind, "created_at": iso_ms(created)}
    if "group" in item:
        conversation = _group(data.ids, dms, me, item["group"], created)
    if kind != "MessageCreate":
        event["participant_ids"] = [data.ensure_user(n)["id"] for n in item["participants"]]
    elif "group" in item:
        event["sender_id"] = data.ensure_user(item["from"])["id"]
        dms.groups[conversation].add(event["sender_id"])
    else:
        other = data.ensure_user(item.get("from") or item["to"])["id"]
        conversation = one_to_one_id(me, other)
        event["sender_id"] = other if "from" in item else me
        event["recipient_id"] = me if "from" in item else other
    if kind == "MessageCreate":
        event["text"] = item["text"]
    event["dm_conversation_id"] = conversation
    return dms.add(event)


def _group(ids: IdSource, dms: DirectMessages, me: str, key: str, created: datetime) -> str:
    if key not in dms.group_ids:
        conversation = ids.at(created)
        dms.group_ids[key] = conversation
        dms.groups[conversation] = {me}
    return dms.group_ids[key]
