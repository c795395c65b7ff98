"""`tweetdesk alert`: once per overdue episode, one digest per channel, stdout/email/webhook.

Email goes to a real SMTP server on loopback (aiosmtpd, AUTH LOGIN with credentials from the
environment, STARTTLS and implicit TLS with a self-signed certificate); the webhook to a real
HTTP server, and to a raw TCP server that answers garbage.
"""

from __future__ import annotations

import json
import shutil
import socketserver
import subprocess
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from typer.testing import CliRunner, Result

from tweetdesk.cli.app import app

from conftest import NOW, Sandbox
from deskdata import DeskData

SMTP_USER, SMTP_PASSWORD = "desk-bot", "pa55-w0rd-from-env"


# --- servers --------------------------------------------------------------------------------


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.logins: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = data.login == SMTP_USER.encode() and data.password == SMTP_PASSWORD.encode()
        if ok:
            self.logins.append(mechanism)
        return AuthResult(success=ok, handled=False)

    def bodies(self) -> list[str]:
        return [str(m.get_content()).replace("\r\n", "\n") for m in self.messages]


class LoopbackController(Controller):
    """aiosmtpd on 127.0.0.1 port 0: the kernel picks a free port, read back once bound."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def start_smtp(mailbox: Mailbox, **params: Any) -> LoopbackController:
    controller = LoopbackController(
        mailbox,
        hostname="127.0.0.1",
        port=0,
        authenticator=mailbox.authenticate,
        auth_require_tls=False,
        **params,
    )
    controller.start()
    return controller


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    controller = start_smtp(mailbox)
    yield mailbox, controller.port
    controller.stop()


class Hook:
    """A webhook receiver; `status` is what it answers next (a 3xx points to `/landing/…`)."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.gets: list[str] = []
        self.status = 200


@pytest.fixture
def webhook() -> Iterator[tuple[Hook, str]]:
    hook = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if hook.status == 200:
                hook.posts.append(json.loads(body))
                hook.headers.append(dict(self.headers))
            self.send_response(hook.status)
            if 300 <= hook.status < 400:
                self.send_header("Location", "/landing/other-secret")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def do_GET(self) -> None:  # where urllib would follow a redirect, body dropped
            hook.gets.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield hook, f"http://127.0.0.1:{server.server_address[1]}/services/T0/B0/secret-token"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


GARBAGE = {
    "BadStatusLine": b"garbage, not HTTP\r\n\r\n",
    "IncompleteRead": b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort",
}


