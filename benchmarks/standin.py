"""The X API stand-in: pre-rendered pages served from a dict, so that serving costs ~nothing.

HTTP/1.1 with keep-alive (a thread per connection), gzip when the client accepts it (every page
is compressed once, beforehand), Content-Length, and X's headers as the built-in simulator sends
them (learned in the check): x-rate-limit-* counted per client and endpoint in 15-minute
windows of the desk's clock, Date from the desk's clock. The OAuth signature is not verified.

A request with no page (any other path, parameter or value), or one X would refuse for its rate
limit, is answered 400 with a problem body naming it, and recorded: the caller stops the run.
Served requests are counted per endpoint and per exact request; `server_seconds` is the time
spent answering (parsing the request to the last byte written).
"""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
from collections import Counter
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from protocol import Key, Page, Protocol, key_of
from xwire import Unsupported

WINDOW_MS = 15 * 60_000
REASONS = {200: "OK", 400: "Bad Request"}


class StandIn:
    def __init__(self, proto: Protocol) -> None:
        self.proto = proto
        self.limits = {
            endpoint: int(dict(plan)["x-rate-limit-limit"] or 0)
            for endpoint, plan in proto.headers.items()
        }
        self.pages: dict[Key, Page] = {}
        self.now_ms = 0
        self.client = "tweetdesk"
        self.lock = threading.Lock()
        self.windows: dict[tuple[str, str], tuple[int, int]] = {}
        self.record: list[tuple[Key, int, list[tuple[str, str]]]] | None = None
        self.reset()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._stopped = False

    # --- control ---------------------------------------------------------------------------

    def serve(self, pages: dict[Key, Page], now_ms: int, client: str = "tweetdesk") -> None:
        """The pages (and the desk's clock) for the next run; counters start from zero."""
        with self.lock:
            self.pages, self.now_ms, self.client = pages, now_ms, client
            self.served: Counter[Key] = Counter()
            self.by_endpoint: Counter[str] = Counter()
            self.unexpected: list[str] = []
            self.server_seconds = 0.0

    def reset(self) -> None:
        """Fresh rate-limit windows (a later day, for X)."""
        with self.lock:
            self.windows = {}
            self.served, self.by_endpoint, self.unexpected = Counter(), Counter(), []
            self.server_seconds = 0.0

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {
                "requests": sum(self.by_endpoint.values()),
                "by_endpoint": dict(self.by_endpoint),
                "served": Counter(self.served),
                "unexpected": list(self.unexpected),
                "not_requested": sum(1 for k in self.pages if k not in self.served),
                "server_seconds": round(self.server_seconds, 4),
            }

    def __enter__(self) -> StandIn:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopped = True
        self._sock.close()

    # --- HTTP ------------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stopped:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._connection, args=(conn,), daemon=True).start()

    def _connection(self, conn: socket.socket) -> None:
        buffer = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, buffer = buffer.split(b"\r\n\r\n", 1)
                started = time.perf_counter()
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0") or 0)
                while len(buffer) < length:
                    buffer += conn.recv(65536)
                buffer = buffer[length:]
                out, close = self._answer(method, target, headers)
                conn.sendall(out)
                with self.lock:
                    self.server_seconds += time.perf_counter() - started
                if close or headers.get("connection", "").lower() == "close":
                    return

    def _answer(self, method: str, target: str, headers: dict[str, str]) -> tuple[bytes, bool]:
        parts = urlsplit(target)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        key = key_of(method, parts.path, pairs)
        with self.lock:
            page = self.pages.get(key)
            why = "no pre-rendered page for this request in this sync"
            if page is not None and len({k for k, _ in pairs}) != len(pairs):
                page, why = None, "a repeated query parameter"
            if page is not None:
                rate, why = self._count(page.endpoint)
                if rate is None:
                    page = None
            if page is None:
                self.unexpected.append(f"{target} ({why})")
                return _problem(f"benchmark stand-in: {why}: {method} {target}"), True
            self.served[key] += 1
            self.by_endpoint[page.endpoint] += 1
        zipped = "gzip" in headers.get("accept-encoding", "")
        body = page.gz if zipped else page.raw
        lines = ["HTTP/1.1 200 OK", "server: tsa_b", f"date: {self._date()}"]
        for name, value in self.proto.headers[page.endpoint]:
            lines.append(f"{name}: {rate.get(name) or value or _volatile(name)}")
        if zipped:
            lines.append("content-encoding: gzip")
        lines.append(f"content-length: {len(body)}")
        if self.record is not None:
            sent = [tuple(line.split(": ", 1)) for line in lines[1:]]
            self.record.append((key, 200, sent))  # type: ignore[arg-type]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body, False

    def _count(self, endpoint: str) -> tuple[dict[str, str] | None, str]:
        """This request in its 15-minute window, as X counts it (lock held)."""
        limit = self.limits.get(endpoint, 0)
        start, used = self.windows.get((self.client, endpoint), (self.now_ms, 0))
        if self.now_ms >= start + WINDOW_MS:
            start, used = self.now_ms, 0
        if used >= limit:
            return None, f"X would refuse it: {endpoint} allows {limit} requests per 15 minutes"
        used += 1
        self.windows[(self.client, endpoint)] = (start, used)
        reset = str((start + WINDOW_MS) // 1000)
        rate = {"x-rate-limit-remaining": str(limit - used), "x-rate-limit-reset": reset}
        return rate, ""

    def _date(self) -> str:
        return formatdate(self.now_ms / 1000, usegmt=True)


def _volatile(name: str) -> str:
    if name == "x-transaction-id":
        return secrets.token_hex(8)
    if name == "x-connection-hash":
        return secrets.token_hex(32)
    if name == "x-response-time":
        return "1"
    raise Unsupported(f"no value for the header {name}")


def _problem(detail: str) -> bytes:
    body = json.dumps(
        {"title": "Invalid Request", "detail": detail, "type": "about:blank", "status": 400}
    ).encode()
    head = (
        "HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode() + body
