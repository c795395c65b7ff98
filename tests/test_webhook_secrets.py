"""A webhook URL's secret (path, query, fragment, user info) never reaches a message: not in
`config check` (text or --json), not in an alert error, not through the server's reason phrase."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tweetdesk.alerts.channels import post_webhook
from tweetdesk.alerts.digest import write_digest
from tweetdesk.alerts.episodes import DeliveryError
from tweetdesk.config.schema import mask_url
from tweetdesk.triage.clock import Clock

from conftest import NOW, cli

SECRET = "S3CRETtoken"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://hooks.slack.com/services/T0/B0/S3CRETtoken", "https://hooks.slack.com/…"),
        ("http://host:1?token=S3CRETtoken", "http://host:1/…"),
        ("http://host#S3CRETtoken", "http://host/…"),
        ("http://user:S3CRETtoken@host/hook", "http://host/…"),
        ("http://S3CRETtoken@host:8080", "http://host:8080/…"),
        ("https://[::1]:9/x", "https://[::1]:9/…"),
        ("HTTPS://Example.COM/x", "https://example.com/…"),
        ("http://host:notaport/x", "http://host/…"),
    ],
)
def test_mask_url_shows_scheme_host_and_port_only(url: str, shown: str) -> None:
    assert mask_url(url) == shown


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1?token=S3CRETtoken",
        "http://127.0.0.1:1#S3CRETtoken",
        "http://u:S3CRETtoken@127.0.0.1:1/hook",
        "http://127.0.0.1:1/hook/S3CRETtoken",
    ],
)
def test_config_check_never_shows_the_secret(config_file: Path, url: str) -> None:
    config_file.write_text(f'[alerts.webhook]\nurl = "{url}"\n', encoding="utf-8")
    text, as_json = cli("config", "check"), cli("config", "check", "--json")
    assert (text.exit_code, as_json.exit_code) == (0, 0)
    assert 'alerts.webhook.url = "http://127.0.0.1:1/…"' in text.stdout
    assert json.loads(as_json.stdout)["alerts.webhook.url"]["value"] == "http://127.0.0.1:1/…"
    for out in (text.stdout, text.stderr, as_json.stdout, as_json.stderr):
        assert SECRET not in out


seen: list[tuple[str, str | None]] = []


@pytest.fixture
def echoing_hook() -> Iterator[str]:
    """A webhook that answers 500 with a reason phrase quoting the request's path and query."""
    seen.clear()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            seen.append((self.path, self.headers.get("Authorization")))
            self.send_response(500, "boom at " + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def delivery_error(url: str) -> str:
    with pytest.raises(DeliveryError) as caught:
        post_webhook(url, write_digest([], NOW, Clock(), 0), timeout=5)
    return caught.value.message


@pytest.mark.parametrize("tail", ["/hook/S3CRETtoken", "/hook?token=S3CRETtoken", "?S3CRETtoken"])
def test_a_reason_phrase_quoting_the_url_is_withheld(echoing_hook: str, tail: str) -> None:
    host = echoing_hook.removeprefix("http://")
    assert delivery_error(echoing_hook + tail) == (
        f"webhook: http://{host}/… answered 500 Internal Server Error"
    )


def test_an_innocent_reason_phrase_is_kept(echoing_hook: str) -> None:
    host = echoing_hook.removeprefix("http://")
    assert delivery_error(echoing_hook + "/x") == (
        f"webhook: http://{host}/… answered 500 boom at /x"
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/hook?token=S3CRETtoken",
        "http://127.0.0.1:1#S3CRETtoken",
    ],
)
def test_an_unreachable_webhook_names_the_host_only(url: str) -> None:
    message = delivery_error(url)
    assert message.startswith("webhook: cannot reach http://127.0.0.1:1/…: ")
    assert SECRET not in message


def test_user_info_goes_as_basic_auth_never_into_the_host_name(echoing_hook: str) -> None:
    host = echoing_hook.removeprefix("http://")
    message = delivery_error(f"http://desk:{SECRET}@{host}/x")
    assert message == f"webhook: http://{host}/… answered 500 boom at /x"
    assert seen == [("/x", "Basic " + base64.b64encode(f"desk:{SECRET}".encode()).decode())]
