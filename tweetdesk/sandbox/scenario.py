"""Scenarios: the built-in `demo` and `empty`, or a JSON file (format in docs/sandbox.md).

Every problem in a file is reported as a ValueError that names the file, the item and the key, so
the CLI can print it as one line and exit 2.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tweetdesk.sandbox.model import (
    DEFAULT_RATE_LIMITS,
    Fault,
    Scenario,
    as_utc,
    iso_ms,
    parse_time,
)

if TYPE_CHECKING:
    from tweetdesk.sandbox.state import SandboxState

BUILTIN = ("demo", "empty")
_TOP = {"now", "account", "users", "tweets", "limits", "credentials", "revoked", "faults"}
_TOP |= {"app_name", "description"}
_USER = {"username", "name", "id", "followers_count", "following_count", "listed_count"}
_USER |= {"like_count", "receives_your_dm", "description", "verified", "protected", "created_at"}
_USER |= {"location", "url"}
_ACCOUNT = _USER | {"pinned_tweet"}
_TWEET = {"key", "author", "text", "minutes_ago", "created_at", "in_reply_to", "quote_of"}
_TWEET |= {"source", "lang", "likes", "retweets"}
_CREDENTIALS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
_FAULT = {f.name for f in fields(Fault)} - {"passed", "fired"}
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
}
_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")


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


def _fail(label: str, where: str, problem: str) -> ValueError:
    return ValueError(f"scenario {label}: {where}: {problem}")


def _check_object(value: Any, allowed: set[str], label: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(label, where, "must be a JSON object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise _fail(label, where, f"unknown key {unknown[0]!r}")
    return value


def _check_user(value: Any, allowed: set[str], label: str, where: str) -> dict[str, Any]:
    user = dict(_check_object(value, allowed, label, where))
    handle = user.get("username")
    if not isinstance(handle, str) or not _HANDLE.fullmatch(handle.lstrip("@")):
        raise _fail(label, where, "'username' must be an X handle (1-15 of A-Z, 0-9, _)")
    user["username"] = handle.lstrip("@")
    if "id" in user and not re.fullmatch(r"[0-9]{1,19}", str(user["id"])):
        raise _fail(label, where, "'id' must be a string of 1-19 digits")
    if "created_at" in user:
        user["created_at"] = _time(user["created_at"], label, where + ".created_at")
    return user


def _time(value: Any, label: str, where: str) -> str:
    try:
        return iso_ms(parse_time(str(value)))
    except ValueError as exc:
        raise _fail(label, where, f"not an ISO 8601 time with a zone ({exc})") from None


def parse_scenario(data: Any, now: datetime, *, label: str) -> Scenario:
    """Validate decoded scenario JSON; times are resolved against the scenario's own `now`."""
    top = _check_object(data, _TOP, label, "top level")
    fixed = "now" in top
    base = parse_time(_time(top["now"], label, "now")) if fixed else now
    if "account" not in top:
        raise _fail(label, "top level", "'account' is required")
    account = _check_user(top["account"], _ACCOUNT, label, "account")
    users = [
        _check_user(user, _USER, label, f"users[{i}]")
        for i, user in enumerate(_list(top, "users", label))
    ]
    names = [account["username"].lower()] + [u["username"].lower() for u in users]
    if len(set(names)) != len(names):
        raise _fail(label, "users", "a username appears twice")
    tweets = _check_tweets(_list(top, "tweets", label), base, label)
    if "pinned_tweet" in account and account["pinned_tweet"] not in {t.get("key") for t in tweets}:
        raise _fail(label, "account.pinned_tweet", "names no tweet key")
    scenario = Scenario(name=label, now=base, now_is_fixed=fixed, account=account, users=users)
    scenario.tweets = tweets
    _apply_limits(scenario, top.get("limits", {}), label)
    scenario.credentials = _credentials(top.get("credentials"), label)
    scenario.revoked = _bool(top.get("revoked", False), label, "revoked")
    scenario.app_name = str(top.get("app_name", "tweetdesk"))
    scenario.faults = [parse_fault(f, label, i) for i, f in enumerate(_list(top, "faults", label))]
    return scenario


def _list(top: dict[str, Any], key: str, label: str) -> list[Any]:
    value = top.get(key, [])
    if not isinstance(value, list):
        raise _fail(label, key, "must be a JSON array")
    return value


