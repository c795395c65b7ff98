"""Scenarios: the built-in `demo` and `empty`, or a JSON file (format in docs/sandbox.md).

Every problem in a file is reported as a ValueError that names the file, the item and the key, so
the CLI can print it as one line and exit 2.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from tweetdesk.sandbox.checks import HANDLE, check_object, fail, iso_time, listed, when
from tweetdesk.sandbox.model import (
    DEFAULT_DAILY_LIMITS,
    DEFAULT_RATE_LIMITS,
    Fault,
    Scenario,
    as_utc,
    parse_time,
)
from tweetdesk.sandbox.options import Options, option_changes
from tweetdesk.sandbox.scenario_dms import check_dms

BUILTIN = ("demo", "empty")
_TOP = {"now", "account", "users", "tweets", "dms", "limits", "credentials", "revoked", "faults"}
_TOP |= {"app_name", "description", "options"}
_USER = {"username", "name", "id", "followers_count", "following_count", "listed_count"}
_USER |= {"like_count", "receives_your_dm", "description", "verified", "protected", "created_at"}
_USER |= {"location", "url"}
_ACCOUNT = _USER | {"pinned_tweet"}
_TWEET = {"key", "author", "text", "minutes_ago", "created_at", "in_reply_to", "quote_of"}
_TWEET |= {"source", "lang", "likes", "retweets", "reply_settings"}
_REPLY_SETTINGS = ("everyone", "following", "mentionedUsers", "subscribers", "verified")
_CREDENTIALS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
FAULT_KEYS = {f.name for f in fields(Fault)} - {"passed", "fired"}
_FAULT_TYPES: dict[str, tuple[type, ...]] = {
    "match": (str,),
    "status": (int, type(None)),
    "times": (int,),
    "after": (int,),
    "delay": (int, float),
    "drop": (bool,),
    "reset_in": (int,),
    "monthly_cap": (bool,),
    "commit": (bool,),
    "daily_cap": (str, type(None)),
    "html": (bool,),
}


def load_scenario(name_or_path: str, now: datetime) -> Scenario:
    """A built-in scenario by name, or a JSON scenario file; ValueError when unusable."""
    now = as_utc(now)
    if name_or_path in BUILTIN:
        raw = resources.files("tweetdesk.sandbox").joinpath(f"{name_or_path}.json").read_text()
        return parse_scenario(json.loads(raw), now, label=name_or_path)
    path = Path(name_or_path)
    if not (path.suffix == ".json" or "/" in name_or_path or path.exists()):
        names = ", ".join(BUILTIN)
        raise ValueError(
            f"unknown scenario {name_or_path!r}: use one of {names}, or a path to a JSON file"
        )
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"scenario file {path} cannot be read: {exc.strerror}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise ValueError(f"scenario file {path} is not valid JSON ({where}: {exc.msg})") from None
    return parse_scenario(data, now, label=str(path))


def _check_user(value: Any, allowed: set[str], label: str, where: str) -> dict[str, Any]:
    user = dict(check_object(value, allowed, label, where))
    handle = user.get("username")
    if not isinstance(handle, str) or not HANDLE.fullmatch(handle.lstrip("@")):
        raise fail(label, where, "'username' must be an X handle (1-15 of A-Z, 0-9, _)")
    user["username"] = handle.lstrip("@")
    if "id" in user and not re.fullmatch(r"[0-9]{1,19}", str(user["id"])):
        raise fail(label, where, "'id' must be a string of 1-19 digits")
    if "created_at" in user:
        user["created_at"] = iso_time(user["created_at"], label, where + ".created_at")
    return user


def parse_scenario(data: Any, now: datetime, *, label: str) -> Scenario:
    """Validate decoded scenario JSON; times are resolved against the scenario's own `now`."""
    top = check_object(data, _TOP, label, "top level")
    fixed = "now" in top
    base = parse_time(iso_time(top["now"], label, "now")) if fixed else now
    if "account" not in top:
        raise fail(label, "top level", "'account' is required")
    account = _check_user(top["account"], _ACCOUNT, label, "account")
    users = [
        _check_user(user, _USER, label, f"users[{i}]")
        for i, user in enumerate(listed(top, "users", label))
    ]
    names = [account["username"].lower()] + [u["username"].lower() for u in users]
    if len(set(names)) != len(names):
        raise fail(label, "users", "a username appears twice")
    tweets = _check_tweets(listed(top, "tweets", label), base, label)
    if "pinned_tweet" in account and account["pinned_tweet"] not in {t.get("key") for t in tweets}:
        raise fail(label, "account.pinned_tweet", "names no tweet key")
    scenario = Scenario(name=label, now=base, now_is_fixed=fixed, account=account, users=users)
    scenario.tweets = tweets
    scenario.dms = check_dms(listed(top, "dms", label), base, account["username"], label)
    _apply_limits(scenario, top.get("limits", {}), label)
    scenario.credentials = _credentials(top.get("credentials"), label)
    scenario.revoked = _bool(top.get("revoked", False), label, "revoked")
    scenario.app_name = str(top.get("app_name", "tweetdesk"))
    scenario.faults = [parse_fault(f, label, i) for i, f in enumerate(listed(top, "faults", label))]
    try:
        changes = option_changes(top.get("options", {}))
    except ValueError as exc:
        raise fail(label, "options", str(exc)) from None
    scenario.options = Options().updated(changes)
    scenario.options_given = frozenset(changes)
    return scenario


