"""`config check` prints every effective setting, the [prices] table included, and where each
value came from (default or the config file)."""

from __future__ import annotations

import json
from pathlib import Path

from tweetdesk.config.schema import DEFAULT_PRICES

from conftest import cli


def test_every_price_is_shown_with_its_source(config_file: Path) -> None:
    config_file.write_text("[prices]\npost_read = 0.01\ndelete = 0.002\n", encoding="utf-8")
    result = cli("config", "check")
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("prices.")]
    assert lines == [
        "prices.owned_read = 0.001    (default)",
        "prices.post_read = 0.01    (config file)",
        "prices.user_read = 0.01    (default)",
        "prices.dm_read = 0.01    (default)",
        "prices.post_created = 0.015    (default)",
        "prices.reply_created = 0.01    (default)",
        "prices.url_post_created = 0.2    (default)",
        "prices.dm_sent = 0.015    (default)",
        "prices.delete = 0.002    (config file)",
    ]


def test_json_has_every_price_key(config_file: Path) -> None:
    config_file.write_text("[prices]\nurl_post_created = 0.25\n", encoding="utf-8")
    result = cli("config", "check", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    prices = {k.removeprefix("prices."): v for k, v in doc.items() if k.startswith("prices.")}
    assert list(prices) == list(DEFAULT_PRICES)
    assert prices["url_post_created"] == {"value": 0.25, "source": "config file"}
    assert prices["owned_read"] == {"value": 0.001, "source": "default"}
    assert doc["triage.sla"] == {"value": "15m", "source": "default"}


def test_without_a_file_every_price_is_the_default() -> None:
    doc = json.loads(cli("config", "check", "--json").stdout)
    shown = {k: v for k, v in doc.items() if k.startswith("prices.")}
    assert shown == {
        f"prices.{k}": {"value": v, "source": "default"} for k, v in DEFAULT_PRICES.items()
    }


def test_values_are_written_as_toml_and_the_built_in_templates_are_listed(
    config_file: Path,
) -> None:
    import tomllib

    config_file.write_text(
        '[alerts]\nchannels = ["stdout"]\n[tags]\nshipping = ["order", "#ship"]\n'
        '[templates]\nthanks = "Thanks {{first_name}}!"\ndm_invite = "Hi {{name}}, see DMs"\n'
        '[hours]\ntimezone = "Europe/London"\nholidays = ["2026-12-25"]\n',
        encoding="utf-8",
    )
    lines = cli("config", "check").stdout.splitlines()
    assert 'alerts.channels = ["stdout"]    (config file)' in lines
    assert "account.handle    (not set; default)" in lines
    assert "budget.monthly_usd    (not set; default)" in lines
    templates = [line for line in lines if line.startswith("templates.")]
    assert templates == [
        'templates.dm_invite = "Hi {{name}}, see DMs"    (config file, in place of the built-in)',
        "templates.dm_fallback = \"Hi {{first_name|there}}, we'd like to sort this out "
        'privately: could you send us a DM (or follow us so we can message you)?"    (built in)',
        'templates.thanks = "Thanks {{first_name}}!"    (config file)',
    ]
    # every `key = value` line, its source left off, reads back as TOML with the same values
    pairs = [line.rsplit("    (", 1)[0] for line in lines if " = " in line]
    doc = tomllib.loads("\n".join(p for p in pairs if not p.startswith("credentials")))
    assert doc["triage"] == {"sla": "15m", "stale_after": "1d"}
    assert doc["tags"] == {"shipping": ["order", "#ship"]}
    assert doc["hours"]["holidays"] == ["2026-12-25"]
    assert doc["x"]["retries"] == 3
    assert doc["listen"] == {"queries": [], "quotes": True}
    assert doc["x"]["app_owner"] is True
    assert "None" not in "\n".join(lines) and "['" not in "\n".join(lines)
