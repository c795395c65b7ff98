"""The X API gateway: the only module that imports tweepy.

* Every request goes to the configured base URL: tweepy hard-codes its host, so a
  `requests.Session` subclass rewrites the prefix (and sets the timeout tweepy never sets).
* No `wait_on_rate_limit` (it retries without bound): a 429 becomes `RateLimited` at once.
* Reads are retried a bounded number of times on 5xx, timeouts and dropped connections.
  Writes are not: a failed POST may still have happened, and only the outbox can tell.
* Every request, failed ones included, is reported to `on_request` for the cost ledger.
* Every error becomes a `TweetdeskError` with a message for a person (`translate`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
import tweepy

from tweetdesk.errors import ApiError, NetworkError, TweetdeskError, UnreadableAnswer
from tweetdesk.x.answers import from_answer
from tweetdesk.x.bodies import body_of, decoded, json_of, network_reason, where
from tweetdesk.x.credentials import Credentials
from tweetdesk.x.page import Page, to_page
from tweetdesk.x.pricing import ledger_row

log = logging.getLogger(__name__)
TWEEPY_HOST = "https://api.twitter.com"
TWEET_FIELDS = [
    "created_at",
    "conversation_id",
    "author_id",
    "in_reply_to_user_id",
    "referenced_tweets",
    "entities",
    "public_metrics",
    "lang",
    "note_tweet",  # the whole text of a post over 280 characters (`text` is cut)
]
# Not asked for: `source`, which X retired in 2022 (always empty; the description marks it
# deprecated). Whether an answer of ours came from tweetdesk is known from the outbox instead.
USER_FIELDS = ["username", "name", "public_metrics", "receives_your_dm", "protected", "verified"]
EXPANSIONS = ["author_id"]
DM_EVENT_FIELDS = ["id", "text", "event_type", "created_at", "sender_id", "dm_conversation_id"]
PAGE_SIZE = 100

RequestHook = Callable[[dict[str, Any]], None]


class _BaseUrlSession(requests.Session):
    """Rewrites tweepy's hard-coded host, sets a timeout, and reports each exchange."""

    def __init__(self, base_url: str, timeout: float, hook: RequestHook | None) -> None:
        super().__init__()
        self.base_url, self.timeout, self.hook = base_url.rstrip("/"), timeout, hook
        # Proxy and CA settings from the environment, once (requests reads them per request).
        env = self.merge_environment_settings(self.base_url, {}, None, None, None)
        self.proxies, self.verify, self.trust_env = env["proxies"], env["verify"], False

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        method, url = str(method), str(url)
        if url.startswith(TWEEPY_HOST):
            url = self.base_url + url[len(TWEEPY_HOST) :]
        kwargs.setdefault("timeout", self.timeout)
        try:
            response = super().request(method, url, *args, **kwargs)
        except requests.RequestException as exc:
            self._report(method, _sent_url(exc, url), None, kwargs.get("json"), exc)
            raise
        self._report(method, response.url, response, kwargs.get("json"))
        return response

    def _report(
        self,
        method: str,
        url: str,
        response: requests.Response | None,
        body: Any,
        error: Exception | None = None,
    ) -> None:
        """An exchange's ledger row (what it cost) and its --verbose trace line."""
        if "/2/" not in url:
            return
        path = "/2/" + url.split("/2/", 1)[1]
        answer = None if response is None else decoded(response)
        status = 0 if response is None else response.status_code
        if answer is None and status < 300:
            # A 2xx that is not X's JSON (a portal's page) is no answer of X's: not billed
            # here; a write behind it is billed once reconciliation finds it.
            status = 0
        data = answer.get("data") if answer is not None and status < 300 else None
        row = ledger_row(method, path, status, data, body)
        log.debug("%s", trace_line(row, url, response, error))
        if self.hook is not None:
            self.hook(row)


# What a --verbose trace shows of an answer: its status and these headers, nothing else (the
# rest is noise, and a request's own headers carry the OAuth signature).
TRACED_HEADERS = ("x-transaction-id",)
TRACED_PREFIXES = ("x-rate-limit-", "x-user-limit-24hour-", "x-app-limit-24hour-")


def trace_line(
    row: dict[str, Any], url: str, response: requests.Response | None, error: Exception | None
) -> str:
    """`GET /2/users/:id/mentions -> 200 OK (3 posts) at http://127.0.0.1:8000/2/users/1/...;
    x-transaction-id=... x-rate-limit-remaining=299 ...`: the URL really requested (without
    user info), the status and only the headers that matter."""
    parts = urlsplit(url)
    at = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
    if response is None:
        return f"{row['endpoint']} -> no answer ({type(error).__name__}) at {at}"
    kept = [
        f"{name.lower()}={value}"
        for name, value in response.headers.items()
        if name.lower() in TRACED_HEADERS or name.lower().startswith(TRACED_PREFIXES)
    ]
    status = f"{response.status_code} {response.reason or ''}".rstrip()
    line = f"{row['endpoint']} -> {status} ({row['posts']} posts) at {at}"
    return line + (f"; {' '.join(kept)}" if kept else "")


def _sent_url(exc: requests.RequestException, url: str) -> str:
    request = getattr(exc, "request", None)
    return str(request.url) if request is not None and request.url else url


