"""Lock files beside the database, so two cron runs never do the same work at once (a second
`sync` or `alert` steps aside). Made 0600, like the database they sit beside.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tweetdesk.errors import StoreError, UsageError
from tweetdesk.store.files import ensure_folder


@contextmanager
def exclusive(path: Path, *, user_given: bool = True) -> Iterator[bool]:
    """A non-blocking lock file beside the database: True when this run holds it.

    `user_given` as for Store: a folder the person named must exist; the default one is made."""
    lock_path = Path(f"{path}.lock")
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
