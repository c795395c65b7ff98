"""Settings: an option beats the environment beats config.toml beats the default.

`load_settings` reads the file once, validates every key (unknown keys and bad values are errors
that name the key) and records where each effective value came from, for `config check`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tweetdesk.config.schema import (
    DEFAULT_PRICES,
    Checker,
    check_api_url,
    is_loopback,
    read_toml,
    validate,
)
from tweetdesk.errors import ConfigError

if TYPE_CHECKING:
    from tweetdesk.triage.hours import BusinessHours

APP_NAME = "tweetdesk"
DEFAULT_API_URL = "https://api.x.com"


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
    app_owner: bool = True  # the authenticated account owns the developer app (owned reads)
    handle: str | None = None
    sla: timedelta = timedelta(minutes=15)
    stale_after: timedelta = timedelta(hours=24)
    hours: BusinessHours | None = None
    listen_queries: tuple[str, ...] = ()
    listen_quotes: bool = True  # search for quotes of the account's posts (answerable)
    dm_sync: bool = True
    dm_stale_after: timedelta | None = None  # DM threads never go stale unless set
    tags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    templates: Mapping[str, str] = field(default_factory=dict)
    alert_channels: tuple[str, ...] = ("stdout",)
    sync_max_age: timedelta = timedelta(hours=1)
    email: EmailSettings | None = None
    webhook_url: str | None = None
    budget_usd: float | None = None
    prices: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_PRICES))
    sources: Mapping[str, str] = field(default_factory=dict)


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
    named = env.get("TWEETDESK_CONFIG")
    config_path = Path(named).expanduser() if named else config_dir() / "config.toml"
    # A file named explicitly must be there (a typo must not run on defaults); the default
    # location may be empty on a fresh machine.
    file = validate(read_toml(config_path, named_by="TWEETDESK_CONFIG" if named else None))
    r = _Resolver(env, file)
    app_owner = r.pick("x.app_owner", True)
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
            check=check_api_url,
        ),
        timeout=r.pick("x.timeout", timedelta(seconds=15)),
        retries=r.pick("x.retries", 3),
        app_owner=app_owner,
        handle=r.pick("account.handle", None),
        sla=r.pick("triage.sla", timedelta(minutes=15)),
        stale_after=r.pick("triage.stale_after", timedelta(hours=24)),
        hours=_hours(file.get("hours")),
        listen_queries=r.pick("listen.queries", ()),
        listen_quotes=r.pick("listen.quotes", True),
        dm_sync=r.pick("dms.sync", True),
        dm_stale_after=r.pick("dms.stale_after", None),
        tags=file.get("tags", {}),
        templates=file.get("templates", {}),
        alert_channels=r.pick("alerts.channels", ("stdout",)),
        sync_max_age=r.pick("alerts.sync_max_age", timedelta(hours=1)),
        email=_email(file.get("alerts.email")),
        webhook_url=file.get("alerts.webhook", {}).get("url"),
        budget_usd=r.pick("budget.monthly_usd", None),
        prices=_prices(r, app_owner),
        sources=r.sources,
    )
    check_triage(settings)
    check_alerts(settings)
    return settings


def _prices(r: _Resolver, app_owner: bool) -> dict[str, float]:
    """The price table: [prices] over X's. Owned reads cost $0.001 only when the account that
    logged in owns the developer app; an agency's app ([x] app_owner = false) pays the post-read
    price for the same posts, unless [prices] owned_read says otherwise."""
    prices = {key: r.pick(f"prices.{key}", price) for key, price in DEFAULT_PRICES.items()}
    if not app_owner and r.sources["prices.owned_read"] == "default":
        prices["owned_read"] = prices["post_read"]
        r.sources["prices.owned_read"] = "post_read, as [x] app_owner = false"
    return prices


def check_triage(settings: Settings) -> None:
    """A thread waiting past stale_after is stale, never overdue: an sla that is not shorter
    would make every alert and `overdue` silent for good (the same for [dms] stale_after)."""
    from tweetdesk.values.durations import format_duration

    limits = [("[triage] stale_after", settings.stale_after)]
    if settings.dm_stale_after is not None:
        limits.append(("[dms] stale_after", settings.dm_stale_after))
    for name, limit in limits:
        if settings.sla >= limit:
            raise ConfigError(
                f"bad value for [triage] sla: {format_duration(settings.sla)} is not shorter "
                f"than {name} {format_duration(limit)}, so no thread could ever be overdue"
            )


def check_alerts(settings: Settings) -> None:
    """Every channel named in [alerts] channels needs its section (ConfigError, exit 2)."""
    for channel, present in (("email", settings.email), ("webhook", settings.webhook_url)):
        if channel in settings.alert_channels and not present:
            raise ConfigError(
                f"bad value for [alerts] channels: {channel!r} needs an [alerts.{channel}] "
                f"section (see config.example.toml)"
            )
    if settings.email:
        check_email(settings.email)


def check_email(email: EmailSettings) -> None:
    if bool(email.username_env) != bool(email.password_env):
        missing = "password_env" if email.username_env else "username_env"
        raise ConfigError(
            f"missing config key [alerts.email] {missing} (username_env and password_env "
            "go together)"
        )
    if plaintext_login(email):
        raise ConfigError(
            f"bad value for [alerts.email] starttls: logging in to {email.host} with neither "
            "starttls nor ssl would send the password unencrypted (set starttls = true or "
            "ssl = true; only a relay on this machine may go without)"
        )


def plaintext_login(email: EmailSettings) -> bool:
    """A login whose password would cross the network in clear text."""
    login = bool(email.username_env and email.password_env)
    return login and not (email.starttls or email.ssl) and not is_loopback(email.host)


def _hours(section: dict[str, Any] | None) -> BusinessHours | None:
    if not section:
        return None
    from tweetdesk.triage.hours import parse_hours

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
