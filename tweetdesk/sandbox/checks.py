"""Checks shared by the scenario parsers: every problem is a ValueError naming the file (label),
the item and the key, so the CLI can print it as one line and exit 2."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from tweetdesk.sandbox.model import iso_ms, parse_time

HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")


def fail(label: str, where: str, problem: str) -> ValueError:
    return ValueError(f"scenario {label}: {where}: {problem}")


def check_object(value: Any, allowed: set[str], label: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(label, where, "must be a JSON object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise fail(label, where, f"unknown key {unknown[0]!r}")
    return value


def check_handle(value: Any, label: str, where: str) -> str:
    if not isinstance(value, str) or not HANDLE.fullmatch(value.lstrip("@")):
        raise fail(label, where, f"{value!r} is not an X handle (1-15 of A-Z, 0-9, _)")
    return value.lstrip("@")


def iso_time(value: Any, label: str, where: str) -> str:
    try:
        return iso_ms(parse_time(str(value)))
    except ValueError as exc:
        raise fail(label, where, f"not an ISO 8601 time with a zone ({exc})") from None


def when(item: dict[str, Any], now: datetime, label: str, where: str) -> datetime:
    """The time of an item given by exactly one of `minutes_ago` (before now) and `created_at`."""
    if ("minutes_ago" in item) == ("created_at" in item):
        raise fail(label, where, "give exactly one of 'minutes_ago' and 'created_at'")
    if "created_at" in item:
        return parse_time(iso_time(item["created_at"], label, where + ".created_at"))
    minutes = item["minutes_ago"]
    if not is_number(minutes) or minutes < 0:
        raise fail(label, where, "'minutes_ago' must be a number >= 0")
    return now - timedelta(minutes=minutes)


def is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float)


def listed(top: dict[str, Any], key: str, label: str) -> list[Any]:
    value = top.get(key, [])
    if not isinstance(value, list):
        raise fail(label, key, "must be a JSON array")
    return value
