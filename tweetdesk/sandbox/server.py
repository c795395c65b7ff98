"""The HTTP side: a ThreadingHTTPServer serving a `SandboxState`, and the /_sandbox control API.

HTTP/1.1 with keep-alive and gzip, like X, so a client's connection pooling and decoding are
exercised; faults that delay or cut a response act here, outside the state's lock. The control
API itself is in control.py.
"""

from __future__ import annotations

import errno
import gzip
import json
import socket
import threading
import time
import traceback
from collections.abc import Callable
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tweetdesk.config.schema import is_loopback
from tweetdesk.errors import UsageError
from tweetdesk.sandbox import router
from tweetdesk.sandbox.control import control
from tweetdesk.sandbox.model import ApiRequest, ApiResponse
from tweetdesk.sandbox.state import SandboxState


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 64
    state: SandboxState

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Keep tracebacks out of the CLI's stderr; tests can read them from the state.
        self.state.internal_errors.append(traceback.format_exc())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60  # idle keep-alive connections end on their own
    # One buffered write per answer and no Nagle: otherwise delayed ACKs cost ~40 ms a request.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True
    server: _Server

    def version_string(self) -> str:
        return "tsa_b"

    def date_time_string(self, timestamp: float | None = None) -> str:
        # The simulator's clock, so Date and x-rate-limit-reset agree as they do on X.
        return formatdate(self.server.state.now().timestamp(), usegmt=True)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the CLI's stdout and stderr belong to the CLI

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = self.headers.get("Content-Length") or "0"
        size = int(length) if length.isdigit() else 0
        body = self.rfile.read(size) if size else b""
        request = ApiRequest(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            raw_query=parts.query,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            base_url="http://" + (self.headers.get("Host") or "localhost"),
        )
        if parts.path.startswith("/_sandbox/"):
            response = control(self.server.state, request)
        else:
            response = router.respond(self.server.state, request)
        if response.delay:
            time.sleep(response.delay)
        try:
            self._write(response)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout): nothing to answer

    def _write(self, response: ApiResponse) -> None:
        if isinstance(response.body, str):
            payload = response.body.encode()
        else:
            payload = json.dumps(response.body, ensure_ascii=False).encode()
        zipped = "gzip" in (self.headers.get("Accept-Encoding") or "")
        if zipped:
            payload = gzip.compress(payload, mtime=0)
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if zipped:
            self.send_header("content-encoding", "gzip")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        if response.drop:  # the server disappears mid-response
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(payload)


class _Server6(_Server):
    address_family = socket.AF_INET6


def _bind(host: str, port: int) -> _Server:
    """The listening server; a port in use or a bad address is the user's to fix (exit 2)."""
    server_class = _Server6 if ":" in host else _Server  # an IPv6 address: ::1, ::
    try:
        return server_class((host.strip("[]"), port), _Handler)
    except (OSError, OverflowError) as exc:  # OverflowError: a port outside 0-65535
        reason = getattr(exc, "strerror", None) or str(exc)
        hint = " (choose another --port, or --port 0 for a free one)"
        in_use = isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE
        raise UsageError(
            f"cannot serve on {host}:{port}: {reason}{hint if in_use else ''}"
        ) from None


_WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}  # noqa: S104 - names


class SandboxServer:
    """Serves `state` on a background thread; a context manager. Port 0 picks a free port."""

    def __init__(self, state: SandboxState, host: str = "127.0.0.1", port: int = 0) -> None:
        self.state = state
        self._httpd = _bind(host, port)
        self._httpd.state = state
        self._thread: threading.Thread | None = None
        bound_host, bound_port = str(self._httpd.server_address[0]), self._httpd.server_address[1]
        self.bound = (
            f"[{bound_host}]:{bound_port}" if ":" in bound_host else f"{bound_host}:{bound_port}"
        )
        # The /_sandbox control API has no authentication: only loopback keeps it on this machine.
        self.exposed = not is_loopback(bound_host)
        # The URL a client on this machine uses (a wildcard address is not one to connect to).
        shown = _WILDCARDS.get(bound_host, bound_host)
        shown = f"[{shown}]" if ":" in shown else shown
        self.url = f"http://{shown}:{bound_port}"

    def start(self) -> SandboxServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def serve(self) -> None:
        """Serve on the calling thread until KeyboardInterrupt."""
        try:
            self._httpd.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            self._httpd.server_close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def serve_forever(
    state: SandboxState, host: str, port: int, on_ready: Callable[[SandboxServer], None]
) -> None:
    """Serve until KeyboardInterrupt; `on_ready` gets the server once the port is bound."""
    server = SandboxServer(state, host, port)
    on_ready(server)
    server.serve()