def _bool(value: Any, label: str, where: str) -> bool:
    if not isinstance(value, bool):
        raise fail(label, where, "must be true or false")
    return value


def _check_tweets(items: list[Any], now: datetime, label: str) -> list[dict[str, Any]]:
    tweets: list[dict[str, Any]] = []
    times: dict[str, datetime] = {}
    for i, item in enumerate(items):
        where = f"tweets[{i}]" + (f" ({item.get('key')})" if isinstance(item, dict) else "")
        tweet = dict(check_object(item, _TWEET, label, where))
        if not isinstance(tweet.get("author"), str) or not isinstance(tweet.get("text"), str):
            raise fail(label, where, "'author' and 'text' are required strings")
        if not HANDLE.fullmatch(tweet["author"].lstrip("@")):
            raise fail(label, where, f"'author' {tweet['author']!r} is not an X handle")
        if tweet.get("reply_settings", "everyone") not in _REPLY_SETTINGS:
            choices = ", ".join(_REPLY_SETTINGS)
            raise fail(label, where, f"'reply_settings' must be one of {choices}")
        tweet["created"] = when(tweet, now, label, where)
        for ref in ("in_reply_to", "quote_of"):
            if ref in tweet and tweet[ref] not in times:
                raise fail(label, where, f"'{ref}' {tweet[ref]!r} names no earlier tweet key")
        parent = tweet.get("in_reply_to")
        if parent and tweet["created"] < times[parent]:
            raise fail(label, where, "is older than the tweet it replies to")
        if "key" in tweet:
            if tweet["key"] in times:
                raise fail(label, where, f"key {tweet['key']!r} is used twice")
            times[tweet["key"]] = tweet["created"]
        tweets.append(tweet)
    return tweets


def _whole(value: Any, low: int, label: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise fail(label, where, f"must be a whole number >= {low}")
    return value


def _apply_limits(scenario: Scenario, limits: Any, label: str) -> None:
    allowed = {"mentions_cap", "timeline_cap", "rate_limits", "daily_limits"}
    limits = check_object(limits, allowed, label, "limits")
    for key in ("mentions_cap", "timeline_cap"):
        if key in limits:
            setattr(scenario, key, _whole(limits[key], 1, label, f"limits.{key}"))
    rates = check_object(
        limits.get("rate_limits", {}), set(DEFAULT_RATE_LIMITS), label, "limits.rate_limits"
    )
    for endpoint, value in rates.items():
        _whole(value, 0, label, f"limits.rate_limits[{endpoint!r}]")
    scenario.rate_limits = dict(rates)
    daily = check_object(
        limits.get("daily_limits", {}), set(DEFAULT_DAILY_LIMITS), label, "limits.daily_limits"
    )
    for endpoint, scopes in daily.items():
        where = f"limits.daily_limits[{endpoint!r}]"
        for scope, value in check_object(scopes, {"user", "app"}, label, where).items():
            _whole(value, 0, label, f"{where}.{scope}")
        scenario.daily_limits[endpoint] = dict(scopes)


def _credentials(value: Any, label: str) -> dict[str, str] | None:
    if value is None:
        return None
    found = check_object(value, set(_CREDENTIALS), label, "credentials")
    for key in _CREDENTIALS:
        if not isinstance(found.get(key), str) or not found[key]:
            raise fail(label, f"credentials.{key}", "is required (a non-empty string)")
    return dict(found)


def parse_fault(value: Any, label: str, index: int) -> Fault:
    where = f"faults[{index}]"
    found = check_object(value, FAULT_KEYS, label, where)
    if "match" not in found:
        raise fail(label, where, "'match' is required ('METHOD /path-prefix' or '*')")
    for key, item in found.items():
        numeric_bool = isinstance(item, bool) and bool not in _FAULT_TYPES[key]
        if numeric_bool or not isinstance(item, _FAULT_TYPES[key]):
            raise fail(label, f"{where}.{key}", f"has the wrong type ({type(item).__name__})")
    if found.get("daily_cap") not in (None, "user", "app"):
        raise fail(label, f"{where}.daily_cap", "must be 'user' or 'app'")
    if found.get("daily_cap") and found.get("status") != 429:
        raise fail(label, f"{where}.daily_cap", "goes with 'status': 429")
    if found.get("html") and found.get("status") is None:
        raise fail(label, f"{where}.html", "needs a 'status' (200 for a non-JSON 200)")
    return Fault(**found)
