"""From request to answer: routes, faults, authentication, rate limits, headers and records.

Pure with respect to sockets: `respond` returns an `ApiResponse` that says how to answer (and
whether to wait or cut the connection); `server.py` does the I/O.
"""

from __future__ import annotations

import json
import re
import secrets
import time
import traceback
from collections.abc import Callable
from typing import Any

from tweetdesk.sandbox import dm_reads, dm_writes, oauth, problems, reads, writes
from tweetdesk.sandbox.gate import admit
from tweetdesk.sandbox.limits import daily_headers, rate_headers
from tweetdesk.sandbox.model import API_VERSION, ApiRequest, ApiResponse, Exchange, Fault
from tweetdesk.sandbox.state import SandboxState

Handler = Callable[[SandboxState, ApiRequest, list[str]], ApiResponse]
_STATIC_HEADERS = {
    "api-version": API_VERSION,
    "cache-control": "no-cache, no-store, max-age=0",
    "content-disposition": "attachment; filename=json.json",
    "perf": "7626143928",
    "strict-transport-security": "max-age=631138519",
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "x-xss-protection": "0",
}


def _json_body(req: ApiRequest) -> Any:
    if not req.body:
        return None
    try:
        return json.loads(req.body)
    except ValueError:
        raise problems.invalid_request("body", [], "Request body is not valid JSON.") from None


def _ok(body: dict[str, Any]) -> ApiResponse:
    return ApiResponse(200, body)


def _written(result: tuple[int, dict[str, Any], dict[str, str]]) -> ApiResponse:
    status, body, headers = result
    return ApiResponse(status, body, headers=headers)


# (method, path pattern, endpoint name as X's docs write it, handler)
ROUTES: list[tuple[str, re.Pattern[str], str, Handler]] = [
    ("GET", re.compile(r"/2/users/me"), "GET /2/users/me",
     lambda s, r, a: _ok(reads.users_me(s, r.query))),
    ("GET", re.compile(r"/2/users/([^/]+)/mentions"), "GET /2/users/:id/mentions",
     lambda s, r, a: _ok(reads.mentions(s, r.query, a[0]))),
    ("GET", re.compile(r"/2/users/([^/]+)/tweets"), "GET /2/users/:id/tweets",
     lambda s, r, a: _ok(reads.user_tweets(s, r.query, a[0]))),
    ("GET", re.compile(r"/2/tweets/search/recent"), "GET /2/tweets/search/recent",
     lambda s, r, a: _ok(reads.search_recent(s, r.query))),
    ("GET", re.compile(r"/2/tweets"), "GET /2/tweets",
     lambda s, r, a: _ok(reads.lookup(s, r.query))),
    ("GET", re.compile(r"/2/tweets/([^/]+)"), "GET /2/tweets/:id",
     lambda s, r, a: _ok(reads.lookup_one(s, r.query, a[0]))),
    ("POST", re.compile(r"/2/tweets"), "POST /2/tweets",
     lambda s, r, a: _written(writes.create_tweet(s, _json_body(r)))),
    ("DELETE", re.compile(r"/2/tweets/([^/]+)"), "DELETE /2/tweets/:id",
     lambda s, r, a: _written(writes.delete_tweet(s, a[0]))),
    ("POST", re.compile(r"/2/dm_conversations/with/([^/]+)/messages"),
     "POST /2/dm_conversations/with/:participant_id/messages",
     lambda s, r, a: _written(dm_writes.to_participant(s, a[0], _json_body(r)))),
    ("POST", re.compile(r"/2/dm_conversations/([^/]+)/messages"),
     "POST /2/dm_conversations/:dm_conversation_id/messages",
     lambda s, r, a: _written(dm_writes.to_conversation(s, a[0], _json_body(r)))),
    ("GET", re.compile(r"/2/dm_events"), "GET /2/dm_events",
     lambda s, r, a: _ok(dm_reads.all_events(s, r.query))),
    ("GET", re.compile(r"/2/dm_conversations/with/([^/]+)/dm_events"),
     "GET /2/dm_conversations/with/:participant_id/dm_events",
     lambda s, r, a: _ok(dm_reads.participant_events(s, r.query, a[0]))),
    ("GET", re.compile(r"/2/dm_conversations/([^/]+)/dm_events"),
     "GET /2/dm_conversations/:dm_conversation_id/dm_events",
     lambda s, r, a: _ok(dm_reads.conversation_events(s, r.query, a[0]))),
    ("POST", re.compile(r"/oauth/request_token"), "POST /oauth/request_token",
     lambda s, r, a: oauth.request_token(s, r)),
    ("GET", re.compile(r"/oauth/authorize"), "GET /oauth/authorize",
     lambda s, r, a: oauth.authorize(s, r)),
    ("POST", re.compile(r"/oauth/access_token"), "POST /oauth/access_token",
     lambda s, r, a: oauth.access_token(s, r)),
]  # fmt: skip


def find_route(method: str, path: str) -> tuple[str, Handler, list[str]] | None:
    for want, pattern, name, handler in ROUTES:
        match = pattern.fullmatch(path)
        if match and want == method:
            return name, handler, list(match.groups())
    return None


