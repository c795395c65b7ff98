"""Alert delivery: email (smtplib, STARTTLS or implicit TLS) and webhook (JSON POST).

Secrets come from the environment variables the config names, never from the file, and never
appear in a message; a password never goes over the network unencrypted. A webhook URL carries
its secret in its path, query or user info, so messages show its scheme, host and port only and
withhold any server text that quotes the URL. Every failure becomes a `DeliveryError` with one
line for a person.
"""

from __future__ import annotations

import base64
import http
import http.client
import smtplib
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import partial
from typing import Any

from tweetdesk import __version__
from tweetdesk.alerts.digest import Digest, Send, webhook_payload
from tweetdesk.alerts.episodes import DeliveryError
from tweetdesk.config.schema import mask_url, url_secrets
from tweetdesk.config.settings import EmailSettings, Settings, plaintext_login
from tweetdesk.output.safe import json_safe, one_line


def senders(
    settings: Settings, env: Mapping[str, str], stdout: Callable[[Digest], None]
) -> dict[str, Send]:
    """One sender per configured channel, in the configured order."""
    timeout = settings.timeout.total_seconds()
    out: dict[str, Send] = {}
    for channel in settings.alert_channels:
        if channel == "stdout":
            out[channel] = stdout
        elif channel == "email" and settings.email is not None:
            out[channel] = partial(send_email, settings.email, env, timeout=timeout)
        elif channel == "webhook" and settings.webhook_url is not None:
            out[channel] = partial(post_webhook, settings.webhook_url, timeout=timeout)
    return out


# --- email --------------------------------------------------------------------------------------


def smtp_login(cfg: EmailSettings, env: Mapping[str, str]) -> tuple[str, str] | None:
    """The SMTP user and password from the environment variables the config names."""
    if not cfg.username_env or not cfg.password_env:
        return None
    values = []
    for key, var in (("username_env", cfg.username_env), ("password_env", cfg.password_env)):
        value = env.get(var)
        if not value:
            raise DeliveryError(
                f"email: environment variable {var} (named by [alerts.email] {key}) is not set"
            )
        values.append(value)
    return values[0], values[1]


def email_message(cfg: EmailSettings, digest: Digest) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = digest.subject
    msg["From"] = cfg.sender
    msg["To"] = ", ".join(cfg.to)
    msg["Date"] = format_datetime(digest.at)
    msg["Message-ID"] = make_msgid(domain="tweetdesk.local")
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to an alert
    msg.set_content(digest.text)
    return msg


def send_email(
    cfg: EmailSettings, env: Mapping[str, str], digest: Digest, *, timeout: float
) -> None:
    login = smtp_login(cfg, env)
    where = f"{cfg.host}:{cfg.port}"
    if plaintext_login(cfg):  # load_settings refuses it too: never send the password in clear
        raise DeliveryError(
            f"email: refusing to log in to {where} without starttls or ssl ([alerts.email])"
        )
    # The default context verifies the server; SSL_CERT_FILE points it at a private CA.
    context = ssl.create_default_context()
    try:
        client: smtplib.SMTP
        if cfg.ssl:
            client = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(cfg.host, cfg.port, timeout=timeout)
        with client:
            if cfg.starttls and not cfg.ssl:
                client.starttls(context=context)
            if login is not None:
                _login(client, login, where)
            client.send_message(email_message(cfg, digest))
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"email: {where} refused the login ({exc.smtp_code})") from None
    except smtplib.SMTPNotSupportedError as exc:
        raise DeliveryError(f"email: {where} does not support it: {exc}") from None
    except (smtplib.SMTPException, OSError, ValueError) as exc:
        raise DeliveryError(f"email: cannot send through {where}: {_short(exc)}") from None


def _login(client: smtplib.SMTP, login: tuple[str, str], where: str) -> None:
    try:
        client.login(*login)
    except UnicodeError:
        # smtplib sends AUTH in ASCII; the codec's message would quote a character of the secret.
        raise DeliveryError(
            f"email: cannot log in to {where}: the user name or password in the environment "
            "is not ASCII"
        ) from None


# --- webhook ------------------------------------------------------------------------------------


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """urllib would follow a 301/302/303 as a body-less GET: the alert would be lost unseen."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx status


def post_webhook(url: str, digest: Digest, *, timeout: float) -> None:
    body = json_safe(webhook_payload(digest)).encode("utf-8")
    target, headers = _without_userinfo(url)
    request = urllib.request.Request(  # noqa: S310 - config accepts only http(s) URLs
        target,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": f"tweetdesk/{__version__}",
            **headers,
        },
    )
    host = mask_url(url)
    opener = urllib.request.build_opener(_RefuseRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryError(_http_error(url, exc)) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        said = _unless_quoting(url, _short(reason)) or type(reason).__name__
        raise DeliveryError(f"webhook: cannot reach {host}: {said}") from None
    except (http.client.HTTPException, ValueError) as exc:
        # Their text can quote the status line or the whole URL (whose path is the secret).
        raise DeliveryError(
            f"webhook: {host} gave no valid HTTP answer ({type(exc).__name__})"
        ) from None


def _without_userinfo(url: str) -> tuple[str, dict[str, str]]:
    """`https://user:password@host/...` as Basic auth: urllib would take the user info for
    part of the host name and look it up in DNS, secret and all."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, {}
    netloc = parts.netloc.rpartition("@")[2]
    user = urllib.parse.unquote(parts.username or "")
    secret = urllib.parse.unquote(parts.password or "")
    token = base64.b64encode(f"{user}:{secret}".encode()).decode("ascii")
    return parts._replace(netloc=netloc).geturl(), {"Authorization": f"Basic {token}"}


def _http_error(url: str, exc: urllib.error.HTTPError) -> str:
    said = f"webhook: {mask_url(url)} answered {exc.code} {_reason(url, exc)}".rstrip()
    if 300 <= exc.code < 400:
        return f"{said}, a redirect (not followed: set [alerts.webhook] url to the final address)"
    return said


def _reason(url: str, exc: urllib.error.HTTPError) -> str:
    """The server's reason phrase, unless it quotes the URL (some echo the path): then the
    standard phrase for the code."""
    said = _unless_quoting(url, str(exc.reason or ""))
    if said is not None:
        return one_line(said, 80)
    try:
        return http.HTTPStatus(exc.code).phrase
    except ValueError:
        return ""


def _unless_quoting(url: str, text: str) -> str | None:
    """The text, or None when it contains any part of the URL after its host."""
    folded = text.casefold()
    return None if any(part.casefold() in folded for part in url_secrets(url)) else text


def _short(exc: object) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 160 else type(exc).__name__
