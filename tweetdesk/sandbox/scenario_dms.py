"""The `dms` of a scenario file (format in docs/sandbox.md), also used by `POST /_sandbox/dms`.

Each item becomes a plain dict with a `kind`: `MessageCreate` (one-to-one or group), `scripted` (a
customer's answer held back until the account next writes to them) or a participants event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tweetdesk.sandbox.checks import check_handle, check_object, fail, is_number, when

_KEYS = {"from", "to", "group", "text", "minutes_ago", "created_at", "event_type"}
_KEYS |= {"participants", "answers_next_dm", "after_seconds"}
_PARTICIPANTS = ("ParticipantsJoin", "ParticipantsLeave")


def check_dms(items: list[Any], now: datetime, account: str, label: str) -> list[dict[str, Any]]:
    return [check_dm(item, now, account, label, f"dms[{i}]") for i, item in enumerate(items)]


def check_dm(item: Any, now: datetime, account: str, label: str, where: str) -> dict[str, Any]:
    """One validated DM item; `account` is the account's username (it may not write to itself)."""
    found = dict(check_object(item, _KEYS, label, where))
    kind = found.get("event_type", "MessageCreate")
    if kind in _PARTICIPANTS:
        return _participants(found, kind, now, label, where)
    if kind != "MessageCreate":
        raise fail(label, where, "'event_type' must be MessageCreate, " + ", ".join(_PARTICIPANTS))
    if not isinstance(found.get("text"), str) or not found["text"]:
        raise fail(label, where, "'text' is required (a non-empty string)")
    if found.get("answers_next_dm"):
        return _scripted(found, account, label, where)
    if "after_seconds" in found or "answers_next_dm" in found:
        raise fail(label, where, "'after_seconds' goes with 'answers_next_dm': true")
    message = {
        "kind": "MessageCreate",
        "text": found["text"],
        "created": when(found, now, label, where),
    }
    if "group" in found:
        if "to" in found or "from" not in found:
            raise fail(label, where, "a group message needs 'from' (no 'to')")
        message["group"] = _group(found, label, where)
        message["from"] = check_handle(found["from"], label, where + ".from")
        return message
    if ("from" in found) == ("to" in found):
        raise fail(label, where, "give exactly one of 'from' (a customer) and 'to' (the account's)")
    side = "from" if "from" in found else "to"
    message[side] = check_handle(found[side], label, f"{where}.{side}")
    if message[side].lower() == account.lower():
        raise fail(label, where, f"'{side}' names the account itself")
    return message


def _scripted(found: dict[str, Any], account: str, label: str, where: str) -> dict[str, Any]:
    if "from" not in found or {"to", "group", "minutes_ago", "created_at"} & set(found):
        raise fail(label, where, "'answers_next_dm' needs 'from' and no 'to', 'group' or time")
    sender = check_handle(found["from"], label, where + ".from")
    if sender.lower() == account.lower():
        raise fail(label, where, "'from' names the account itself")
    after = found.get("after_seconds", 0)
    if not is_number(after) or after < 0:
        raise fail(label, where, "'after_seconds' must be a number >= 0")
    return {"kind": "scripted", "from": sender, "text": found["text"], "after_seconds": after}


def _participants(
    found: dict[str, Any], kind: str, now: datetime, label: str, where: str
) -> dict[str, Any]:
    if {"text", "from", "to", "answers_next_dm", "after_seconds"} & set(found):
        raise fail(label, where, f"a {kind} event has 'group' and 'participants' only")
    names = found.get("participants")
    if not isinstance(names, list) or not names:
        raise fail(label, where, "'participants' must be a non-empty list of handles")
    handles = [check_handle(n, label, f"{where}.participants[{i}]") for i, n in enumerate(names)]
    return {
        "kind": kind,
        "group": _group(found, label, where),
        "participants": handles,
        "created": when(found, now, label, where),
    }


def _group(found: dict[str, Any], label: str, where: str) -> str:
    group = found.get("group")
    if not isinstance(group, str) or not group:
        raise fail(label, where, "'group' must be a non-empty string (a name for the group)")
    return group
