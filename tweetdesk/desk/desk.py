"""The composition root: settings, now, the store, the X client and the person's terminal for one
command run.

Everything is built lazily, so a listing command opens the database and nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tweetdesk.config.settings import (
    Settings,
    config_dir,
    is_default_location,
    load_settings,
    read_now,
)
from tweetdesk.desk.ui import Ui
from tweetdesk.errors import UsageError
from tweetdesk.store.account import Account, cached_account
from tweetdesk.store.store import Store
from tweetdesk.store.threads import has_pending, refresh_pending
from tweetdesk.triage.clock import Clock
from tweetdesk.values.times import to_iso

if TYPE_CHECKING:
    from tweetdesk.x.credentials import Credentials
    from tweetdesk.x.gateway import XClient


def _terminal() -> Ui:
    from tweetdesk.output.console import TerminalUi

    return TerminalUi()


@dataclass
class Desk:
    settings: Settings
    now: datetime
    env: Mapping[str, str] = field(default_factory=lambda: os.environ)
    ui: Ui = field(default_factory=_terminal)

    @classmethod
    def load(
        cls, db: Path | None = None, env: Mapping[str, str] | None = None, ui: Ui | None = None
    ) -> Desk:
        env = os.environ if env is None else env
        return cls(load_settings(env, db=db), read_now(env), env, ui or _terminal())

    @property
    def db_named(self) -> bool:
        """The database path was named by the person (--db, TWEETDESK_DB, [storage] db)."""
        return not is_default_location(self.settings.db_path)

    @cached_property
    def store(self) -> Store:
        store = Store(self.settings.db_path, user_given=self.db_named)
        account = cached_account(store)
        if account is not None and has_pending(store):  # a sync was killed before its end
            refresh_pending(store, account_id=account.id, now=self.now)
        return store

    @cached_property
    def timezone(self) -> tzinfo:
        """The desk's timezone: [hours] timezone, else the machine's."""
        if self.settings.hours is not None:
            return self.settings.hours.timezone
        return datetime.now().astimezone().tzinfo or UTC

    @cached_property
    def clock(self) -> Clock:
        s = self.settings
        return Clock(
            sla=s.sla, stale_after=s.stale_after, hours=s.hours, dm_stale_after=s.dm_stale_after
        )

    def credentials(self) -> Credentials:
        from tweetdesk.x.credentials import load_credentials

        return load_credentials(self.env, config_dir())

    @cached_property
    def api(self) -> XClient:
        from tweetdesk.x.gateway import XClient

        return XClient(
            self.credentials(),
            self.settings.api_url,
            timeout=self.settings.timeout.total_seconds(),
            retries=self.settings.retries,
            on_request=self._ledger,
        )

    def _ledger(self, row: dict[str, Any]) -> None:
        self.store.record_request({**row, "at": to_iso(self.now)})

    def account(self) -> Account:
        """The account the credentials act as (asked of X once, then cached in the desk)."""
        from tweetdesk.x.account import ensure_account

        return ensure_account(self.store, self.api, self.settings.handle)

    def account_id(self) -> int | None:
        """The cached account id, without asking X (None before the first sync)."""
        cached = cached_account(self.store)
        return None if cached is None else cached.id

    def require_account(self) -> int:
        """The cached account id; a desk that never synced has nothing to act on."""
        account_id = self.account_id()
        if account_id is None:
            raise UsageError("the desk is empty: run `tweetdesk sync` first")
        return account_id

    def cached_handle(self) -> str:
        """The account's @handle as cached at sync ([account] handle before the first sync)."""
        cached = cached_account(self.store)
        return cached.username if cached else (self.settings.handle or "")

    def close(self) -> None:
        """Close the database if it was opened (a long-lived front end opens desks per action)."""
        if "store" in self.__dict__:
            self.store.close()

    def exclusive(self, suffix: str = "") -> AbstractContextManager[bool]:
        """A lock file beside the database (`suffix` names another lock than sync's)."""
        from tweetdesk.store.lock import exclusive

        return exclusive(Path(f"{self.settings.db_path}{suffix}"), user_given=self.db_named)
