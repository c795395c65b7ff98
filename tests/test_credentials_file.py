"""The credentials file: written 0600 from creation into a 0700 folder, never through a planted
file or symlink; refused (exit 2) when it is a symlink, someone else's, readable by others, or
in a folder others can write to."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tweetdesk.x.credentials as module
from tweetdesk.errors import ConfigError, ExitCode
from tweetdesk.x.credentials import Credentials, load_credentials, save_credentials

from conftest import cli

CREDS = Credentials("k" * 20, "CONSUMER-SECRET", "TOKEN", "TOKEN-SECRET", source="login")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "xdg-config" / "tweetdesk"  # config_dir() under the isolated fixture


def test_a_new_folder_is_0700_and_the_file_0600(folder: Path, umask_022: None) -> None:
    path = save_credentials(CREDS, folder)
    assert (mode(folder), mode(path)) == (0o700, 0o600)
    assert mode(folder.parent) == 0o755  # ~/.config and the like are made the usual way
    assert sorted(p.name for p in folder.iterdir()) == ["credentials.json"]
    assert load_credentials({}, folder).access_token_secret == "TOKEN-SECRET"


def test_an_existing_folder_keeps_its_mode(folder: Path, umask_022: None) -> None:
    folder.mkdir(parents=True, mode=0o755)
    save_credentials(CREDS, folder)
    assert mode(folder) == 0o755


def test_secrets_never_go_into_a_planted_temp_file(
    folder: Path, umask_022: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder.mkdir(parents=True, mode=0o700)
    planted = folder / "credentials.tmp"
    planted.write_text("x")
    planted.chmod(0o644)
    seen: list[os.stat_result] = []
    dump = json.dump

    def spy(data: Any, fh: Any) -> None:
        seen.append(os.fstat(fh.fileno()))  # the file the secrets are written into
        dump(data, fh)

    monkeypatch.setattr(module.json, "dump", spy)
    save_credentials(CREDS, folder)
    (written,) = seen
    assert stat.S_IMODE(written.st_mode) == 0o600
    assert written.st_ino != planted.stat().st_ino
    assert (planted.read_text(), mode(planted)) == ("x", 0o644)


def test_a_planted_symlink_is_not_followed(folder: Path, tmp_path: Path) -> None:
    folder.mkdir(parents=True, mode=0o700)
    elsewhere = tmp_path / "stolen"
    (folder / "credentials.tmp").symlink_to(elsewhere)
    path = save_credentials(CREDS, folder)
    assert not elsewhere.exists()
    assert not path.is_symlink() and mode(path) == 0o600


def refused(folder: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_credentials({}, folder)
    return caught.value.message


def test_a_symlinked_credentials_file_is_refused(folder: Path, tmp_path: Path) -> None:
    real = save_credentials(CREDS, tmp_path / "other")
    folder.mkdir(parents=True, mode=0o700)
    (folder / "credentials.json").symlink_to(real)
    assert refused(folder) == (
        f"credentials file {folder / 'credentials.json'} is a symbolic link; refused "
        "(remove it and run `tweetdesk auth login`)"
    )
    result = cli("auth", "status")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.count("\n") == 1 and "symbolic link" in result.stderr


def test_a_dangling_symlink_is_refused_too(folder: Path, tmp_path: Path) -> None:
    folder.mkdir(parents=True, mode=0o700)
    (folder / "credentials.json").symlink_to(tmp_path / "nothing")
    assert "is a symbolic link" in refused(folder)


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file away needs root")
def test_a_file_of_another_user_is_refused(folder: Path) -> None:
    path = save_credentials(CREDS, folder)
    os.chown(path, 4242, -1)
    assert refused(folder) == (
        f"credentials file {path} belongs to another user (uid 4242); refused: "
        "run `tweetdesk auth login` as yourself"
    )


@pytest.mark.parametrize("bits", [0o640, 0o604, 0o620])
def test_a_file_others_can_read_or_change_is_refused(folder: Path, bits: int) -> None:
    path = save_credentials(CREDS, folder)
    path.chmod(bits)
    assert refused(folder) == (
        f"credentials file {path} is readable by others (mode {bits:o}); run: chmod 600 {path}"
    )


@pytest.mark.parametrize("bits", [0o777, 0o770, 0o722])
def test_a_folder_others_can_write_to_is_refused(folder: Path, bits: int) -> None:
    save_credentials(CREDS, folder)
    folder.chmod(bits)
    assert refused(folder) == (
        f"credentials folder {folder} can be written by others (mode {bits:o}); "
        f"run: chmod 700 {folder}"
    )
    result = cli("auth", "status")
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr == f"Error: {refused(folder)}\n"
    with pytest.raises(ConfigError):
        save_credentials(CREDS, folder)  # nor does login write into it


def test_login_refuses_a_loose_folder_before_the_pin_flow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    folder = tmp_path / "xdg-config" / "tweetdesk"
    folder.mkdir(parents=True)
    folder.chmod(0o775)  # made by hand under umask 002, for config.toml
    monkeypatch.setenv("TWEETDESK_CONSUMER_KEY", "k")
    monkeypatch.setenv("TWEETDESK_CONSUMER_SECRET", "s")
    result = cli("auth", "login", input="123456\n")
    assert result.exit_code == 2
    assert "can be written by others" in result.stderr
    assert "Open this page" not in result.stderr  # nobody was sent to authorize the app
