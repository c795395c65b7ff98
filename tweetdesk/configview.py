"""`config check`: the effective settings, where each came from, secrets masked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tweetdesk.context import Desk
from tweetdesk.credentials import ENV_VARS, key_hint, mask


def _show(value: Any) -> Any:
    if isinstance(value, timedelta):
        from tweetdesk.durations import format_duration

        return format_duration(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def effective(desk: Desk) -> list[dict[str, Any]]:
    s = desk.settings
    rows: list[dict[str, Any]] = [
        {"key": "config_file", "value": str(s.config_path), "source": _file_state(desk)}
    ]
    values = {
        "storage.db": str(s.db_path),
        "x.api_url": s.api_url,
        "x.timeout": s.timeout,
        "x.retries": s.retries,
        "account.handle": s.handle,
        "triage.sla": s.sla,
        "triage.stale_after": s.stale_after,
        "listen.queries": s.listen_queries,
        "alerts.channels": s.alert_channels,
        "alerts.sync_max_age": s.sync_max_age,
        "budget.monthly_usd": s.budget_usd,
    }
    for key, value in values.items():
        rows.append({"key": key, "value": _show(value), "source": s.sources.get(key, "default")})
    if s.hours:
        h = s.hours
        rows.append(
            {
                "key": "hours",
                "value": f"{h.timezone.key} {','.join(_days(h.days))} "
                f"{h.open:%H:%M}-{h.close:%H:%M}, {len(h.holidays)} holidays",
                "source": "config file",
            }
        )
    rows.append(
        {"key": "tags", "value": sorted(s.tags), "source": "config file" if s.tags else "default"}
    )
    rows.append(
        {
            "key": "templates",
            "value": sorted(s.templates),
            "source": "config file" if s.templates else "default",
        }
    )
    if s.email:
        rows.append(
            {
                "key": "alerts.email",
                "value": f"{s.email.host}:{s.email.port} -> {', '.join(s.email.to)}",
                "source": "config file",
            }
        )
        for var in (s.email.username_env, s.email.password_env):
            if var:
                rows.append(
                    {
                        "key": f"env {var}",
                        "value": mask(desk.env[var]) if desk.env.get(var) else "not set",
                        "source": "environment",
                    }
                )
    if s.webhook_url:
        rows.append(
            {
                "key": "alerts.webhook.url",
                "value": _mask_url(s.webhook_url),
                "source": "config file",
            }
        )
    rows.append(
        {
            "key": "credentials",
            "value": _credentials_state(desk),
            "source": "environment or auth login",
        }
    )
    return rows


def _days(days: frozenset[int]) -> list[str]:
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    return [names[d] for d in sorted(days)]


def _file_state(desk: Desk) -> str:
    path = desk.settings.config_path
    origin = "env TWEETDESK_CONFIG" if desk.env.get("TWEETDESK_CONFIG") else "default"
    return f"{origin}; {'found' if path.exists() else 'not found, using defaults'}"


def _mask_url(url: str) -> str:
    """Webhook URLs carry their secret in the path: show only the host."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}/…"


def _credentials_state(desk: Desk) -> str:
    from tweetdesk.errors import TweetdeskError

    try:
        creds = desk.credentials()
    except TweetdeskError as exc:
        return f"missing or unusable: {exc}"
    set_vars = [v for v in ENV_VARS if desk.env.get(v)]
    hint = key_hint(creds.consumer_key)
    return f"{creds.source} (consumer key {hint}; {len(set_vars)} TWEETDESK_* credential vars set)"
