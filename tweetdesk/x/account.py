"""Whose desk this is: the API it syncs from (one per desk), and who the credentials act as
(GET /2/users/me once per login, then the cached account)."""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import urlsplit

from tweetdesk.config.schema import public_url
from tweetdesk.errors import ConfigError
from tweetdesk.store.account import (
    Account,
    cached_account,
    cached_api_url,
    cached_login,
    save_account,
    save_api_url,
)
from tweetdesk.store.store import Store


class AccountApi(Protocol):
    credentials_fingerprint: str  # one-way digest of the login (Credentials.fingerprint)

    def me(self) -> dict[str, Any]: ...


def ensure_account(store: Store, api: AccountApi, handle: str | None) -> Account:
    """The authenticated account, asked of X (GET /2/users/me) once per login and then cached.

    The cache is tied to a fingerprint of the credentials, so after `auth login` as someone else
    X is asked again; a desk already synced for another account is refused, never mixed."""
    account = cached_account(store)
    if account is None or cached_login(store) != api.credentials_fingerprint:
        account = _ask_account(store, api, previous=account)
    if handle and handle.lower() != account.username.lower():
        raise ConfigError(
            f"[account] handle is @{handle} but the credentials are for @{account.username}"
        )
    return account


def _ask_account(store: Store, api: AccountApi, previous: Account | None) -> Account:
    me = api.me()
    account = Account(int(me["id"]), str(me["username"]), str(me.get("name", "")))
    if previous and previous.id != account.id and store.cursor("mentions") is not None:
        raise ConfigError(
            f"this desk ({store.path}) holds @{previous.username}'s mentions but the "
            f"credentials are for @{account.username}: give @{account.username} its own "
            f"database (--db or TWEETDESK_DB), or log in as @{previous.username} again"
        )
    save_account(store, account, api.credentials_fingerprint)
    return account


def ensure_same_api(store: Store, api_url: str) -> None:
    """One desk, one X API: a desk that holds what it synced from one base URL (the simulator,
    say) refuses a sync from another (api.x.com) rather than mix their threads. The first sync
    records the URL; a desk from before the URL was recorded, or one that holds nothing yet,
    adopts the URL it is synced from now."""
    shown = public_url(api_url)
    before = cached_api_url(store)
    if before is None or before == shown:
        if before is None:
            save_api_url(store, shown)
        return
    if _origin(before) != _origin(shown) and store.cursor("mentions") is not None:
        raise ConfigError(
            f"this desk ({store.path}) was synced from {before}, not {shown}: give each API "
            "its own database (--db or TWEETDESK_DB)"
        )
    save_api_url(store, shown)


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port: what makes two base URLs the same API."""
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default
