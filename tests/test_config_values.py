"""Values the schema used to accept though they can never work: each is a config error that
names its key (exit 2, one line on stderr)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tweetdesk.config.settings import load_settings
from tweetdesk.errors import ConfigError, ExitCode

from conftest import cli

EMAIL = "[alerts.email]\nhost = 'smtp.example.com'\n"
GOOD_FROM, GOOD_TO = "from = 'desk@example.com'\n", "to = ['owner@example.com']\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            EMAIL + GOOD_FROM + "to = []\n",
            "bad value for [alerts.email] to: expected a non-empty list of email addresses",
        ),
        (
            EMAIL + GOOD_FROM + "to = ['owner@example.com', 'nobody']\n",
            "bad value for [alerts.email] to: 'nobody' is not an email address",
        ),
        (
            EMAIL + "from = 'nope'\n" + GOOD_TO,
            "bad value for [alerts.email] from: 'nope' is not an email address "
            "(expected name@domain)",
        ),
        (
            EMAIL + "from = '@example.com'\n" + GOOD_TO,
            "bad value for [alerts.email] from: '@example.com' is not an email address",
        ),
        (
            EMAIL + GOOD_FROM + GOOD_TO + "port = 0\n",
            "bad value for [alerts.email] port: expected a port number from 1 to 65535",
        ),
        (
            EMAIL + GOOD_FROM + GOOD_TO + "port = 65536\n",
            "bad value for [alerts.email] port: expected a port number from 1 to 65535",
        ),
        (
            "[triage]\nsla = '24h'\n",
            "bad value for [triage] sla: 1d is not shorter than [triage] stale_after 1d, "
            "so no thread could ever be overdue",
        ),
        (
            "[triage]\nsla = '2h'\nstale_after = '90m'\n",
            "bad value for [triage] sla: 2h is not shorter than [triage] stale_after 1h 30m",
        ),
    ],
)
def test_values_that_cannot_work_name_the_key(config_file: Path, text: str, message: str) -> None:
    config_file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert str(err.value).startswith(message)
    assert err.value.exit_code == ExitCode.USAGE
    result = cli("inbox")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {err.value}\n"
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("text"),
    [
        EMAIL + "from = 'Acme desk <desk@example.com>'\n" + GOOD_TO + "port = 1\n",
        EMAIL + GOOD_FROM + GOOD_TO + "port = 65535\n",
        "[triage]\nsla = '23h'\nstale_after = '24h'\n",
        "[triage]\nsla = '4h'\nstale_after = '72h'\n",
    ],
)
def test_values_at_the_edges_still_load(config_file: Path, text: str) -> None:
    config_file.write_text(text, encoding="utf-8")
    load_settings()
