"""Settings: an option beats the environment beats config.toml beats the default.

`load_settings` reads the file once, validates every key (unknown keys and bad values are errors
that name the key) and records where each effective value came from, for `config check`.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tweetdesk.durations import parse_duration
from tweetdesk.errors import ConfigError

if TYPE_CHECKING:
    from tweetdesk.hours import BusinessHours

APP_NAME = "tweetdesk"
DEFAULT_API_URL = "https://api.x.com"
ALERT_CHANNELS = ("stdout", "email", "webhook")

# X's published pay-per-use prices (USD, 2026): one table, overridable under [prices].
DEFAULT_PRICES: dict[str, float] = {
    "owned_read": 0.001,  # a post from the mentions or own timeline
    "post_read": 0.005,  # a post from search or lookup
    "user_read": 0.010,  # /2/users/me
    "dm_read": 0.010,  # a DM event read
    "post_created": 0.015,  # a post that is not a reply
    "reply_created": 0.010,  # a reply to a post that mentions the account
    "url_post_created": 0.200,  # a post containing a URL
    "dm_sent": 0.015,
    "delete": 0.0,  # no published charge
}


def config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def is_default_location(db_path: Path) -> bool:
    """A database in tweetdesk's own data folder: the folder is made when missing. Any other
    folder was named by the user and must exist (a typo must not start an empty desk)."""
    return db_path.parent == data_dir()


@dataclass(frozen=True)
class EmailSettings:
    host: str
    to: tuple[str, ...]
    sender: str
    port: int = 587
    starttls: bool = True
    ssl: bool = False
    username_env: str | None = None
    password_env: str | None = None


@dataclass(frozen=True)
class Settings:
    config_path: Path
    db_path: Path
    api_url: str = DEFAULT_API_URL
    timeout: timedelta = timedelta(seconds=15)
    retries: int = 3
    handle: str | None = None
    sla: timedelta = timedelta(minutes=15)
    stale_after: timedelta = timedelta(hours=24)
    hours: BusinessHours | None = None
    listen_queries: tuple[str, ...] = ()
    tags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    templates: Mapping[str, str] = field(default_factory=dict)
    alert_channels: tuple[str, ...] = ("stdout",)
    sync_max_age: timedelta = timedelta(hours=1)
    email: EmailSettings | None = None
    webhook_url: str | None = None
    budget_usd: float | None = None
    prices: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_PRICES))
    sources: Mapping[str, str] = field(default_factory=dict)


# --- value checkers: each takes the raw TOML value and returns the typed one or raises ValueError


def _str(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a non-empty string")
    return value


def _duration(value: Any) -> timedelta:
    return parse_duration(_str(value))


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("expected a whole number >= 0")
    return value


MAX_RETRIES = 10  # with backoff capped at 8s, 10 retries already wait over a minute


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


def _url(value: Any) -> str:
    url = _str(value)
    if not url.startswith(("http://", "https://")):
        raise ValueError("expected an http:// or https:// URL")
    return url.rstrip("/")


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
    "x": {"api_url": _url, "timeout": _duration, "retries": _retries},
    "triage": {"sla": _duration, "stale_after": _duration},
    "hours": {k: (lambda v: v) for k in ("timezone", "days", "open", "close", "holidays")},
    "listen": {"queries": _str_list},
    "alerts": {"channels": _channels, "sync_max_age": _duration},
    "alerts.email": {
        "host": _str,
        "port": _positive_int,
        "starttls": _bool,
        "ssl": _bool,
        "from": _str,
        "to": _str_list,
        "username_env": _str,
        "password_env": _str,
    },
    "alerts.webhook": {"url": _url},
    "budget": {"monthly_usd": _money},
}
OPEN_SECTIONS = ("tags", "templates", "prices")


def read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
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


@dataclass
class _Resolver:
    """Picks option > env > file > default for a key and remembers where it came from."""

    env: Mapping[str, str]
    file: dict[str, dict[str, Any]]
    sources: dict[str, str] = field(default_factory=dict)

    def pick(
        self,
        name: str,
        default: Any,
        *,
        option: Any = None,
        option_name: str = "",
        env_var: str = "",
        check: Checker | None = None,
    ) -> Any:
        section, _, key = name.rpartition(".")
        if option is not None:
            self.sources[name] = f"option {option_name}"
            return option
        if env_var and self.env.get(env_var):
            self.sources[name] = f"env {env_var}"
            value = self.env[env_var]
            try:
                return check(value) if check else value
            except ValueError as exc:
                raise ConfigError(f"bad value for {env_var}: {exc}") from None
        if key in self.file.get(section, {}):
            self.sources[name] = "config file"
            return self.file[section][key]
        self.sources[name] = "default"
        return default


def load_settings(
    env: Mapping[str, str] | None = None, *, db: Path | None = None, api_url: str | None = None
) -> Settings:
    env = os.environ if env is None else env
    config_path = Path(env.get("TWEETDESK_CONFIG") or config_dir() / "config.toml")
    file = validate(read_toml(config_path))
    r = _Resolver(env, file)
    db_value = r.pick(
        "storage.db",
        data_dir() / "tweetdesk.db",
        option=db,
        option_name="--db",
        env_var="TWEETDESK_DB",
    )
    settings = Settings(
        config_path=config_path,
        db_path=Path(db_value).expanduser(),
        api_url=r.pick(
            "x.api_url",
            DEFAULT_API_URL,
            option=api_url,
            option_name="--api-url",
            env_var="TWEETDESK_API_URL",
            check=_url,
        ),
        timeout=r.pick("x.timeout", timedelta(seconds=15)),
        retries=r.pick("x.retries", 3),
        handle=r.pick("account.handle", None),
        sla=r.pick("triage.sla", timedelta(minutes=15)),
        stale_after=r.pick("triage.stale_after", timedelta(hours=24)),
        hours=_hours(file.get("hours")),
        listen_queries=r.pick("listen.queries", ()),
        tags=file.get("tags", {}),
        templates=file.get("templates", {}),
        alert_channels=r.pick("alerts.channels", ("stdout",)),
        sync_max_age=r.pick("alerts.sync_max_age", timedelta(hours=1)),
        email=_email(file.get("alerts.email")),
        webhook_url=file.get("alerts.webhook", {}).get("url"),
        budget_usd=r.pick("budget.monthly_usd", None),
        prices={**DEFAULT_PRICES, **file.get("prices", {})},
        sources=r.sources,
    )
    check_alerts(settings)
    return settings


def check_alerts(settings: Settings) -> None:
    """Every channel named in [alerts] channels needs its section (ConfigError, exit 2)."""
    for channel, present in (("email", settings.email), ("webhook", settings.webhook_url)):
        if channel in settings.alert_channels and not present:
            raise ConfigError(
                f"bad value for [alerts] channels: {channel!r} needs an [alerts.{channel}] "
                f"section (see config.example.toml)"
            )
    email = settings.email
    if email and bool(email.username_env) != bool(email.password_env):
        missing = "password_env" if email.username_env else "username_env"
        raise ConfigError(
            f"missing config key [alerts.email] {missing} (username_env and password_env "
            "go together)"
        )


def _hours(section: dict[str, Any] | None) -> BusinessHours | None:
    if not section:
        return None
    from tweetdesk.hours import parse_hours

    return parse_hours(section)


def _email(section: dict[str, Any] | None) -> EmailSettings | None:
    if not section:
        return None
    for key in ("host", "from", "to"):
        if key not in section:
            raise ConfigError(f"missing config key [alerts.email] {key}")
    if section.get("ssl") and section.get("starttls"):
        raise ConfigError("bad value for [alerts.email] ssl: ssl and starttls exclude each other")
    return EmailSettings(
        host=section["host"],
        to=section["to"],
        sender=section["from"],
        port=section.get("port", 465 if section.get("ssl") else 587),
        starttls=section.get("starttls", not section.get("ssl", False)),
        ssl=section.get("ssl", False),
        username_env=section.get("username_env"),
        password_env=section.get("password_env"),
    )


def read_now(env: Mapping[str, str] | None = None) -> datetime:
    """The time every command uses as now: TWEETDESK_NOW if set, else the clock (UTC)."""
    env = os.environ if env is None else env
    raw = env.get("TWEETDESK_NOW")
    if not raw:
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ConfigError(f"bad value for TWEETDESK_NOW: {raw!r} is not an ISO 8601 time") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
