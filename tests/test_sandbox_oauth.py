"""OAuth 1.0a in the simulator: signature checks, revoked tokens, and the PIN flow."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import tweepy
from requests_oauthlib import OAuth1

from tweetdesk.sandbox.scenario import load_scenario
from tweetdesk.sandbox.server import SandboxServer
from tweetdesk.sandbox.state import SandboxState

from sandbox_client import NOW, Rewriting

KEYS = {
    "consumer_key": "sandbox-consumer",
    "consumer_secret": "sandbox-consumer-secret",
    "access_token": "1-sandbox-token",
    "access_token_secret": "sandbox-token-secret",
}


def rewrite_before_signing(base_url: str) -> Rewriting:
    """Rewrites the URL before OAuth1 signs it: the signature covers the simulator's URL."""
    return Rewriting(base_url)


def rewrite_after_signing(base_url: str) -> Rewriting:
    """Rewrites only when sending: the signature covers https://api.twitter.com."""
    return Rewriting(base_url, after=True)


def scenario_file(tmp_path: Path, **extra: Any) -> str:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps({"account": {"username": "acmeroasters"}, **extra}))
    return str(path)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    scenario = load_scenario(scenario_file(tmp_path, credentials=KEYS), NOW)
    with SandboxServer(SandboxState(scenario, clock=lambda: NOW)) as running:
        yield running


def client(session: requests.Session, **overrides: str) -> tweepy.Client:
    keys = {**KEYS, **overrides}
    made = tweepy.Client(**keys, return_type=dict)
    made.session = session
    return made


@pytest.mark.parametrize("session_type", [rewrite_before_signing, rewrite_after_signing])
def test_signatures_for_either_url_are_accepted(
    server: SandboxServer, session_type: Callable[[str], Rewriting]
) -> None:
    # With signature_host "any"; X itself (the default, "sent") takes only the first.
    server.state.set_options({"signature_host": "any"})
    me = client(session_type(server.url)).get_me()
    assert me["data"]["username"] == "acmeroasters"


@pytest.mark.parametrize(
    "wrong",
    [
        {"consumer_secret": "guess"},
        {"access_token_secret": "guess"},
        {"access_token": "2-other-token"},
        {"consumer_key": "other-app"},
    ],
)
def test_a_wrong_key_or_secret_gets_401(server: SandboxServer, wrong: dict[str, str]) -> None:
    with pytest.raises(tweepy.Unauthorized):
        client(rewrite_before_signing(server.url), **wrong).get_me()


def test_a_tampered_query_breaks_the_signature(server: SandboxServer) -> None:
    auth = OAuth1(
        KEYS["consumer_key"],
        KEYS["consumer_secret"],
        KEYS["access_token"],
        KEYS["access_token_secret"],
    )
    signed = requests.Request(
        "GET", server.url + "/2/users/me", params={"user.fields": "created_at"}, auth=auth
    ).prepare()
    assert requests.Session().send(signed, timeout=5).status_code == 200
    signed.url = str(signed.url).replace("created_at", "description")
    assert requests.Session().send(signed, timeout=5).status_code == 401


class SandboxHandler(tweepy.OAuth1UserHandler):
    """tweepy's PIN-flow handler pointed at the simulator (its host is hard-coded too)."""

    base_url = ""

    def _get_oauth_url(self, endpoint: str) -> str:
        return f"{self.base_url}/oauth/{endpoint}"


def pin_from(authorize_url: str) -> str:
    page = requests.get(authorize_url, timeout=5)
    assert page.status_code == 200
    match = re.search(r'<code id="oauth_pin">(\d{7})</code>', page.text)
    assert match, page.text
    return match.group(1)


def test_pin_flow_issues_tokens_that_work_where_revoked_ones_fail(tmp_path: Path) -> None:
    scenario = load_scenario(scenario_file(tmp_path, credentials=KEYS, revoked=True), NOW)
    state = SandboxState(scenario, clock=lambda: NOW)
    with SandboxServer(state) as server:
        with pytest.raises(tweepy.Unauthorized):
            client(rewrite_before_signing(server.url)).get_me()
        handler = SandboxHandler(KEYS["consumer_key"], KEYS["consumer_secret"], callback="oob")
        handler.base_url = server.url
        authorize_url = handler.get_authorization_url()
        assert authorize_url.startswith(server.url + "/oauth/authorize?oauth_token=")
        token, secret = handler.get_access_token(pin_from(authorize_url))
        fresh = client(
            rewrite_before_signing(server.url), access_token=token, access_token_secret=secret
        )
        assert fresh.get_me()["data"]["id"] == state.account["id"]
    paths = [exchange.path for exchange in state.exchanges]
    assert paths == [
        "/2/users/me",
        "/oauth/request_token",
        "/oauth/authorize",
        "/oauth/access_token",
        "/2/users/me",
    ]
    assert "oauth_callback_confirmed=true" in state.exchanges[1].response_body
    access = state.exchanges[3]
    assert f"user_id={state.account['id']}" in access.response_body
    assert "screen_name=acmeroasters" in access.response_body
    assert state.usage()["requests"] == 2  # /oauth is not API usage


def test_a_wrong_pin_is_refused(server: SandboxServer) -> None:
    handler = SandboxHandler(KEYS["consumer_key"], KEYS["consumer_secret"], callback="oob")
    handler.base_url = server.url
    real = pin_from(handler.get_authorization_url())
    wrong = "0000000" if real != "0000000" else "1111111"
    with pytest.raises(tweepy.TweepyException, match="401"):
        handler.get_access_token(wrong)


def test_request_token_needs_the_right_consumer(server: SandboxServer) -> None:
    handler = SandboxHandler("other-app", "other-secret", callback="oob")
    handler.base_url = server.url
    with pytest.raises(tweepy.TweepyException):
        handler.get_authorization_url()


def test_authorize_page_for_an_unknown_token(server: SandboxServer) -> None:
    page = requests.get(server.url + "/oauth/authorize", params={"oauth_token": "nope"}, timeout=5)
    assert page.status_code == 403
    assert page.headers["content-type"] == "text/html; charset=utf-8"