def start_garbage_server(answer: bytes) -> socketserver.ThreadingTCPServer:
    """A raw TCP server on loopback that reads one HTTP request and answers `answer`."""

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            length = 0
            while (line := self.rfile.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.rfile.read(length)
            self.wfile.write(answer)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    return server


@pytest.fixture
def tls_cert(tmp_path: Path) -> Any:
    """A self-signed certificate for 127.0.0.1 and a server context that uses it."""
    import ssl

    if shutil.which("openssl") is None:
        pytest.skip("needs openssl to make a cert")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    return cert, server_tls


# --- desk -----------------------------------------------------------------------------------


def run(*args: str, now: datetime = NOW, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(
        app, list(args), env={"TWEETDESK_NOW": now.isoformat(), **(env or {})}
    )


def write_config(path: Path, channels: list[str], extra: str = "") -> None:
    path.write_text(f"[alerts]\nchannels = {json.dumps(channels)}\n{extra}", encoding="utf-8")


def email_section(port: int, *, starttls: bool = False, ssl: bool = False) -> str:
    return (
        f'[alerts.email]\nhost = "127.0.0.1"\nport = {port}\n'
        f"starttls = {'true' if starttls else 'false'}\n"
        f"ssl = {'true' if ssl else 'false'}\n"
        'from = "desk@acme.test"\nto = ["owner@acme.test"]\n'
        'username_env = "ACME_SMTP_USER"\npassword_env = "ACME_SMTP_PASSWORD"\n'
    )


SMTP_ENV = {"ACME_SMTP_USER": SMTP_USER, "ACME_SMTP_PASSWORD": SMTP_PASSWORD}


@pytest.fixture
def desk(isolated: Path) -> DeskData:
    """alice overdue (40m), carol brand talk overdue (30m), bob waiting 5m, a muted troll
    overdue, a stale thread, a snoozed one and an answered one; synced 5 minutes ago."""
    d = DeskData(isolated / "desk.db", NOW)
    for uid, name in [(10, "alice"), (11, "bob"), (12, "troll"), (13, "carol"), (14, "dan")]:
        d.user(uid, name)
    d.tweet(100, 10, NOW - timedelta(minutes=40), "@acme where is my order?", sentiment=-0.4)
    d.tweet(101, 11, NOW - timedelta(minutes=5), "@acme do you ship to Ireland?")
    d.tweet(102, 12, NOW - timedelta(minutes=50), "@acme you are all idiots")
    d.mute(12, "troll")
    d.tweet(
        103, 13, NOW - timedelta(minutes=30), "Acme Roasters beans are stale", found_via="search"
    )
    d.tweet(104, 14, NOW - timedelta(days=2), "@acme hello?")
    d.tweet(105, 14, NOW - timedelta(minutes=45), "@acme ping", conversation_id=105)
    d.mark(105, "snooze", NOW - timedelta(minutes=1), until=NOW + timedelta(hours=3))
    d.tweet(106, 11, NOW - timedelta(hours=3), "@acme thanks for the beans")
    d.tweet(107, 1, NOW - timedelta(hours=2), "@bob enjoy!", conversation_id=106, reply_to=106)
    d.synced(NOW - timedelta(minutes=5))
    return d


def first_digest(desk: DeskData) -> str:
    """What the first run says about the `desk` fixture (numbers as the store gave them)."""
    return f"""\
tweetdesk: 2 overdue, 2 new

2 threads overdue (target 15m):

#{desk.number(100)}  @alice  waiting 40m  (mention)
    @acme where is my order?
    https://x.com/alice/status/100

#{desk.number(103)}  @carol  waiting 30m  (brand talk: answer in the X app)
    Acme Roasters beans are stale
    https://x.com/carol/status/103

Answer with: tweetdesk inbox
"""


# --- stdout ---------------------------------------------------------------------------------


def test_stdout_alerts_each_overdue_thread_once(desk: DeskData) -> None:
    first = run("alert")
    assert first.exit_code == 0, first.stderr
    assert first.stdout == first_digest(desk)
    assert first.stderr == ""
    again = run("alert", now=NOW + timedelta(minutes=5))
    assert (again.exit_code, again.stdout, again.stderr) == (0, "", "")
    # bob's question passes the 15m target: only his thread is new.
    third = run("alert", now=NOW + timedelta(minutes=11))
    assert third.exit_code == 0
    assert third.stdout.splitlines()[:5] == [
        "tweetdesk: 3 overdue, 1 new",  # every overdue thread, the new one apart
        "",
        "1 thread overdue (target 15m):",
        "",
        f"#{desk.number(101)}  @bob  waiting 16m  (mention)",
    ]
    assert "Still overdue, alerted before: 2 (tweetdesk overdue)." in third.stdout
    assert "alice" not in third.stdout


def test_a_reopened_thread_alerts_again(desk: DeskData) -> None:
    assert f"#{desk.number(100)}  @alice" in run("alert").stdout
    desk.tweet(110, 1, NOW + timedelta(minutes=1), "@alice on its way", conversation_id=100)
    assert run("alert", now=NOW + timedelta(minutes=2)).stdout == ""
    desk.tweet(111, 10, NOW + timedelta(minutes=3), "@acme still nothing", conversation_id=100)
    later = run("alert", now=NOW + timedelta(minutes=20))
    assert f"#{desk.number(100)}  @alice  waiting 17m  (mention)" in later.stdout
    assert "@acme still nothing" in later.stdout


def test_tweet_text_is_inert_in_the_terminal(desk: DeskData) -> None:
    desk.user(20, "mallory")
    desk.tweet(120, 20, NOW - timedelta(minutes=20), "@acme [bold]hi[/bold] \x1b[2J\u202egone")
    out = run("alert").stdout
    assert "[bold]hi[/bold] ␛[2J\\u202egone" in out
    assert "\x1b" not in out


def test_business_hours_keep_a_closed_desk_quiet(desk: DeskData, config_file: Path) -> None:
    config_file.write_text(
        '[hours]\ntimezone = "UTC"\ndays = "mon-fri"\nopen = "09:00"\nclose = "17:00"\n'
    )
    # Monday 09:00 UTC: the desk just opened, so nobody has waited a business minute yet.
    assert run("alert").stdout == ""
    later = run("alert", now=NOW + timedelta(minutes=16)).stdout
    number = desk.number(100)
    assert f"#{number}  @alice  waiting 56m (16 business minutes)  (mention)" in later


def test_dry_run_prints_and_records_nothing(desk: DeskData) -> None:
    preview = run("alert", "--dry-run")
    assert preview.stdout == first_digest(desk)
    assert preview.stderr == "--- stdout would get:\n"
    assert run("alert").stdout == first_digest(desk)


# --- stale sync -----------------------------------------------------------------------------


def test_a_desk_that_never_synced_alerts_once(isolated: Path) -> None:
    first = run("alert")
    assert first.exit_code == 0
    assert first.stdout == (
        "tweetdesk: sync is not running\n\n"
        "Sync: tweetdesk has never synced successfully ([alerts] sync_max_age 1h).\n"
        "  Check the cron job, or run `tweetdesk sync` by hand to see the error.\n"
    )
    assert run("alert", now=NOW + timedelta(hours=3)).stdout == ""


def test_stale_sync_alerts_once_per_episode_with_the_last_error(desk: DeskData) -> None:
    assert "sync" not in run("alert").stdout.splitlines()[0]
    desk.synced(NOW + timedelta(minutes=10), status="failed", error="X rejected the credentials")
    out = run("alert", now=NOW + timedelta(minutes=66)).stdout
    assert out.splitlines()[:4] == [
        "tweetdesk: 3 overdue, 1 new; sync is not running",  # bob's thread is overdue too
        "",
        "Sync: the last successful sync finished 2026-11-23T08:55:00Z, 1h 11m ago "
        "([alerts] sync_max_age 1h).",
        "  The last sync failed: X rejected the credentials",
    ]
    assert run("alert", now=NOW + timedelta(minutes=90)).stdout == ""
    desk.synced(NOW + timedelta(minutes=95))  # cron fixed...
    assert run("alert", now=NOW + timedelta(minutes=100)).stdout == ""
    later = run("alert", now=NOW + timedelta(minutes=95 + 61)).stdout  # ...and broken again
    assert "the last successful sync finished 2026-11-23T10:35:00Z, 1h 1m ago" in later


def test_sync_max_age_is_configurable(desk: DeskData, config_file: Path) -> None:
    write_config(config_file, ["stdout"], 'sync_max_age = "2m"\n')
    assert run("alert").stdout.startswith("tweetdesk: 2 overdue, 2 new; sync is not running\n")


# --- config ---------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", ["email", "webhook"])
def test_a_channel_without_its_section_is_a_config_error(
    desk: DeskData, config_file: Path, channel: str
) -> None:
    write_config(config_file, ["stdout", channel])
    result = run("alert")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: bad value for [alerts] channels: '{channel}' needs an [alerts.{channel}] "
        "section (see config.example.toml)\n"
    )
    assert result.stdout == ""


def test_smtp_username_without_password_is_a_config_error(
    desk: DeskData, config_file: Path
) -> None:
    section = email_section(25).replace('password_env = "ACME_SMTP_PASSWORD"\n', "")
    write_config(config_file, ["email"], section)
    result = run("alert")
    assert result.exit_code == 2
    assert "missing config key [alerts.email] password_env" in result.stderr


# --- email and webhook, end to end ------------------------------------------------------------


def test_three_runs_alert_once_per_thread_on_every_channel(
    desk: DeskData,
    config_file: Path,
    smtp: tuple[Mailbox, int],
    webhook: tuple[Hook, str],
) -> None:
    mailbox, port = smtp
    hook, url = webhook
    write_config(
        config_file,
        ["stdout", "email", "webhook"],
        email_section(port) + f'[alerts.webhook]\nurl = "{url}"\n',
    )
    first = run("alert", env=SMTP_ENV)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == first_digest(desk)
    second = run("alert", now=NOW + timedelta(minutes=5), env=SMTP_ENV)
    assert (second.exit_code, second.stdout) == (0, "")
    third = run("alert", now=NOW + timedelta(minutes=11), env=SMTP_ENV)
    assert third.exit_code == 0

    assert len(mailbox.messages) == 2 and len(hook.posts) == 2
    assert len(mailbox.logins) == 2  # each delivery logged in with the secrets from the env
    mail = mailbox.messages[0]
    assert mail["Subject"] == "tweetdesk: 2 overdue, 2 new"
    assert (mail["From"], mail["To"]) == ("desk@acme.test", "owner@acme.test")
    assert mailbox.bodies()[0] == first_digest(desk).split("\n", 2)[2]
    assert [[t["author"] for t in p["threads"]] for p in hook.posts] == [
        ["alice", "carol"],
        ["bob"],
    ]
    assert f"#{desk.number(101)}  @bob  waiting 16m" in mailbox.bodies()[1]
    assert "alice" not in mailbox.bodies()[1]
    for output in (first.stdout + first.stderr, third.stdout + third.stderr):
        assert SMTP_PASSWORD not in output


def test_webhook_threads_have_the_inbox_json_shape(
    desk: DeskData, config_file: Path, webhook: tuple[Hook, str]
) -> None:
    hook, url = webhook
    desk.user(21, "pinger")
    desk.tweet(121, 21, NOW - timedelta(minutes=20), "@acme <!channel> & <@U123> look")
    write_config(config_file, ["webhook"], f'[alerts.webhook]\nurl = "{url}"\n')
    result = run("alert")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    inbox = {t["number"]: t for t in json.loads(run("inbox", "--json").stdout)}
    (post,) = hook.posts
    assert set(post) == {"text", "threads", "sync"}
    assert post["threads"] == [inbox[t["number"]] for t in post["threads"]]
    assert [t["author"] for t in post["threads"]] == ["alice", "carol", "pinger"]
    assert post["threads"][2]["text"] == "@acme <!channel> & <@U123> look"  # data, exact
    assert "@acme &lt;!channel&gt; &amp; &lt;@U123&gt; look" in post["text"]  # no Slack ping
    assert "<" not in post["text"]
    assert hook.headers[0]["Content-Type"] == "application/json; charset=utf-8"


def test_a_failing_channel_exits_1_and_is_retried_while_the_others_deliver(
    desk: DeskData,
    config_file: Path,
    smtp: tuple[Mailbox, int],
    webhook: tuple[Hook, str],
) -> None:
    mailbox, port = smtp
    hook, url = webhook
    write_config(
        config_file,
        ["stdout", "webhook", "email"],
        email_section(port) + f'[alerts.webhook]\nurl = "{url}"\n',
    )
    hook.status = 500
    failed = run("alert", env=SMTP_ENV)
    assert failed.exit_code == 1
    host = url.split("/services")[0]
    assert failed.stderr == (
        f"Error: alert not delivered (webhook: {host}/… answered 500 Internal Server Error); "
        "the next run retries it\n"
    )
    assert "secret-token" not in failed.stderr
    assert failed.stdout == first_digest(desk)
    assert len(mailbox.messages) == 1
    hook.status = 200
    retried = run("alert", now=NOW + timedelta(minutes=1), env=SMTP_ENV)
    assert (retried.exit_code, retried.stdout, retried.stderr) == (0, "", "")
    assert len(mailbox.messages) == 1
    (post,) = hook.posts
    assert [t["author"] for t in post["threads"]] == ["alice", "carol"]


def test_missing_smtp_secret_fails_the_email_channel_only(
    desk: DeskData, config_file: Path, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp
    write_config(config_file, ["email", "stdout"], email_section(port))
    result = run("alert", env={"ACME_SMTP_USER": SMTP_USER})
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: alert not delivered (email: environment variable ACME_SMTP_PASSWORD "
        "(named by [alerts.email] password_env) is not set); the next run retries it\n"
    )
    assert result.stdout == first_digest(desk)
    assert mailbox.messages == []


def test_wrong_smtp_password_is_reported_without_the_password(
    desk: DeskData, config_file: Path, smtp: tuple[Mailbox, int]
) -> None:
    _, port = smtp
    write_config(config_file, ["email"], email_section(port))
    wrong = "not-the-password-123"
    result = run("alert", env={"ACME_SMTP_USER": SMTP_USER, "ACME_SMTP_PASSWORD": wrong})
    assert result.exit_code == 1
    assert f"email: 127.0.0.1:{port} refused the login (535)" in result.stderr
    assert wrong not in result.stderr + result.stdout


def test_email_over_starttls_with_a_verified_certificate(
    desk: DeskData, config_file: Path, tls_cert: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, server_tls = tls_cert
    mailbox = Mailbox()
    controller = start_smtp(mailbox, tls_context=server_tls, require_starttls=True)
    try:
        write_config(config_file, ["email"], email_section(controller.port, starttls=True))
        untrusted = run("alert", env=SMTP_ENV)
        assert untrusted.exit_code == 1
        assert "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        trusted = run("alert", env=SMTP_ENV)
        assert trusted.exit_code == 0, trusted.stderr
    finally:
        controller.stop()
    assert len(mailbox.messages) == 1
    assert mailbox.logins


def test_email_over_implicit_tls_with_a_verified_certificate(
    desk: DeskData, config_file: Path, tls_cert: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ssl = true`: TLS from the first byte (SMTP_SSL, port 465 style), no STARTTLS."""
    cert, server_tls = tls_cert
    mailbox = Mailbox()
    controller = start_smtp(mailbox, ssl_context=server_tls)
    try:
        write_config(config_file, ["email", "stdout"], email_section(controller.port, ssl=True))
        untrusted = run("alert", env=SMTP_ENV)
        assert untrusted.exit_code == 1
        assert untrusted.stderr.startswith(
            f"Error: alert not delivered (email: cannot send through 127.0.0.1:{controller.port}: "
        )
        assert "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
        assert untrusted.stdout == first_digest(desk)
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        trusted = run("alert", now=NOW + timedelta(minutes=1), env=SMTP_ENV)
        assert (trusted.exit_code, trusted.stdout, trusted.stderr) == (0, "", "")
    finally:
        controller.stop()
    (mail,) = mailbox.messages
    assert mail["Subject"] == "tweetdesk: 2 overdue, 2 new"
    assert mailbox.logins  # logged in over the encrypted connection


def test_a_non_ascii_smtp_password_is_one_line_and_stdout_still_delivers(
    desk: DeskData, config_file: Path, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp
    write_config(config_file, ["email", "stdout"], email_section(port))
    secret = "pässwörd-from-env"
    result = run("alert", env={"ACME_SMTP_USER": SMTP_USER, "ACME_SMTP_PASSWORD": secret})
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: alert not delivered (email: cannot log in to 127.0.0.1:{port}: the user name "
        "or password in the environment is not ASCII); the next run retries it\n"
    )
    assert result.stdout == first_digest(desk)
    assert "ä" not in result.stderr and "ö" not in result.stderr
    assert mailbox.messages == []


@pytest.mark.parametrize("error", list(GARBAGE))
def test_a_webhook_answering_garbage_fails_alone_and_is_retried(
    desk: DeskData, config_file: Path, webhook: tuple[Hook, str], error: str
) -> None:
    server = start_garbage_server(GARBAGE[error])
    try:
        host = f"http://127.0.0.1:{server.server_address[1]}"
        section = f'[alerts.webhook]\nurl = "{host}/services/T0/B0/secret-token"\n'
        write_config(config_file, ["webhook", "stdout"], section)
        failed = run("alert")
    finally:
        server.shutdown()
        server.server_close()
    assert failed.exit_code == 1
    assert failed.stderr == (
        f"Error: alert not delivered (webhook: {host}/… gave no valid HTTP answer ({error})); "
        "the next run retries it\n"
    )
    assert failed.stdout == first_digest(desk)  # the channel after the broken one delivered
    hook, url = webhook
    write_config(config_file, ["webhook", "stdout"], f'[alerts.webhook]\nurl = "{url}"\n')
    retried = run("alert", now=NOW + timedelta(minutes=1))
    assert (retried.exit_code, retried.stdout, retried.stderr) == (0, "", "")
    (post,) = hook.posts
    assert [t["author"] for t in post["threads"]] == ["alice", "carol"]


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (301, "Moved Permanently"),
        (302, "Found"),
        (303, "See Other"),
        (307, "Temporary Redirect"),
        (308, "Permanent Redirect"),
    ],
)
def test_a_redirecting_webhook_is_not_delivered(
    desk: DeskData, config_file: Path, webhook: tuple[Hook, str], status: int, reason: str
) -> None:
    """urllib turns a POST answered 301/302/303 into a GET without the body: not delivered."""
    hook, url = webhook
    write_config(config_file, ["webhook"], f'[alerts.webhook]\nurl = "{url}"\n')
    hook.status = status
    failed = run("alert")
    assert failed.exit_code == 1
    host = url.split("/services")[0]
    assert failed.stderr == (
        f"Error: alert not delivered (webhook: {host}/… answered {status} {reason}, a redirect "
        "(not followed: set [alerts.webhook] url to the final address)); the next run retries it\n"
    )
    assert "secret" not in failed.stderr
    assert (hook.gets, hook.posts) == ([], [])
    hook.status = 200
    retried = run("alert", now=NOW + timedelta(minutes=1))
    assert retried.exit_code == 0, retried.stderr
    assert len(hook.posts) == 1


def test_cron_sync_then_alert_against_the_sandbox(
    sandbox: Sandbox,
    sandbox_env: None,
    config_file: Path,
    smtp: tuple[Mailbox, int],
    webhook: tuple[Hook, str],
) -> None:
    """The cron line for real: sync from the X simulator, then alert, three times."""
    mailbox, port = smtp
    hook, url = webhook
    section = email_section(port) + f'[alerts.webhook]\nurl = "{url}"\n'
    write_config(config_file, ["stdout", "email", "webhook"], section)
    state = sandbox.state
    state.add_tweet(
        "ann", "@acmeroasters my parcel is lost", created_at=NOW - timedelta(minutes=30)
    )
    state.add_tweet("ben", "@acmeroasters hi!", created_at=NOW - timedelta(minutes=2))
    env = {**SMTP_ENV, "TWEETDESK_API_URL": sandbox.url}

    def cron(minutes: int) -> Result:
        now = NOW + timedelta(minutes=minutes)
        state.set_now(now)
        synced = run("sync", "--quiet", now=now, env=env)
        assert (synced.exit_code, synced.stdout, synced.stderr) == (0, "", "")
        return run("alert", now=now, env=env)

    first = cron(0)
    assert first.exit_code == 0, first.stderr
    assert "@ann  waiting 30m  (mention)" in first.stdout
    assert cron(10).stdout == ""
    state.add_tweet(
        "cat", "@acmeroasters where is my order?", created_at=NOW + timedelta(minutes=12)
    )
    third = cron(30)
    assert ("@cat  waiting 18m" in third.stdout, "@ben" in third.stdout) == (True, True)
    assert "@ann" not in third.stdout
    authors = [[t["author"] for t in post["threads"]] for post in hook.posts]
    assert authors == [["ann"], ["cat", "ben"]]
    assert len(mailbox.messages) == 2
    assert "@ann" not in mailbox.bodies()[1]


@pytest.mark.parametrize("command", ["alert", "stats", "usage", "evidence"])
def test_report_commands_have_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert f"Example: tweetdesk {command if command != 'alert' else 'sync'}" in result.stdout


def test_an_overlapping_run_sends_nothing(desk: DeskData, isolated: Path) -> None:
    from tweetdesk.store.lock import exclusive

    with exclusive(isolated / "desk.db.alert") as mine:
        assert mine
        result = run("alert")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "another tweetdesk alert is running on this desk; skipped\n"
    assert run("alert").stdout == first_digest(desk)


# --- --json ---------------------------------------------------------------------------------


def digest_body(desk: DeskData) -> str:
    return first_digest(desk).split("\n", 2)[2]


def test_dry_run_json_shows_what_each_channel_would_get(
    desk: DeskData, config_file: Path, webhook: tuple[Hook, str]
) -> None:
    hook, url = webhook
    desk.user(21, "pinger")
    desk.tweet(121, 21, NOW - timedelta(minutes=20), "@acme <!channel> look")
    write_config(config_file, ["stdout", "webhook"], f'[alerts.webhook]\nurl = "{url}"\n')
    result = run("alert", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    doc = json.loads(result.stdout)
    assert set(doc) == {"dry_run", "sync", "channels"}
    assert (doc["dry_run"], doc["sync"]) == (True, None)
    stdout, hooked = doc["channels"]["stdout"], doc["channels"]["webhook"]
    assert set(stdout) == {"subject", "text", "threads", "sync", "error"}
    assert stdout["subject"] == "tweetdesk: 3 overdue, 3 new"
    assert "@acme <!channel> look" in stdout["text"]  # plain text, as the terminal shows it
    assert "@acme &lt;!channel&gt; look" in hooked["text"]  # exactly what the webhook gets
    inbox = {t["number"]: t for t in json.loads(run("inbox", "--json").stdout)}
    assert stdout["threads"] == [inbox[t["number"]] for t in stdout["threads"]]
    assert [t["author"] for t in hooked["threads"]] == ["alice", "carol", "pinger"]
    assert hook.posts == []  # nothing sent, nothing recorded:
    assert run("alert").stdout.startswith("tweetdesk: 3 overdue, 3 new\n")


def test_json_reports_what_was_sent_and_records_it(desk: DeskData) -> None:
    first = run("alert", "--json")
    assert first.exit_code == 0, first.stderr
    doc = json.loads(first.stdout)  # the stdout channel's digest is the JSON, not text too
    assert doc["dry_run"] is False
    assert doc["channels"]["stdout"]["text"] == digest_body(desk)
    assert doc["channels"]["stdout"]["error"] is None
    again = run("alert", "--json", now=NOW + timedelta(minutes=5))
    assert json.loads(again.stdout) == {
        "dry_run": False,
        "sync": None,
        "channels": {"stdout": None},
    }
    assert run("alert", now=NOW + timedelta(minutes=5)).stdout == ""


def test_json_names_a_failing_channel_and_exits_1(
    desk: DeskData, config_file: Path, webhook: tuple[Hook, str]
) -> None:
    hook, url = webhook
    write_config(config_file, ["stdout", "webhook"], f'[alerts.webhook]\nurl = "{url}"\n')
    hook.status = 500
    result = run("alert", "--json")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: alert not delivered (webhook: ")
    channels = json.loads(result.stdout)["channels"]
    assert channels["stdout"]["error"] is None
    assert channels["webhook"]["error"].endswith("answered 500 Internal Server Error")
    assert "secret-token" not in result.stdout + result.stderr


def test_json_shows_a_stale_sync(isolated: Path) -> None:
    doc = json.loads(run("alert", "--dry-run", "--json").stdout)
    never = "Sync: tweetdesk has never synced successfully ([alerts] sync_max_age 1h)."
    assert doc["sync"] == never
    assert doc["channels"]["stdout"]["sync"] == never
    assert doc["channels"]["stdout"]["threads"] == []
