"""The config file's schema: every section and key tweetdesk accepts, with the checker that
turns its raw TOML value into a typed one. Unknown keys and bad values are errors that name
`[section] key`; broken TOML names the line.
"""

from __future__ import annotations

import ipaddress
import math
import re
import tomllib
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from tweetdesk.errors import ConfigError
from tweetdesk.values.durations import parse_duration

ALERT_CHANNELS = ("stdout", "email", "webhook")

# X's published pay-per-use prices (USD, 2026; docs.x.com/x-api/getting-started/pricing): one
# table, overridable under [prices]. X bills reads per resource returned, writes per request.
DEFAULT_PRICES: dict[str, float] = {
    # "Owned Reads": the mentions or own timeline, when the authenticated user owns the
    # developer app ([x] app_owner); otherwise X bills these posts as post reads.
    "owned_read": 0.001,
    "post_read": 0.005,  # "Posts: Read": a post from search or lookup
    "user_read": 0.010,  # "User: Read": /2/users/me
    "dm_read": 0.010,  # "DM Event: Read"
    "post_created": 0.015,  # "Content: Create": a post that is not a reply
    "reply_created": 0.010,  # a reply to a post that mentions the account
    "url_post_created": 0.200,  # "Content: Create (with URL)"
    "dm_sent": 0.015,  # "DM Interaction: Create"
    "delete": 0.010,  # "Interaction: Delete": deleting a post (undo)
}


# --- value checkers: each takes the raw TOML value and returns the typed one or raises ValueError


