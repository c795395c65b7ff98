"""Credentials and passwords never cross the network unencrypted: an http:// X API URL must be
this machine (the sandbox), and an SMTP login needs STARTTLS or TLS unless the relay is local."""

from __future__ import annotations

import smtplib
from pathlib import Path
from typing import Any

import pytest

from tweetdesk.alerts.channels import send_email
from tweetdesk.alerts.digest import write_digest
from tweetdesk.alerts.episodes import DeliveryError
from tweetdesk.config.settings import EmailSettings, load_settings
from tweetdesk.errors import ConfigError
from tweetdesk.triage.clock import Clock

from conftest import NOW, cli

UNENCRYPTED = (
    "is plain http:// to another machine, so the credentials would go unencrypted (use "
    "https://; http:// is for the sandbox on 127.0.0.1, ::1 or localhost)"
)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://api.x.com", "http://api.x.com/…"),
        ("http://10.0.0.5:8000/", "http://10.0.0.5:8000/…"),
        ("http://127.0.0.1.evil.example", "http://127.0.0.1.evil.example/…"),
        ("http://localhost.evil.example:80", "http://localhost.evil.example:80/…"),
        ("http://[::2]:80", "http://[::2]:80/…"),
    ],
)
def test_plain_http_to_another_machine_is_a_config_error(
    config_file: Path, url: str, shown: str
) -> None:
    config_file.write_text(f'[x]\napi_url = "{url}"\n', encoding="utf-8")
    result = cli("config", "check")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: bad value for [x] api_url: {shown} {UNENCRYPTED}\n"
    config_file.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings({"TWEETDESK_API_URL": url, "TWEETDESK_CONFIG": str(config_file)})
    assert caught.value.message == f"bad value for TWEETDESK_API_URL: {shown} {UNENCRYPTED}"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://127.8.9.10",
        "http://[::1]:8000",
        "http://localhost:8000",
        "http://LOCALHOST",
        "https://api.x.com",
        "https://10.0.0.5:8443",
    ],
)
def test_https_and_loopback_http_are_fine(config_file: Path, url: str) -> None:
    env = {"TWEETDESK_API_URL": url, "TWEETDESK_CONFIG": str(config_file)}
    assert load_settings(env).api_url == url
    config_file.write_text(f'[x]\napi_url = "{url}"\n', encoding="utf-8")
    assert load_settings({"TWEETDESK_CONFIG": str(config_file)}).api_url == url


def email_config(host: str, *, login: bool = True, **tls: bool) -> str:
    lines = [f'host = "{host}"', 'from = "desk@acme.test"', 'to = ["owner@acme.test"]']
    lines += [f"{key} = {'true' if on else 'false'}" for key, on in tls.items()]
    if login:
        lines += ['username_env = "SMTP_USER"', 'password_env = "SMTP_PASSWORD"']
    return "[alerts.email]\n" + "\n".join(lines) + "\n"


def test_a_login_without_tls_to_another_machine_is_a_config_error(config_file: Path) -> None:
    config_file.write_text(email_config("smtp.example.com", starttls=False), encoding="utf-8")
    result = cli("config", "check")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: bad value for [alerts.email] starttls: logging in to smtp.example.com with "
        "neither starttls nor ssl would send the password unencrypted (set starttls = true or "
        "ssl = true; only a relay on this machine may go without)\n"
    )


@pytest.mark.parametrize(
    "section",
    [
        email_config("smtp.example.com"),  # starttls is the default
        email_config("smtp.example.com", starttls=True),
        email_config("smtp.example.com", ssl=True),
        email_config("smtp.example.com", login=False, starttls=False),  # no password to send
        email_config("127.0.0.1", starttls=False),  # a local relay
        email_config("::1", starttls=False),
        email_config("localhost", starttls=False),
    ],
)
def test_encrypted_or_local_or_no_login_is_fine(config_file: Path, section: str) -> None:
    config_file.write_text(section, encoding="utf-8")
    assert load_settings({"TWEETDESK_CONFIG": str(config_file)}).email is not None


def test_the_sender_refuses_too_before_connecting(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_connection(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("connected")

    monkeypatch.setattr(smtplib, "SMTP", no_connection)
    cfg = EmailSettings(
        "192.0.2.1", ("o@acme.test",), "d@acme.test", 25, False, False, "SMTP_USER", "SMTP_PW"
    )
    env = {"SMTP_USER": "desk", "SMTP_PW": "hunter2"}
    with pytest.raises(DeliveryError) as caught:
        send_email(cfg, env, write_digest([], NOW, Clock(), 0), timeout=1)
    assert caught.value.message == (
        "email: refusing to log in to 192.0.2.1:25 without starttls or ssl ([alerts.email])"
    )


@pytest.mark.parametrize(
    "url", ["http://hooks.example.com/services/T0/B0/XYZ", "http://u:p@hooks.example.com/x"]
)
def test_a_webhook_over_plain_http_to_another_machine_is_refused(
    config_file: Path, url: str
) -> None:
    config_file.write_text(f'[alerts.webhook]\nurl = "{url}"\n', encoding="utf-8")
    result = cli("config", "check")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: bad value for [alerts.webhook] url: http://hooks.example.com/… is plain http:// "
        "to another machine, so its secret path would go unencrypted (use https://; http:// is "
        "for 127.0.0.1, ::1 or localhost)\n"
    )
    assert "XYZ" not in result.stderr and "u:p" not in result.stderr


def test_a_webhook_url_keeps_its_trailing_slash(config_file: Path) -> None:
    config_file.write_text(
        '[alerts.webhook]\nurl = "https://hooks.example.com/alert/"\n', encoding="utf-8"
    )
    settings = load_settings({"TWEETDESK_CONFIG": str(config_file)})
    assert settings.webhook_url == "https://hooks.example.com/alert/"


def test_the_api_url_is_shown_without_user_info_or_query(config_file: Path) -> None:
    config_file.write_text(
        '[x]\napi_url = "https://user:hidden1@api.example.com/v"\n',
        encoding="utf-8",
    )
    for args in (("config", "check"), ("config", "check", "--json")):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        assert "https://api.example.com/v" in result.stdout
        assert "hidden" not in result.stdout


@pytest.mark.parametrize("url", ["https://api.example.com/?token=abc", "https://api.x.com#x"])
def test_an_api_url_with_a_query_or_fragment_is_refused(config_file: Path, url: str) -> None:
    config_file.write_text(f'[x]\napi_url = "{url}"\n', encoding="utf-8")
    result = cli("config", "check")
    assert result.exit_code == 2
    assert "has a query or fragment; give only the base URL" in result.stderr
    assert "abc" not in result.stderr


def test_the_scheme_may_be_written_in_capitals(config_file: Path) -> None:
    config_file.write_text('[x]\napi_url = "HTTPS://api.x.com"\n', encoding="utf-8")
    settings = load_settings({"TWEETDESK_CONFIG": str(config_file)})
    assert settings.api_url == "https://api.x.com"