def _bool(value: Any, label: str, where: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(label, where, "must be true or false")
    return value


def _check_tweets(items: list[Any], now: datetime, label: str) -> list[dict[str, Any]]:
    tweets: list[dict[str, Any]] = []
    times: dict[str, datetime] = {}
    for i, item in enumerate(items):
        where = f"tweets[{i}]" + (f" ({item.get('key')})" if isinstance(item, dict) else "")
        tweet = dict(_check_object(item, _TWEET, label, where))
        if not isinstance(tweet.get("author"), str) or not isinstance(tweet.get("text"), str):
            raise _fail(label, where, "'author' and 'text' are required strings")
        if not _HANDLE.fullmatch(tweet["author"].lstrip("@")):
            raise _fail(label, where, f"'author' {tweet['author']!r} is not an X handle")
        tweet["created"] = _when(tweet, now, label, where)
        for ref in ("in_reply_to", "quote_of"):
            if ref in tweet and tweet[ref] not in times:
                raise _fail(label, where, f"'{ref}' {tweet[ref]!r} names no earlier tweet key")
        parent = tweet.get("in_reply_to")
        if parent and tweet["created"] < times[parent]:
            raise _fail(label, where, "is older than the tweet it replies to")
        if "key" in tweet:
            if tweet["key"] in times:
                raise _fail(label, where, f"key {tweet['key']!r} is used twice")
            times[tweet["key"]] = tweet["created"]
        tweets.append(tweet)
    return tweets


def _when(tweet: dict[str, Any], now: datetime, label: str, where: str) -> datetime:
    if ("minutes_ago" in tweet) == ("created_at" in tweet):
        raise _fail(label, where, "give exactly one of 'minutes_ago' and 'created_at'")
    if "created_at" in tweet:
        return parse_time(_time(tweet["created_at"], label, where + ".created_at"))
    minutes = tweet["minutes_ago"]
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or minutes < 0:
        raise _fail(label, where, "'minutes_ago' must be a number >= 0")
    return now - timedelta(minutes=minutes)


def _apply_limits(scenario: Scenario, limits: Any, label: str) -> None:
    limits = _check_object(limits, {"mentions_cap", "timeline_cap", "rate_limits"}, label, "limits")
    for key in ("mentions_cap", "timeline_cap"):
        if key in limits:
            if isinstance(limits[key], bool) or not isinstance(limits[key], int) or limits[key] < 1:
                raise _fail(label, f"limits.{key}", "must be a whole number >= 1")
            setattr(scenario, key, limits[key])
    rates = _check_object(
        limits.get("rate_limits", {}), set(DEFAULT_RATE_LIMITS), label, "limits.rate_limits"
    )
    for endpoint, value in rates.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _fail(label, f"limits.rate_limits[{endpoint!r}]", "must be a whole number >= 0")
    scenario.rate_limits = dict(rates)


def _credentials(value: Any, label: str) -> dict[str, str] | None:
    if value is None:
        return None
    found = _check_object(value, set(_CREDENTIALS), label, "credentials")
    for key in _CREDENTIALS:
        if not isinstance(found.get(key), str) or not found[key]:
            raise _fail(label, f"credentials.{key}", "is required (a non-empty string)")
    return dict(found)


def parse_fault(value: Any, label: str, index: int) -> Fault:
    where = f"faults[{index}]"
    found = _check_object(value, _FAULT, label, where)
    if "match" not in found:
        raise _fail(label, where, "'match' is required ('METHOD /path-prefix' or '*')")
    for key, item in found.items():
        numeric_bool = isinstance(item, bool) and bool not in _FAULT_TYPES[key]
        if numeric_bool or not isinstance(item, _FAULT_TYPES[key]):
            raise _fail(label, f"{where}.{key}", f"has the wrong type ({type(item).__name__})")
    return Fault(**found)


def populate(state: SandboxState, scenario: Scenario) -> None:
    """Put a validated scenario's users, tweets and faults into a fresh state."""
    for user in scenario.users:
        state.data.add_user(user["username"], user)
    ids: dict[str, str] = {}
    for item in scenario.tweets:
        author = state.data.ensure_user(item["author"])
        parent = state.data.tweets[ids[item["in_reply_to"]]] if "in_reply_to" in item else None
        quoted = state.data.tweets[ids[item["quote_of"]]] if "quote_of" in item else None
        extra = {k: item[k] for k in ("source", "lang", "likes", "retweets") if k in item}
        record = state.data.create(
            author, item["text"], item["created"], parent=parent, quoted=quoted, **extra
        )
        if "key" in item:
            ids[item["key"]] = record["id"]
    if "pinned_tweet" in scenario.account:
        state.pinned_tweet_id = ids[scenario.account["pinned_tweet"]]
    for fault in scenario.faults:
        state.add_fault(Fault(**{f: getattr(fault, f) for f in _FAULT}))