def _problem(error: problems.ApiProblem) -> ApiResponse:
    return ApiResponse(error.status, error.body, error.content_type, dict(error.headers))


def _process(state: SandboxState, req: ApiRequest) -> ApiResponse:
    """Authenticate, admit (permissions, limits), run the handler (lock held by the caller)."""
    route = find_route(req.method, req.path)
    if route is None:
        return _problem(problems.generic(404, "Sorry, that page does not exist."))
    name, handler, args = route
    rate: dict[str, str] = {}
    daily: dict[str, str] = {}
    try:
        if req.path.startswith("/2/"):
            oauth.check_api_auth(state, req)
            admitted = admit(state, req, name)
            rate, daily = admitted.rate, admitted.daily
        response = handler(state, req, args)
    except problems.ApiProblem as error:
        response = _problem(error)
    except Exception:
        state.internal_errors.append(traceback.format_exc())
        return _problem(problems.generic(500, "Internal Server Error"))
    # The 24-hour headers come with successes (a 403 from X was seen without them).
    extra = daily if 200 <= response.status < 300 else {}
    response.headers = {**rate, **extra, **response.headers}
    return response


def _fault_answer(state: SandboxState, fault: Fault, req: ApiRequest) -> ApiResponse:
    if fault.status is None:  # a bare drop: the page the client never fully receives
        body: Any = {"data": [{"id": "0", "text": "…"}], "meta": {"result_count": 1}}
        return ApiResponse(200, body)
    if fault.html:
        return ApiResponse(fault.status, problems.html_page(fault.status), problems.HTML)
    account = state.account["id"]
    response = _problem(
        problems.for_status(fault.status, account_id=account, monthly_cap=fault.monthly_cap)
    )
    if fault.status == 429:
        route = find_route(req.method, req.path)
        name = route[0] if route else f"{req.method} {req.path}"
        reset = int(state.now().timestamp()) + fault.reset_in
        response.headers = _limit_headers(state, name, fault.daily_cap, reset)
    return response


def _limit_headers(state: SandboxState, name: str, daily: str | None, reset: int) -> dict[str, str]:
    """A 429 fault's headers: the 15-minute window exhausted, or (a daily cap) left as it is
    while the 24-hour headers of `daily` ("user" or "app") show the cap reached."""
    with state.lock:
        window = state.limits.window(name, state.now())
        if daily is None:
            window.remaining, window.reset = 0, reset
            return rate_headers(window)
        headers = rate_headers(window)
        for scope in ("user", "app"):
            verdict = state.limits.daily_window(name, scope, state.now())
            if verdict is None:
                continue
            if scope == daily:
                verdict.remaining, verdict.reset = 0, reset
            headers |= daily_headers(scope, verdict)
        return headers


def respond(state: SandboxState, req: ApiRequest) -> ApiResponse:
    """The complete answer to one /2 or /oauth request, recorded in `state.exchanges`."""
    started = time.monotonic()
    with state.lock:
        state.release_due()
        route = find_route(req.method, req.path)
        if req.path.startswith("/2/"):
            state.count("requests", endpoint=route[0] if route else f"{req.method} {req.path}")
        fault = state.take_fault(req.method, req.path)
        # A fault answers instead of the API unless it only delays, or `commit` asks for the
        # real work first (then the client sees the fault although the write happened).
        if fault is None or fault.commit or (fault.status is None and not fault.drop):
            response = _process(state, req)
            if fault is not None and fault.status is not None:
                response = _fault_answer(state, fault, req)
        else:
            response = _fault_answer(state, fault, req)
        if fault is not None:
            response.delay, response.drop = fault.delay, fault.drop
        _finish_headers(state, response, started)
        state.exchanges.append(_record(req, response))
    return response


def _finish_headers(state: SandboxState, response: ApiResponse, started: float) -> None:
    headers = {"content-type": response.content_type, **_STATIC_HEADERS}
    headers["x-access-level"] = state.options.app_access_level
    headers["x-transaction-id"] = secrets.token_hex(8)
    headers["x-connection-hash"] = secrets.token_hex(32)
    headers["x-response-time"] = str(max(1, round((time.monotonic() - started) * 1000)))
    response.headers = {**headers, **response.headers}


def _record(req: ApiRequest, response: ApiResponse) -> Exchange:
    shown = dict(req.headers)
    if "authorization" in shown:  # keep the scheme only: the rest is a credential
        shown["authorization"] = shown["authorization"].split(" ", 1)[0] + " (redacted)"
    try:
        body: Any = json.loads(req.body) if req.body else None
    except ValueError:
        body = req.body.decode("utf-8", "replace")
    return Exchange(
        method=req.method,
        path=req.path,
        query={k: list(v) for k, v in req.query.items()},
        request_body=body,
        status=response.status,
        response_headers=dict(response.headers),
        response_body=json.loads(json.dumps(response.body)),
        request_headers=shown,
        dropped=response.drop,
    )
