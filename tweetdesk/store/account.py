"""The account this desk belongs to, cached in `meta` at the first sync: its id, @handle and
name, and a fingerprint of the login it came from (never the token itself).
"""

from __future__ import annotations

from dataclasses import dataclass

from tweetdesk.store.store import Store

ACCOUNT_KEY = "account"  # meta: "id\tusername\tname"
LOGIN_KEY = "account_login"  # meta: the fingerprint of the credentials the account came from
API_KEY = "api_url"  # meta: the X API base URL the desk syncs from (scheme, host, port, path)


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    name: str


def cached_account(store: Store) -> Account | None:
    """The account as cached at the last sync, without asking X (None before the first)."""
    cached = store.get_meta(ACCOUNT_KEY)
    if not cached:
        return None
    ident, username, name = cached.split("\t", 2)
    return Account(int(ident), username, name)


def save_account(store: Store, account: Account, login: str) -> None:
    store.set_meta(ACCOUNT_KEY, f"{account.id}\t{account.username}\t{account.name}")
    store.set_meta(LOGIN_KEY, login)


def cached_login(store: Store) -> str | None:
    return store.get_meta(LOGIN_KEY)


def cached_api_url(store: Store) -> str | None:
    """The API base URL the desk synced from (None: never recorded)."""
    return store.get_meta(API_KEY)


def save_api_url(store: Store, url: str) -> None:
    store.set_meta(API_KEY, url)
