"""Talking to the simulator over real HTTP in its own tests: a session that sends tweepy's
hard-coded host to it (rewritten before OAuth signs, or only when sending), and a small raw
client for the endpoints and the control API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import requests
from requests_oauthlib import OAuth1

from tweetdesk.sandbox import SandboxState

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
AUTH = OAuth1("consumer", "consumer-secret", "token", "token-secret")
TWITTER = "https://api.twitter.com"


class Rewriting(requests.Session):
    """tweepy's hard-coded host to the simulator: before signing (`after=False`: the signature
    covers the simulator's URL, as a real client's covers X's) or only when sending."""

    def __init__(self, base_url: str, after: bool = False) -> None:
        super().__init__()
        self.base_url, self.after = base_url, after

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", 5)
        if not self.after:
            url = str(url).replace(TWITTER, self.base_url)
        return super().request(method, url, *args, **kwargs)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> Any:
        request.url = str(request.url).replace(TWITTER, self.base_url)
        kwargs["timeout"] = kwargs.get("timeout") or 5
        return super().send(request, **kwargs)


class Api:
    """Raw HTTP against a running simulator, signed with dummy OAuth 1.0a keys."""

    def __init__(self, url: str, session: requests.Session, state: SandboxState) -> None:
        self.url, self.session, self.state = url, session, state
        self.me = state.account["id"]

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.session.get(self.url + path, params=params, auth=AUTH, timeout=5)

    def post(self, path: str, body: Any) -> requests.Response:
        return self.session.post(self.url + path, json=body, auth=AUTH, timeout=5)

    def mentions(self, **params: Any) -> requests.Response:
        return self.get(f"/2/users/{self.me}/mentions", **params)

    def ids(self, path: str, **params: Any) -> list[str]:
        return [t["id"] for t in self.get(path, **params).json().get("data", [])]

    def send(self, user_id: str, text: str) -> requests.Response:
        return self.post(f"/2/dm_conversations/with/{user_id}/messages", {"text": text})

    def conversation(self, user_id: str) -> str:
        low, high = sorted((int(self.me), int(user_id)))
        return f"{low}-{high}"

    def control(self, path: str, body: Any = None) -> requests.Response:
        if body is None:
            return self.session.get(self.url + path, timeout=5)
        return self.session.post(self.url + path, json=body, timeout=5)

    def options(self, **changes: Any) -> dict[str, Any]:
        answer = self.control("/_sandbox/options", changes)
        assert answer.status_code == 200, answer.text
        data: dict[str, Any] = answer.json()["data"]
        return data
