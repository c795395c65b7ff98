"""Who the credentials act as: GET /2/users/me once per login, then the cached account."""

from __future__ import annotations

from typing import Any, Protocol

from tweetdesk.errors import ConfigError
from tweetdesk.store.account import Account, cached_account, cached_login, save_account
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
