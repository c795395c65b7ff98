"""Direct-message events: one-to-one and group conversations, and scripted customer answers.

Events are stored in API shape (`dm_event.fields` picks from them). A one-to-one conversation's
id is `<smaller user id>-<larger user id>`, as X's recorded exchanges show; a group's is a
snowflake. `participant_ids` exists only on ParticipantsJoin/ParticipantsLeave events, as the
OpenAPI description says ("A list of participants for a ParticipantsJoin or ParticipantsLeave
event_type"). Not thread-safe on its own: the state's lock guards it.
"""

from __future__ import annotations

import bisect
import copy
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

EVENT_TYPES = ("MessageCreate", "ParticipantsJoin", "ParticipantsLeave")
RETENTION = timedelta(days=30)  # "Events from up to 30 days ago are available." (X's DM docs)
CONVERSATION_ID = re.compile(r"[0-9]{1,19}-[0-9]{1,19}|[0-9]{15,19}")  # DmConversationId


def one_to_one_id(first: str, second: str) -> str:
    low, high = sorted((int(first), int(second)))
    return f"{low}-{high}"


@dataclass
class Scripted:
    """A customer's answer held back until the account next writes to them."""

    sender_id: str
    conversation_id: str
    text: str
    after: timedelta


class DirectMessages:
    """All DM events by id, group members, and scripted answers waiting for their cue."""

    def __init__(self) -> None:
        self.events: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, set[str]] = {}  # group conversation id -> participant ids
        self.group_ids: dict[str, str] = {}  # a scenario's group key -> conversation id
        self.scripted: list[Scripted] = []
        self.due: list[tuple[datetime, Scripted]] = []  # cued answers, released by the clock
        self._order: list[int] = []

    def add(self, event: dict[str, Any]) -> dict[str, Any]:
        self.events[event["id"]] = event
        bisect.insort(self._order, int(event["id"]))
        conversation = event["dm_conversation_id"]
        if conversation in self.groups:
            members = self.groups[conversation]
            if event["event_type"] == "ParticipantsJoin":
                members.update(event["participant_ids"])
            elif event["event_type"] == "ParticipantsLeave":
                members.difference_update(event["participant_ids"])
        return event

    def highest_id(self) -> int:
        return self._order[-1] if self._order else 0

    def newest_first(self) -> list[dict[str, Any]]:
        return [self.events[str(number)] for number in reversed(self._order)]

    def of_conversation(self, conversation_id: str) -> list[dict[str, Any]]:
        return [e for e in self.newest_first() if e["dm_conversation_id"] == conversation_id]

    def participants(self, conversation_id: str) -> set[str] | None:
        """Who is in a conversation; None for a group id never seen."""
        if "-" in conversation_id:
            return set(conversation_id.split("-"))
        found = self.groups.get(conversation_id)
        return set(found) if found is not None else None

    def has_written(self, user_id: str, conversation_id: str) -> bool:
        """Whether `user_id` wrote in the conversation (then X lets the account answer them)."""
        return any(
            e.get("sender_id") == user_id and e["event_type"] == "MessageCreate"
            for e in self.of_conversation(conversation_id)
        )

    def cue(self, conversation_id: str, when: datetime) -> None:
        """The account wrote into `conversation_id` at `when`: its next scripted answer is due."""
        for item in self.scripted:
            if item.conversation_id == conversation_id:
                self.scripted.remove(item)
                self.due.append((when + item.after, item))
                return

    def take_due(self, now: datetime) -> list[tuple[datetime, Scripted]]:
        ready = [(at, item) for at, item in self.due if at <= now]
        self.due = [(at, item) for at, item in self.due if at > now]
        return sorted(ready, key=lambda pair: pair[0])

    def copies(self) -> list[dict[str, Any]]:
        return [copy.deepcopy(e) for e in self.newest_first()]
