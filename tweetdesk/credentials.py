"""OAuth 1.0a user-context credentials: from the environment, or the 0600 file `auth login` writes.

Credentials never live in config.toml. The file is refused when other users can read it.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tweetdesk.errors import ConfigError

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
    if path.exists():  # `auth login` wrote all four (the consumer pair may also be in the env)
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
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(
            f"credentials file {path} is readable by others (mode {mode:o}); run: chmod 600 {path}"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
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


def save_credentials(creds: Credentials, config_dir: Path) -> Path:
    """Write the file with mode 0600 from the start (never briefly world-readable)."""
    config_dir.mkdir(parents=True, exist_ok=True)
    path = credentials_path(config_dir)
    tmp = path.with_suffix(".tmp")
    data = {
        "consumer_key": creds.consumer_key,
        "consumer_secret": creds.consumer_secret,
        "access_token": creds.access_token,
        "access_token_secret": creds.access_token_secret,
    }
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path
