"""`config check`: the effective settings, where each came from, secrets masked."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from tweetdesk.compose.draft import BUILT_IN_TEMPLATES
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
    """Every effective setting (secrets masked) and where it came from; a value of None is a
    setting left unset."""
    s = desk.settings
    return [
        _row("config_file", str(s.config_path), _file_state(desk)),
        *_scalar_rows(s),
        *_hours_rows(s),
        *_tag_rows(s),
        *_template_rows(s),
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
        "listen.quotes": s.listen_quotes,
        "dms.sync": s.dm_sync,
        "dms.stale_after": s.dm_stale_after,
        "alerts.channels": s.alert_channels,
        "alerts.sync_max_age": s.sync_max_age,
        "budget.monthly_usd": s.budget_usd,
    }
    return [_row(key, value, s.sources.get(key, "default")) for key, value in values.items()]


def _hours_rows(s: Settings) -> list[dict[str, Any]]:
    if not s.hours:
        return [_row("hours", None, "default: the SLA clock runs day and night")]
    h = s.hours
    values = {
        "timezone": h.timezone.key,
        "days": ",".join(_days(h.days)),
        "open": f"{h.open:%H:%M}",
        "close": "24:00" if h.close == time.max else f"{h.close:%H:%M}",
        "holidays": [d.isoformat() for d in sorted(h.holidays)],
    }
    return [_row(f"hours.{key}", value, "config file") for key, value in values.items()]


def _tag_rows(s: Settings) -> list[dict[str, Any]]:
    if not s.tags:
        return [_row("tags", None, "default")]
    return [_row(f"tags.{name}", needles, "config file") for name, needles in s.tags.items()]


def _template_rows(s: Settings) -> list[dict[str, Any]]:
    """The built-in templates (dm_invite, dm_fallback) and the file's, each once."""
    names = [*BUILT_IN_TEMPLATES, *(n for n in s.templates if n not in BUILT_IN_TEMPLATES)]
    rows = []
    for name in names:
        if name not in s.templates:
            rows.append(_row(f"templates.{name}", BUILT_IN_TEMPLATES[name], "built in"))
        elif name in BUILT_IN_TEMPLATES:
            rows.append(
                _row(
                    f"templates.{name}", s.templates[name], "config file, in place of the built-in"
                )
            )
        else:
            rows.append(_row(f"templates.{name}", s.templates[name], "config file"))
    return rows


def _email_rows(desk: Desk) -> list[dict[str, Any]]:
    email = desk.settings.email
    if not email:
        return []
    values = {
        "host": email.host,
        "port": email.port,
        "starttls": email.starttls,
        "ssl": email.ssl,
        "from": email.sender,
        "to": email.to,
        "username_env": email.username_env,
        "password_env": email.password_env,
    }
    rows = [_row(f"alerts.email.{key}", value, "config file") for key, value in values.items()]
    for var in (email.username_env, email.password_env):
        if var:
            value = mask(desk.env[var]) if desk.env.get(var) else None
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
