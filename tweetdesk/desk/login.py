"""`auth login` (OAuth 1.0a PIN flow) and `auth status`. Secrets are never printed."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class LoggedIn:
    path: Path  # the credentials file
    handle: str | None  # the account X says the tokens act as (None: it did not say)


def login(desk: Desk) -> LoggedIn:
    """Ask X for a PIN-based authorization and store the tokens (mode 0600)."""
    from tweetdesk.x.login import PinFlow

    prepare_folder(config_dir())
    key = desk.env.get("TWEETDESK_CONSUMER_KEY") or _ask(desk, "API key (consumer key): ")
    secret = desk.env.get("TWEETDESK_CONSUMER_SECRET") or _ask(
        desk, "API key secret (consumer secret): ", secret=True
    )
    flow = PinFlow(key, secret, desk.settings.api_url, desk.settings.timeout.total_seconds())
    url = flow.authorization_url()
    desk.ui.note(f"Open this page, authorize the app, and copy the PIN:\n  {url}")
    token, token_secret, handle = flow.finish(_ask(desk, "PIN: "))
    path = save_credentials(
        Credentials(key, secret, token, token_secret, source="login"), config_dir()
    )
    return LoggedIn(path, handle)


def status(desk: Desk) -> list[str]:
    creds = desk.credentials()
    me = desk.api.me()
    return [
        f"Logged in to X as @{me['username']} ({me.get('name', '')}, id {me['id']}).",
        f"Credentials: {creds.source}; consumer key {key_hint(creds.consumer_key)}.",
        f"API: {public_url(desk.settings.api_url)}",
    ]
