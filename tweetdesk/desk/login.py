"""`auth login` (OAuth 1.0a PIN flow) and `auth status`. Secrets are never printed."""

from __future__ import annotations

from pathlib import Path

from tweetdesk.config.schema import public_url
from tweetdesk.config.settings import config_dir
from tweetdesk.desk.desk import Desk
from tweetdesk.errors import AuthError
from tweetdesk.x.credentials import Credentials, key_hint, prepare_folder, save_credentials


def _ask(desk: Desk, prompt: str, *, secret: bool = False) -> str:
    value = desk.ui.read(prompt, secret=secret).strip()
    if not value:
        raise AuthError("login cancelled: nothing entered")
    return value


def login(desk: Desk) -> Path:
    """Ask X for a PIN-based authorization and store the tokens (mode 0600); returns the file."""
    from tweetdesk.x.gateway import PinFlow

    prepare_folder(config_dir())
    key = desk.env.get("TWEETDESK_CONSUMER_KEY") or _ask(desk, "API key (consumer key): ")
    secret = desk.env.get("TWEETDESK_CONSUMER_SECRET") or _ask(
        desk, "API key secret (consumer secret): ", secret=True
    )
    flow = PinFlow(key, secret, desk.settings.api_url, desk.settings.timeout.total_seconds())
    url = flow.authorization_url()
    desk.ui.note(f"Open this page, authorize the app, and copy the PIN:\n  {url}")
    token, token_secret = flow.finish(_ask(desk, "PIN: "))
    return save_credentials(
        Credentials(key, secret, token, token_secret, source="login"), config_dir()
    )


def status(desk: Desk) -> list[str]:
    creds = desk.credentials()
    me = desk.api.me()
    return [
        f"Logged in to X as @{me['username']} ({me.get('name', '')}, id {me['id']}).",
        f"Credentials: {creds.source}; consumer key {key_hint(creds.consumer_key)}.",
        f"API: {public_url(desk.settings.api_url)}",
    ]
