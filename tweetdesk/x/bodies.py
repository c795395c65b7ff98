"""What came over the wire, in a person's words: the body of an X API answer, decoded once
(the ledger and the caller both read it), and why a connection failed.

X answers JSON. Something else in the way (a captive portal, a proxy's page) can answer 200
with HTML: for a read that must not pass as an empty page, for a write it means the outcome is
in doubt. No tweepy here: plain `requests` responses and exceptions in.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests

from tweetdesk.errors import UnreadableAnswer
from tweetdesk.x.answers import short


def decoded(response: requests.Response) -> dict[str, Any] | None:
    """The JSON object the body holds, decoded once (the ledger and the caller both need it),
    or None when it holds none (an HTML page, a proxy's text)."""
    if hasattr(response, "_tweetdesk_body"):
        cached: dict[str, Any] | None = response._tweetdesk_body
        return cached
    try:
        value = response.json()
    except ValueError:
        value = None
    body = value if isinstance(value, dict) else None
    response._tweetdesk_body = body  # type: ignore[attr-defined]
    return body


def json_of(response: requests.Response) -> dict[str, Any]:
    """The decoded body, or {} when it is not JSON (error answers are read either way)."""
    return decoded(response) or {}


def body_of(response: requests.Response) -> dict[str, Any]:
    """A successful answer's JSON; one that is not JSON is an error, never an empty page."""
    body = decoded(response)
    if body is None:
        kind = response.headers.get("content-type", "no content type").split(";")[0]
        raise UnreadableAnswer(
            f"X's answer was not JSON ({response.status_code}, {kind}): something between "
            "this machine and X answered instead (a captive portal or a proxy?); try again"
        )
    return body


def where(exc: requests.RequestException) -> str:
    request = getattr(exc, "request", None)
    host = urlsplit(request.url).netloc.rpartition("@")[2] if request and request.url else ""
    return f" at {host}" if host else ""


def network_reason(exc: requests.RequestException) -> str:
    """A person's words for a dropped or refused connection, not urllib3's repr chain."""
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or "IncompleteRead" in str(exc):
        return "the connection dropped in the middle of X's answer; try again"
    if isinstance(exc, requests.ConnectionError):
        return "the connection was refused or dropped; check the network and TWEETDESK_API_URL"
    return short(exc)
