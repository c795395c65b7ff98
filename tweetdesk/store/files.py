"""The database file itself: its folder (made only where tweetdesk owns it), its mode (0600 from
the start: it holds customer tweets and the DMs you sent), and refusing, untouched, a file that
is not SQLite at all.
"""

from __future__ import annotations

import os
from pathlib import Path

from tweetdesk.errors import ForeignDatabase, StoreError, UsageError

SQLITE_HEADER = b"SQLite format 3\x00"


def ensure_folder(path: Path, *, create: bool) -> None:
    """The database's folder: made when `create` (the default location); else it must exist, so
    a mistyped --db or TWEETDESK_DB fails instead of quietly starting an empty desk."""
    folder = path.parent
    if folder.is_dir():
        return
    if not create:
        why = "is not a folder" if folder.exists() else "does not exist (create it first)"
        raise UsageError(f"cannot use database {path}: the folder {folder} {why}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the database folder {folder}: {exc.strerror}") from None


def create_private(path: Path) -> None:
    """A new database file is made 0600 whatever the umask (SQLite gives -wal and -shm the
    database's mode); a file that exists keeps the mode its owner chose."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return  # it exists (O_EXCL: a symlink too), or sqlite3 will say why it cannot open it
    os.fchmod(fd, 0o600)
    os.close(fd)


def check_foreign(path: Path) -> None:
    """Refuse, untouched, a file that is not SQLite at all."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError:
        return  # a folder, or unreadable: sqlite3 will say it cannot open it
    if header != SQLITE_HEADER:
        raise ForeignDatabase(f"{path} is not a SQLite database; left untouched")