def _str(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a non-empty string")
    return value


def _duration(value: Any) -> timedelta:
    return parse_duration(_str(value))


MAX_RETRIES = 10  # with backoff capped at 8s, 10 retries already wait over a minute


def _port(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise ValueError("expected a port number from 1 to 65535")
    return value


def _address(value: Any) -> str:
    """An email address, bare or with a display name ("Desk <desk@example.com>")."""
    from email.utils import parseaddr

    text = _str(value)
    local, at, domain = parseaddr(text)[1].rpartition("@")
    if not (local and at and domain):
        raise ValueError(f"{text!r} is not an email address (expected name@domain)")
    return text


def _addresses(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError("expected a non-empty list of email addresses")
    return tuple(_address(v) for v in value)


def _retries(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RETRIES:
        raise ValueError(f"expected a whole number from 0 to {MAX_RETRIES}")
    return value


def _money(value: Any) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
    ):
        raise ValueError("expected an amount in USD >= 0")
    return float(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def _str_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError("expected a list of strings")
    return tuple(value)


def _channels(value: Any) -> tuple[str, ...]:
    channels = _str_list(value)
    unknown = [c for c in channels if c not in ALERT_CHANNELS]
    if unknown:
        raise ValueError(f"unknown channel {unknown[0]!r} (use {', '.join(ALERT_CHANNELS)})")
    return channels


def check_url(value: Any) -> str:
    """A webhook URL: its path (and any user info) is a secret, so https://, or http:// to this
    machine only."""
    return _refuse_plain_http(_http_url(value), "its secret path", "127.0.0.1, ::1 or localhost")


def check_api_url(value: Any) -> str:
    """The X API base URL: OAuth signs requests but does not encrypt them, so plain http
    elsewhere exposes the tokens. No trailing slash: paths are appended to it."""
    url = _http_url(value).rstrip("/")
    parts = urlsplit(url)
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise ValueError(f"{mask_url(url)} has a query or fragment; give only the base URL")
    return _refuse_plain_http(url, "the credentials", "the sandbox on 127.0.0.1, ::1 or localhost")


def _http_url(value: Any) -> str:
    url = _str(value).strip()
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        raise ValueError("expected an http:// or https:// URL")
    return f"{scheme.lower()}://{rest}"  # HTTPS:// is https://


def _refuse_plain_http(url: str, secret: str, allowed: str) -> str:
    if url.startswith("http://") and not is_loopback(urlsplit(url).hostname):
        raise ValueError(
            f"{mask_url(url)} is plain http:// to another machine, so {secret} would go "
            f"unencrypted (use https://; http:// is for {allowed})"
        )
    return url


def mask_url(url: str) -> str:
    """A URL as a message may show it: scheme://host[:port]/… and never the user info, path,
    query or fragment (a webhook URL carries its secret in one of them)."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    host = f"[{host}]" if ":" in host else host
    try:
        port = parts.port
    except ValueError:  # not a number: show no port rather than the text
        port = None
    return f"{parts.scheme}://{host}{'' if port is None else f':{port}'}/…"


def public_url(url: str) -> str:
    """The X API base URL as shown: its path kept (it is no secret), user info, query and
    fragment dropped (a secret could hide there)."""
    return mask_url(url).removesuffix("/…") + urlsplit(url).path


def url_secrets(url: str) -> list[str]:
    """The parts of a URL after its host (path, query, fragment, user info), whole and in
    pieces of 4+ characters, raw and %-decoded: a message quoting any of them is withheld."""
    parts = urlsplit(url)
    whole = [parts.path.strip("/"), parts.query, parts.fragment]
    whole += [parts.username or "", parts.password or ""]
    pieces = [p for w in whole for p in re.split(r"[/?&=#;,:@+ ]+", w) if len(p) >= 4]
    found = {text for text in [*whole, *pieces] if len(text) >= 2}
    return sorted(found | {unquote(text) for text in found}, key=len, reverse=True)


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1 or localhost: traffic that never leaves the machine."""
    if not host:
        return False
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _handle(value: Any) -> str:
    handle = _str(value).removeprefix("@")
    if not handle.replace("_", "").isalnum() or len(handle) > 15:
        raise ValueError("expected an X username (letters, digits, _; at most 15)")
    return handle


Checker = Callable[[Any], Any]

# section -> key -> checker. [tags], [templates] and [prices] are open maps, checked separately.
SCHEMA: dict[str, dict[str, Checker]] = {
    "account": {"handle": _handle},
    "storage": {"db": _str},
    "x": {
        "api_url": check_api_url,
        "timeout": _duration,
        "retries": _retries,
        "app_owner": _bool,
    },
    "triage": {"sla": _duration, "stale_after": _duration},
    "hours": {k: (lambda v: v) for k in ("timezone", "days", "open", "close", "holidays")},
    "listen": {"queries": _str_list, "quotes": _bool},
    "dms": {"sync": _bool, "stale_after": _duration},
    "alerts": {"channels": _channels, "sync_max_age": _duration},
    "alerts.email": {
        "host": _str,
        "port": _port,
        "starttls": _bool,
        "ssl": _bool,
        "from": _address,
        "to": _addresses,
        "username_env": _str,
        "password_env": _str,
    },
    "alerts.webhook": {"url": check_url},
    "budget": {"monthly_usd": _money},
}
OPEN_SECTIONS = ("tags", "templates", "prices")


def read_toml(path: Path, *, named_by: str | None = None) -> dict[str, Any]:
    """The file's tables; a missing file is no settings, unless `named_by` names it (then it
    is an error naming that variable)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if named_by:
            raise ConfigError(
                f"config file {path} does not exist ({named_by} names it): create it, or "
                f"unset {named_by} to use the default location"
            ) from None
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def validate(raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Check every key; return {section: {key: typed value}}. Errors name `[section] key`."""
    out: dict[str, dict[str, Any]] = {}
    for section, body in _flatten_sections(raw):
        if section in OPEN_SECTIONS:
            out[section] = _open_section(section, body)
            continue
        if section not in SCHEMA:
            raise ConfigError(f"unknown config section [{section}]")
        keys = SCHEMA[section]
        for key, value in body.items():
            if key not in keys:
                raise ConfigError(f"unknown config key [{section}] {key}")
            try:
                out.setdefault(section, {})[key] = keys[key](value)
            except ValueError as exc:
                raise ConfigError(f"bad value for [{section}] {key}: {exc}") from None
    return out


def _flatten_sections(raw: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    sections: list[tuple[str, dict[str, Any]]] = []
    for name, body in raw.items():
        if not isinstance(body, dict):
            raise ConfigError(f"unknown config key {name!r} outside a [section]")
        own = {k: v for k, v in body.items() if not (isinstance(v, dict) and name == "alerts")}
        sections.append((name, own))
        if name == "alerts":
            sections += [(f"alerts.{k}", v) for k, v in body.items() if isinstance(v, dict)]
    return sections


def _open_section(section: str, body: dict[str, Any]) -> dict[str, Any]:
    checker: Checker = {"tags": _str_list, "templates": _str, "prices": _money}[section]
    out: dict[str, Any] = {}
    for key, value in body.items():
        if section == "prices" and key not in DEFAULT_PRICES:
            raise ConfigError(
                f"unknown config key [prices] {key} (known: {', '.join(DEFAULT_PRICES)})"
            )
        try:
            out[key] = checker(value)
        except ValueError as exc:
            raise ConfigError(f"bad value for [{section}] {key}: {exc}") from None
    return out
