"""The database holds customers' messages: a new file and its -wal and -shm are 0600 whatever
the umask; a file the user made keeps the mode they chose."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tweetdesk.store.store import Store

from conftest import cli


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o002)
    yield
    os.umask(old)


def test_a_new_database_and_its_wal_files_are_0600(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "desk.db"
    store = Store(path, user_given=True)
    store.conn.execute("CREATE TABLE t (x)")  # a write, so the WAL and SHM files exist
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}


def test_the_default_location_is_0600_too(tmp_path: Path, open_umask: None) -> None:
    assert cli("inbox").exit_code == 0
    assert mode(Path(os.environ["TWEETDESK_DB"])) == 0o600


def test_an_existing_file_keeps_its_mode(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "shared.db"
    path.touch(mode=0o640)
    path.chmod(0o640)
    Store(path, user_given=True)
    assert mode(path) == 0o640


def test_a_symlink_is_followed_as_before_and_not_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.db"
    Store(real, user_given=True)
    link = tmp_path / "link.db"
    link.symlink_to(real)
    Store(link, user_given=True)
    assert link.is_symlink() and mode(real) == 0o600


def test_the_lock_files_beside_it_are_0600(tmp_path: Path, open_umask: None) -> None:
    from tweetdesk.store.lock import exclusive

    path = tmp_path / "desk.db"
    for lock in (path, Path(f"{path}.alert")):
        with exclusive(lock) as mine:
            assert mine
        assert mode(Path(f"{lock}.lock")) == 0o600
