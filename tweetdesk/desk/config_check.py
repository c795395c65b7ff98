"""`config check`: the effective settings, where each came from, secrets masked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tweetdesk.config.schema import mask_url, public_url
from tweetdesk.config.settings import Settings
from tweetdesk.desk.desk import Desk
from tweetdesk.x.credentials import ENV_VARS, key_hint, mask


def _show(value: Any) -> Any:
    if isinstance(value, timedelta):
        from tweetdesk.values.durations import format_duration

        return format_duration(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _row(key: str, value: Any, source: str) -> dict[str, Any]:
    return {"key": key, "value": _show(value), "source": source}


def effective(desk: Desk) -> list[dict[str, Any]]:
    """Every effective setting (secrets masked) and where it came from."""
    s = desk.settings
    return [
        _row("config_file", str(s.config_path), _file_state(desk)),
        *_scalar_rows(s),
        *_hours_rows(s),
        _row("tags", sorted(s.tags), "config file" if s.tags else "default"),
        _row("templates", sorted(s.templates), "config file" if s.templates else "default"),
        *_email_rows(desk),
        *_webhook_rows(s),
        *_price_rows(s),
        _row("credentials", _credentials_state(desk), "environment or auth login"),
    ]


def _scalar_rows(s: Settings) -> list[dict[str, Any]]:
    values = {
        "storage.db": str(s.db_path),
        "x.api_url": public_url(s.api_url),
        "x.timeout": s.timeout,
        "x.retries": s.retries,
        "x.app_owner": s.app_owner,
        "account.handle": s.handle,
        "triage.sla": s.sla,
        "triage.stale_after": s.stale_after,
        "listen.queries": s.listen_queries,
        "alerts.channels": s.alert_channels,
        "alerts.sync_max_age": s.sync_max_age,
        "budget.monthly_usd": s.budget_usd,
    }
    return [_row(key, value, s.sources.get(key, "default")) for key, value in values.items()]


def _hours_rows(s: Settings) -> list[dict[str, Any]]:
    if not s.hours:
        return []
    h = s.hours
    shown = (
        f"{h.timezone.key} {','.join(_days(h.days))} "
        f"{h.open:%H:%M}-{h.close:%H:%M}, {len(h.holidays)} holidays"
    )
    return [_row("hours", shown, "config file")]


def _email_rows(desk: Desk) -> list[dict[str, Any]]:
    email = desk.settings.email
    if not email:
        return []
    rows = [
        _row("alerts.email", f"{email.host}:{email.port} -> {', '.join(email.to)}", "config file")
    ]
    for var in (email.username_env, email.password_env):
        if var:
            value = mask(desk.env[var]) if desk.env.get(var) else "not set"
            rows.append(_row(f"env {var}", value, "environment"))
    return rows


def _webhook_rows(s: Settings) -> list[dict[str, Any]]:
    if not s.webhook_url:
        return []
    return [_row("alerts.webhook.url", mask_url(s.webhook_url), "config file")]


def _price_rows(s: Settings) -> list[dict[str, Any]]:
    """Every price (USD per unit), whether the file overrides it or not."""
    return [
        _row(f"prices.{key}", price, s.sources.get(f"prices.{key}", "default"))
        for key, price in s.prices.items()
    ]


def _days(days: frozenset[int]) -> list[str]:
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    return [names[d] for d in sorted(days)]


def _file_state(desk: Desk) -> str:
    path = desk.settings.config_path
    origin = "env TWEETDESK_CONFIG" if desk.env.get("TWEETDESK_CONFIG") else "default"
    return f"{origin}; {'found' if path.exists() else 'not found, using defaults'}"


def _credentials_state(desk: Desk) -> str:
    from tweetdesk.errors import TweetdeskError

    try:
        creds = desk.credentials()
    except TweetdeskError as exc:
        return f"missing or unusable: {exc}"
    set_vars = [v for v in ENV_VARS if desk.env.get(v)]
    hint = key_hint(creds.consumer_key)
    return f"{creds.source} (consumer key {hint}; {len(set_vars)} TWEETDESK_* credential vars set)"
