"""OAuth 1.0a: checking signed /2 requests, and the PIN flow `tweetdesk auth login` uses.

X checks a signature over the URL the request was sent to. By default the simulator also accepts
one over tweepy's hard-coded https://api.twitter.com (or https://api.x.com) + path, since a
client may rewrite the host after signing; option `signature_host: "sent"` accepts only the URL
really requested, as X does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from urllib.parse import parse_qsl, urlencode

from oauthlib.oauth1.rfc5849 import signature, utils

from tweetdesk.sandbox import problems
from tweetdesk.sandbox.model import ApiRequest, ApiResponse
from tweetdesk.sandbox.state import SandboxState

OFFICIAL_HOSTS = ("https://api.twitter.com", "https://api.x.com")
_TEXT = "text/html; charset=utf-8"


def oauth_params(req: ApiRequest) -> dict[str, str] | None:
    """The OAuth parameters of the Authorization header; None when there is none or it is bad."""
    header = req.header("authorization") or ""
    if not header.startswith("OAuth "):
        return None
    try:
        return {k: utils.unescape(v) for k, v in utils.parse_authorization_header(header)}
    except (ValueError, IndexError):
        return None


def signature_ok(
    req: ApiRequest,
    consumer_secret: str,
    token_secret: str,
    hosts: tuple[str, ...] = OFFICIAL_HOSTS,
) -> bool:
    """HMAC-SHA1 check over the query, a form body and the header's oauth_* parameters, for the
    URL the request was sent to or one of `hosts`."""
    given = (oauth_params(req) or {}).get("oauth_signature", "")
    form = req.header("content-type") or ""
    body = req.body.decode("utf-8", "replace") if "x-www-form-urlencoded" in form else None
    collected = signature.collect_parameters(
        uri_query=req.raw_query, body=body, headers={"Authorization": req.header("authorization")}
    )
    normalized = signature.normalize_parameters(collected)
    for base in (req.base_url, *hosts):
        uri = signature.base_string_uri(base + req.path)
        text = signature.signature_base_string(req.method.upper(), uri, normalized)
        key = f"{utils.escape(consumer_secret)}&{utils.escape(token_secret)}"
        digest = hmac.new(key.encode(), text.encode(), hashlib.sha1).digest()
        if hmac.compare_digest(base64.b64encode(digest).decode(), given):
            return True
    return False


def check_api_auth(state: SandboxState, req: ApiRequest) -> None:
    """Raise 401 unless the request carries acceptable OAuth 1.0a user-context credentials."""
    found = oauth_params(req)
    if not found or "oauth_token" not in found or "oauth_signature" not in found:
        raise problems.unauthorized()
    token = found["oauth_token"]
    known = state.required_credentials()
    if known and found.get("oauth_consumer_key") != known["consumer_key"]:
        raise problems.unauthorized()
    if token in state.issued_tokens:
        secret = state.issued_tokens[token]
    elif state.revoked or (known and token != known["access_token"]):
        raise problems.unauthorized()
    else:
        secret = known["access_token_secret"] if known else ""
    if known and not signature_ok(req, known["consumer_secret"], secret, _hosts(state)):
        raise problems.unauthorized()


def _hosts(state: SandboxState) -> tuple[str, ...]:
    return () if state.options.signature_host == "sent" else OFFICIAL_HOSTS


def _refusal(message: str) -> ApiResponse:
    body = {"errors": [{"code": 32, "message": message}]}
    return ApiResponse(401, body)


def request_token(state: SandboxState, req: ApiRequest) -> ApiResponse:
    found = oauth_params(req)
    known = state.required_credentials()
    if not found or "oauth_callback" not in found:
        return _refusal("Could not authenticate you.")
    if known and (
        found.get("oauth_consumer_key") != known["consumer_key"]
        or not signature_ok(req, known["consumer_secret"], "", _hosts(state))
    ):
        return _refusal("Could not authenticate you.")
    token, secret = secrets.token_urlsafe(20), secrets.token_urlsafe(24)
    pin = f"{secrets.randbelow(10**7):07d}"
    state.request_tokens[token] = {"secret": secret, "pin": pin, "authorized": ""}
    reply = {"oauth_token": token, "oauth_token_secret": secret}
    return ApiResponse(200, urlencode({**reply, "oauth_callback_confirmed": "true"}), _TEXT)


def authorize(state: SandboxState, req: ApiRequest) -> ApiResponse:
    """The page a person opens: the sandbox approves at once and shows the PIN."""
    token = (req.query.get("oauth_token") or [""])[0]
    pending = state.request_tokens.get(token)
    if pending is None:
        return ApiResponse(403, "<p>This page is no longer valid.</p>", _TEXT)
    pending["authorized"] = "yes"
    account = state.account["username"]
    page = (
        "<!DOCTYPE html><html><head><title>Authorize app</title></head><body>"
        f"<p>The tweetdesk sandbox authorized the app for @{account}.</p>"
        "<p>Enter this PIN to complete the authorization process:</p>"
        f'<code id="oauth_pin">{pending["pin"]}</code></body></html>'
    )
    return ApiResponse(200, page, _TEXT)


def access_token(state: SandboxState, req: ApiRequest) -> ApiResponse:
    found = oauth_params(req) or {}
    form = dict(parse_qsl(req.body.decode("utf-8", "replace")))
    verifier = found.get("oauth_verifier") or form.get("oauth_verifier")
    verifier = verifier or (req.query.get("oauth_verifier") or [""])[0]
    pending = state.request_tokens.get(found.get("oauth_token", ""))
    if pending is None or not pending["authorized"]:
        return _refusal("Invalid request token.")
    if verifier != pending["pin"]:
        return _refusal("Error processing your OAuth request: Invalid oauth_verifier parameter")
    known = state.required_credentials()
    if known and not signature_ok(req, known["consumer_secret"], pending["secret"], _hosts(state)):
        return _refusal("Could not authenticate you.")
    del state.request_tokens[found["oauth_token"]]
    token = f"{state.account['id']}-{secrets.token_urlsafe(30)}"
    secret = secrets.token_urlsafe(33)
    state.issued_tokens[token] = secret
    reply = {"oauth_token": token, "oauth_token_secret": secret}
    reply |= {"user_id": state.account["id"], "screen_name": state.account["username"]}
    return ApiResponse(200, urlencode(reply), _TEXT)
