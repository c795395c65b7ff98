"""`auth login` (OAuth 1.0a PIN flow) and `auth status`. Secrets are never printed."""

from __future__ import annotations

import getpass
import sys

from tweetdesk.config import config_dir
from tweetdesk.config_schema import public_url
from tweetdesk.context import Desk
from tweetdesk.credentials import Credentials, key_hint, prepare_folder, save_credentials
from tweetdesk.errors import AuthError


def _ask(prompt: str, *, secret: bool = False) -> str:
    if not sys.stdin.isatty() and secret:
        sys.stderr.write(prompt)
        sys.stderr.flush()
        value = sys.stdin.readline()
    else:
        value = getpass.getpass(prompt) if secret else input(prompt)
    value = value.strip()
    if not value:
        raise AuthError("login cancelled: nothing entered")
    return value


def login(desk: Desk) -> None:
    """Ask X for a PIN-based authorization and store the tokens (mode 0600)."""
    from tweetdesk.twitter import PinFlow

    prepare_folder(config_dir())
    key = desk.env.get("TWEETDESK_CONSUMER_KEY") or _ask("API key (consumer key): ")
    secret = desk.env.get("TWEETDESK_CONSUMER_SECRET") or _ask(
        "API key secret (consumer secret): ", secret=True
    )
    flow = PinFlow(key, secret, desk.settings.api_url, desk.settings.timeout.total_seconds())
    url = flow.authorization_url()
    sys.stderr.write(f"Open this page, authorize the app, and copy the PIN:\n  {url}\n")
    token, token_secret = flow.finish(_ask("PIN: "))
    path = save_credentials(
        Credentials(key, secret, token, token_secret, source="login"), config_dir()
    )
    sys.stderr.write(f"Logged in. Credentials saved to {path} (mode 0600).\n")


def status(desk: Desk) -> list[str]:
    creds = desk.credentials()
    me = desk.api.me()
    return [
        f"Logged in to X as @{me['username']} ({me.get('name', '')}, id {me['id']}).",
        f"Credentials: {creds.source}; consumer key {key_hint(creds.consumer_key)}.",
        f"API: {public_url(desk.settings.api_url)}",
    ]
