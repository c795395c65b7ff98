"""`auth login`: X's OAuth 1.0a PIN flow against the configured base URL, with a timeout on
every step (requests-oauthlib, as tweepy uses it underneath; tweepy would hard-code its host,
drop the timeout and keep to itself the @handle X names with the tokens)."""

from __future__ import annotations

from typing import Any

import requests

from tweetdesk.errors import AuthError
from tweetdesk.x.answers import short

# requests-oauthlib raises ValueError subclasses (TokenRequestDenied, TokenMissing) on a refusal.
REFUSED = (ValueError, KeyError, requests.RequestException)


class PinFlow:
    """Ask for a request token, send the person to authorize it, trade the PIN for tokens."""

    def __init__(
        self, consumer_key: str, consumer_secret: str, api_url: str, timeout: float
    ) -> None:
        self.base = api_url.rstrip("/")
        self.timeout = timeout
        self.consumer = (consumer_key, consumer_secret)
        self.request_token: dict[str, Any] = {}

    def authorization_url(self) -> str:
        from requests_oauthlib import OAuth1Session

        key, secret = self.consumer
        session = OAuth1Session(key, client_secret=secret, callback_uri="oob")
        try:
            self.request_token = session.fetch_request_token(
                f"{self.base}/oauth/request_token", timeout=self.timeout
            )
            return str(session.authorization_url(f"{self.base}/oauth/authorize"))
        except REFUSED as exc:
            raise AuthError(f"X refused to start the login: {short(exc)}") from None

    def finish(self, pin: str) -> tuple[str, str, str | None]:
        """The access token and secret for the PIN, and the @handle X says they act as."""
        from requests_oauthlib import OAuth1Session

        key, secret = self.consumer
        session = OAuth1Session(
            key,
            client_secret=secret,
            resource_owner_key=self.request_token.get("oauth_token"),
            resource_owner_secret=self.request_token.get("oauth_token_secret"),
            verifier=pin.strip(),
            callback_uri="oob",
        )
        try:
            answer = session.fetch_access_token(
                f"{self.base}/oauth/access_token", timeout=self.timeout
            )
            token, token_secret = answer["oauth_token"], answer["oauth_token_secret"]
        except requests.Timeout:
            raise AuthError("X did not answer in time (timeout) while checking the PIN") from None
        except REFUSED as exc:
            raise AuthError(f"X refused the PIN: {short(exc)}") from None
        handle = answer.get("screen_name")
        return str(token), str(token_secret), str(handle) if handle else None