class XClient:
    """One method per X API call tweetdesk makes; plain dicts in and out."""

    def __init__(
        self,
        creds: Credentials,
        api_url: str,
        *,
        timeout: float = 15.0,
        retries: int = 3,
        on_request: RequestHook | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.credentials_fingerprint = creds.fingerprint()  # ties the cached account to a login
        self.retries = retries
        self.sleep = sleep
        self.client = tweepy.Client(
            consumer_key=creds.consumer_key,
            consumer_secret=creds.consumer_secret,
            access_token=creds.access_token,
            access_token_secret=creds.access_token_secret,
            return_type=requests.Response,  # decoded once, by x.bodies
            wait_on_rate_limit=False,
        )
        self.client.session = _BaseUrlSession(self.api_url, timeout, on_request)

    # --- reads (retried) ----------------------------------------------------------------

    def me(self) -> dict[str, Any]:
        body = self._read(lambda: self.client.get_me(user_fields=USER_FIELDS, user_auth=True))
        return dict(body["data"])

    def mentions(self, user_id: int, **window: Any) -> Page:
        return self._page(self.client.get_users_mentions, user_id, "pagination_token", window)

    def own_tweets(self, user_id: int, **window: Any) -> Page:
        return self._page(self.client.get_users_tweets, user_id, "pagination_token", window)

    def search(self, query: str, **window: Any) -> Page:
        # Recent search pages with next_token, not pagination_token.
        return self._page(self.client.search_recent_tweets, query, "next_token", window)

    def lookup(self, ids: list[int]) -> Page:
        body = self._read(
            lambda: self.client.get_tweets(
                ids,
                tweet_fields=TWEET_FIELDS,
                user_fields=USER_FIELDS,
                expansions=EXPANSIONS,
                user_auth=True,
            )
        )
        return to_page(body)

    def dm_events(self, **window: Any) -> Page:
        """The account's DM messages, newest first (GET /2/dm_events: no since_id, 30 days)."""
        return self._dm_page(window)

    def conversation_dm_events(self, conversation_id: str, **window: Any) -> Page:
        """One conversation's DM messages, newest first: current when /2/dm_events lags."""
        return self._dm_page({**window, "dm_conversation_id": conversation_id})

    def _dm_page(self, window: dict[str, Any]) -> Page:
        params: dict[str, Any] = {"event_types": ["MessageCreate"], "expansions": ["sender_id"]}
        params.update(dm_event_fields=DM_EVENT_FIELDS, user_fields=USER_FIELDS, user_auth=True)
        params["max_results"] = window.get("max_results", PAGE_SIZE)
        if window.get("token"):
            params["pagination_token"] = window["token"]
        if window.get("dm_conversation_id"):
            params["dm_conversation_id"] = window["dm_conversation_id"]
        return to_page(self._read(lambda: self.client.get_direct_message_events(**params)))

    def _page(
        self, call: Callable[..., Any], subject: Any, token_param: str, window: dict[str, Any]
    ) -> Page:
        params: dict[str, Any] = {
            "max_results": window.pop("max_results", PAGE_SIZE),
            "tweet_fields": TWEET_FIELDS,
            "user_fields": USER_FIELDS,
            "expansions": EXPANSIONS,
            "user_auth": True,
        }
        token = window.pop("token", None)
        if token:
            params[token_param] = token
        params.update({k: v for k, v in window.items() if v is not None})
        return to_page(self._read(lambda: call(subject, **params)))

    def _read(self, call: Callable[[], Any]) -> Any:
        attempt = 0
        while True:
            try:
                return body_of(call())
            except (tweepy.TwitterServerError, requests.RequestException, UnreadableAnswer) as exc:
                if attempt >= self.retries:
                    raise translate(exc) from None
                self.sleep(min(0.5 * 2**attempt, 8.0))
                attempt += 1
            except tweepy.TweepyException as exc:
                raise translate(exc) from None

    # --- writes (never retried blindly) -------------------------------------------------

    def create_tweet(self, text: str, in_reply_to: int | None = None) -> dict[str, Any]:
        body = self._write(
            lambda: self.client.create_tweet(
                text=text, in_reply_to_tweet_id=in_reply_to, user_auth=True
            )
        )
        return dict(body["data"])

    def delete_tweet(self, tweet_id: int) -> bool:
        body = self._write(lambda: self.client.delete_tweet(tweet_id, user_auth=True))
        return bool(body.get("data", {}).get("deleted"))

    def send_dm(self, participant_id: int, text: str) -> dict[str, Any]:
        """A DM to a user (POST /2/dm_conversations/with/:participant_id/messages)."""
        return self._send_dm(participant_id=participant_id, text=text)

    def send_dm_into(self, conversation_id: str, text: str) -> dict[str, Any]:
        """A DM into a conversation (POST /2/dm_conversations/:dm_conversation_id/messages)."""
        return self._send_dm(dm_conversation_id=conversation_id, text=text)

    def _send_dm(self, **where: Any) -> dict[str, Any]:
        call = self.client.create_direct_message
        body = self._write(lambda: call(**where, user_auth=True), dm=True)
        return dict(body["data"])

    def _write(self, call: Callable[[], Any], *, dm: bool = False) -> Any:
        try:
            return body_of(call())  # not JSON: in doubt (UnreadableAnswer), as after a timeout
        except (tweepy.TweepyException, requests.RequestException) as exc:
            raise translate(exc, dm=dm) from None


def translate(exc: Exception, *, dm: bool = False) -> TweetdeskError:
    """Map a tweepy/requests failure to a TweetdeskError with a message for a person."""
    if isinstance(exc, TweetdeskError):
        return exc
    if isinstance(exc, requests.Timeout):
        return NetworkError("X did not answer in time (timeout); try again later")
    if isinstance(exc, requests.RequestException):
        return NetworkError(f"cannot reach the X API{where(exc)}: {network_reason(exc)}")
    if not isinstance(exc, tweepy.HTTPException):
        return ApiError(f"X API client error: {exc}")
    response = exc.response
    return from_answer(
        response.status_code, response.reason, json_of(response), response.headers, dm=dm
    )
