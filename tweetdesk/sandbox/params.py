"""Query-parameter checks with X's wording, and the opaque pagination tokens."""

from __future__ import annotations

import re
from datetime import datetime

from tweetdesk.sandbox import problems
from tweetdesk.sandbox.model import parse_time

_ID = re.compile(r"[0-9]{1,19}")
_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_DIGITS32 = "0123456789ABCDEFGHIJKLMNOPQRSTUV"
# Token prefixes only make the tokens look like X's; a token names the tweet a page stops at.
OLDER = "7140dibdnow9c7bt"
NEWER = "77qpymm88g5h9vqk"
SEARCH = "b26v89c19zqg8o3f"
RELEVANCY = "b26v89c19zqg8o3r"

Query = dict[str, list[str]]

MEDIA_ETC = ("media.fields", "poll.fields", "place.fields")
EXPANDED = ("tweet.fields", "user.fields", "expansions", *MEDIA_ETC)
PAGED = ("since_id", "until_id", "max_results", "start_time", "end_time")


def check_known(query: Query, allowed: tuple[str, ...]) -> None:
    """X refuses parameters it does not know for an endpoint, and repeated ones."""
    for name, values in query.items():
        if name not in allowed:
            message = f"The query parameter [{name}] is not one of [{','.join(allowed)}]"
            raise problems.invalid_request(name, values, message)
        if len(values) > 1:
            message = f"Duplicate parameters are not allowed:  the `{name}` query parameter"
            raise problems.invalid_request(name, values, message)


def one(query: Query, name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


def tweet_id(value: str, name: str) -> str:
    if not _ID.fullmatch(value):
        message = f"The `{name}` query parameter value [{value}] does not match ^[0-9]{{1,19}}$"
        raise problems.invalid_request(name, value, message)
    return value


def optional_id(query: Query, name: str) -> int | None:
    value = one(query, name)
    return int(tweet_id(value, name)) if value is not None else None


def bounded_int(query: Query, name: str, low: int, high: int, default: int) -> int:
    value = one(query, name)
    if value is None:
        return default
    if not re.fullmatch(r"-?[0-9]+", value):
        message = f"The `{name}` query parameter value [{value}] is not a valid integer"
        raise problems.invalid_request(name, value, message)
    if not low <= int(value) <= high:
        message = f"The `{name}` query parameter value [{value}] is not between {low} and {high}"
        raise problems.invalid_request(name, value, message)
    return int(value)


def time_param(query: Query, name: str) -> datetime | None:
    value = one(query, name)
    if value is None:
        return None
    try:
        if "T" not in value:
            raise ValueError(value)
        return parse_time(value)
    except ValueError:
        message = f"Invalid '{name}':'{value}'. '{name}' must be a valid RFC 3339 date-time"
        raise problems.invalid_request(name, value, message) from None


def encode36(prefix: str, number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = _DIGITS36[digit] + digits
        if not number:
            return prefix + digits


def decode36(token: str, prefixes: tuple[str, ...], name: str) -> tuple[str, int]:
    """(prefix, number) of a token this simulator issued; 400 for anything else."""
    for prefix in prefixes:
        rest = token[len(prefix) :]
        if token.startswith(prefix) and rest and all(c in _DIGITS36 for c in rest):
            return prefix, int(rest, 36)
    message = f"The `{name}` query parameter value [{token}] is not a valid pagination token"
    raise problems.invalid_request(name, token, message)


def encode32(number: int) -> str:
    digits = ""
    while number:
        number, digit = divmod(number, 32)
        digits = _DIGITS32[digit] + digits
    return (digits or "0") + "ZZZZ"


def decode32(token: str, name: str) -> int:
    body = token[:-4]
    if token.endswith("ZZZZ") and body and all(c in _DIGITS32 for c in body):
        return int(body, 32)
    message = f"The `{name}` query parameter value [{token}] is not a valid pagination token"
    raise problems.invalid_request(name, token, message)
