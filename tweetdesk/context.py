"""The composition root: settings, now, the store and the X client for one command run.

Everything is built lazily, so a listing command opens the database and nothing else.
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tweetdesk.config import Settings, config_dir, is_default_location, load_settings, read_now
from tweetdesk.db import Store, ensure_folder
from tweetdesk.errors import StoreError, UsageError
from tweetdesk.timeutil import to_iso
from tweetdesk.triage import Clock

if TYPE_CHECKING:
    from tweetdesk.credentials import Credentials
    from tweetdesk.sync import Account
    from tweetdesk.twitter import XClient


@dataclass
class Desk:
    settings: Settings
    now: datetime
    env: Mapping[str, str] = field(default_factory=lambda: os.environ)

    @classmethod
    def load(cls, db: Path | None = None, env: Mapping[str, str] | None = None) -> Desk:
        env = os.environ if env is None else env
        return cls(load_settings(env, db=db), read_now(env), env)

    @cached_property
    def store(self) -> Store:
        path = self.settings.db_path
        return Store(path, user_given=not is_default_location(path))

    @cached_property
    def clock(self) -> Clock:
        s = self.settings
        return Clock(sla=s.sla, stale_after=s.stale_after, hours=s.hours)

    def credentials(self) -> Credentials:
        from tweetdesk.credentials import load_credentials

        return load_credentials(self.env, config_dir())

    @cached_property
    def api(self) -> XClient:
        from tweetdesk.twitter import XClient

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
        from tweetdesk.sync import ensure_account

        return ensure_account(self.store, self.api, self.settings.handle)

    def account_id(self) -> int | None:
        """The cached account id, without asking X (None before the first sync)."""
        cached = self.store.get_meta("account")
        return int(cached.split("\t", 1)[0]) if cached else None


VERBOSE_HANDLER = "tweetdesk-verbose"
VERBOSE_LOGGERS = ("tweetdesk", "tweepy", "urllib3")


def enable_verbose() -> None:
    """--verbose: tweetdesk's, tweepy's and urllib3's debug traces on stderr. Credentials never
    appear in them: OAuth signing happens inside requests, after tweepy logs its headers."""
    import logging

    class Stderr(logging.StreamHandler):
        """Writes to whatever sys.stderr is at the time (tests swap it)."""

        @property
        def stream(self) -> Any:
            return sys.stderr

        @stream.setter
        def stream(self, value: Any) -> None:
            pass

    handler = Stderr()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
    for name in VERBOSE_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        if not any(h.get_name() == VERBOSE_HANDLER for h in logger.handlers):
            handler.set_name(VERBOSE_HANDLER)
            logger.addHandler(handler)


@contextmanager
def exclusive(path: Path) -> Iterator[bool]:
    """A non-blocking lock file beside the database: True when this run holds it."""
    lock_path = Path(f"{path}.lock")
    user_given = not is_default_location(path)
    ensure_folder(path, create=not user_given)
    try:
        # an empty file, but beside a private database: made 0600 like it
        fh = os.fdopen(os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a")
    except OSError as exc:
        unusable = UsageError if user_given else StoreError
        raise unusable(f"cannot use database {path}: {lock_path}: {exc.strerror}") from None
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
