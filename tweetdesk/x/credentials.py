"""OAuth 1.0a user-context credentials: from the environment, or the 0600 file `auth login` writes.

Credentials never live in config.toml. The file is written 0600 from its creation (mkstemp)
into a 0700 folder and moved into place atomically. It is refused when it is a symbolic link,
belongs to another user or others can read it, and when others can write to its folder (they
could swap the file).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tweetdesk.errors import ConfigError, TweetdeskError

ENV_VARS = (
    "TWEETDESK_CONSUMER_KEY",
    "TWEETDESK_CONSUMER_SECRET",
    "TWEETDESK_ACCESS_TOKEN",
    "TWEETDESK_ACCESS_TOKEN_SECRET",
)
FILE_NAME = "credentials.json"


@dataclass(frozen=True)
class Credentials:
    consumer_key: str
    consumer_secret: str
    access_token: str
    access_token_secret: str
    source: str  # where they came from, for `auth status` (never the values)

    def __repr__(self) -> str:  # never let a secret reach a log or traceback
        return f"Credentials(source={self.source!r}, consumer_key={key_hint(self.consumer_key)})"

    def fingerprint(self) -> str:
        """A short one-way digest of the access token: tells one login from another (the cached
        account is tied to it) without storing anything that could be turned back into it."""
        digest = hashlib.sha256(b"tweetdesk-login\0" + self.access_token.encode("utf-8"))
        return digest.hexdigest()[:16]


def mask(secret: str) -> str:
    """Show that a secret is set without showing any of it."""
    return "set (hidden)" if secret else "not set"


def key_hint(consumer_key: str) -> str:
    """The consumer key is an identifier, not a secret: its last 4 characters tell keys apart."""
    return f"…{consumer_key[-4:]}" if len(consumer_key) >= 16 else "set"


def credentials_path(config_dir: Path) -> Path:
    return config_dir / FILE_NAME


def load_credentials(env: Mapping[str, str], config_dir: Path) -> Credentials:
    values = [env.get(name, "") for name in ENV_VARS]
    if all(values):
        key, secret, token, token_secret = values
        return Credentials(key, secret, token, token_secret, source="environment (TWEETDESK_*)")
    path = credentials_path(config_dir)
    if path.is_symlink() or path.exists():  # `auth login` wrote all four
        return _read_file(path)
    raise _missing(values)


def _missing(values: list[str]) -> ConfigError:
    """Missing credentials are a setup error (exit 2), like a bad config: only X refusing
    them (401) is an API error. The message names the variables, never a value."""
    missing = [name for name, value in zip(ENV_VARS, values, strict=True) if not value]
    if len(missing) < len(ENV_VARS):
        return ConfigError(
            f"incomplete credentials: {', '.join(missing)} not set (set all four "
            "TWEETDESK_* credential variables, or run `tweetdesk auth login`)"
        )
    return ConfigError(
        "no X credentials: run `tweetdesk auth login`, or set "
        "TWEETDESK_CONSUMER_KEY, TWEETDESK_CONSUMER_SECRET, "
        "TWEETDESK_ACCESS_TOKEN and TWEETDESK_ACCESS_TOKEN_SECRET"
    )


def _read_file(path: Path) -> Credentials:
    _check_folder(path.parent)
    try:
        # O_NOFOLLOW: a symbolic link fails here (ELOOP) instead of being read through.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        if path.is_symlink():
            raise ConfigError(
                f"credentials file {path} is a symbolic link; refused (remove it and run "
                "`tweetdesk auth login`)"
            ) from None
        raise ConfigError(f"cannot read credentials file {path}: {exc.strerror}") from None
    with os.fdopen(fd, encoding="utf-8") as fh:
        _check_file(path, os.fstat(fh.fileno()))
        text = fh.read()
    try:
        data = json.loads(text)
        return Credentials(
            data["consumer_key"],
            data["consumer_secret"],
            data["access_token"],
            data["access_token_secret"],
            source=f"file {path}",
        )
    except (ValueError, KeyError, TypeError):
        raise ConfigError(
            f"credentials file {path} is damaged: run `tweetdesk auth login` again"
        ) from None


def _check_file(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"credentials file {path} is not a regular file; refused")
    if info.st_uid != os.getuid():
        raise ConfigError(
            f"credentials file {path} belongs to another user (uid {info.st_uid}); refused: "
            "run `tweetdesk auth login` as yourself"
        )
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        raise ConfigError(
            f"credentials file {path} is readable by others (mode {mode:o}); run: chmod 600 {path}"
        )


def _check_folder(folder: Path) -> None:
    """Whoever can write to the folder can replace the file: only we (or root) may."""
    info = folder.stat()
    mode = stat.S_IMODE(info.st_mode)
    if info.st_uid not in (os.getuid(), 0):
        raise ConfigError(
            f"credentials folder {folder} belongs to another user (uid {info.st_uid}); refused"
        )
    if mode & 0o022:
        raise ConfigError(
            f"credentials folder {folder} can be written by others (mode {mode:o}); "
            f"run: chmod 700 {folder}"
        )


def _make_folder(folder: Path) -> None:
    """tweetdesk's own folder is made 0700; its parents (~/.config, ...) the usual way, and an
    existing folder keeps its mode (it is checked, not changed)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    _check_folder(folder)


def prepare_folder(config_dir: Path) -> None:
    """Make (0700) and check the credentials folder: `auth login` calls it before the PIN flow,
    so a folder that would be refused is reported before the person authorizes the app."""
    _make_folder(config_dir)


def save_credentials(creds: Credentials, config_dir: Path) -> Path:
    """Write a new file that is 0600 from its creation (mkstemp: a fresh name, O_EXCL, never a
    file or symlink someone left there), sync it, then move it over the old one atomically."""
    path = credentials_path(config_dir)
    data = {
        "consumer_key": creds.consumer_key,
        "consumer_secret": creds.consumer_secret,
        "access_token": creds.access_token,
        "access_token_secret": creds.access_token_secret,
    }
    try:
        _make_folder(config_dir)
        fd, tmp = tempfile.mkstemp(dir=config_dir, prefix=".credentials-", suffix=".tmp")
    except OSError as exc:
        raise TweetdeskError(f"cannot save credentials in {config_dir}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise TweetdeskError(f"cannot save credentials in {path}: {exc.strerror}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)  # only left behind when writing failed
    return path
