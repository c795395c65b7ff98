"""The /_sandbox control API: test plumbing for a simulator running in another process.

No authentication, not counted in usage, not recorded in `exchanges`; the simulator belongs on
loopback for that reason (docs/sandbox.md). Every bad body is a 400 `{"error": ...}` naming it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from tweetdesk.sandbox.model import ApiRequest, ApiResponse, iso_ms, parse_time
from tweetdesk.sandbox.options import as_json, option_changes
from tweetdesk.sandbox.scenario import parse_fault
from tweetdesk.sandbox.scenario_dms import check_dm
from tweetdesk.sandbox.state import SandboxState

Data = dict[str, Any]
_TWEET_EXTRA = ("lang", "reply_settings")


def control(state: SandboxState, req: ApiRequest) -> ApiResponse:
    """Answer one /_sandbox request."""
    try:
        data = json.loads(req.body) if req.body else {}
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        state.release_due()
        handler = _ROUTES.get((req.method, req.path))
        if handler is None:
            return ApiResponse(404, {"error": f"no control endpoint {req.method} {req.path}"})
        status, body = handler(state, data)
        return ApiResponse(status, body)
    except (ValueError, TypeError, KeyError) as exc:
        return ApiResponse(400, {"error": str(exc)})


def _usage(state: SandboxState, data: Data) -> tuple[int, Any]:
    return 200, state.usage()


def _fault(state: SandboxState, data: Data) -> tuple[int, Any]:
    fault = parse_fault(data, "control request", 0)
    state.add_fault(fault)
    return 201, {"data": dict(vars(fault))}


def _tweet(state: SandboxState, data: Data) -> tuple[int, Any]:
    """A tweet arriving now: its id is above every other (X's ids grow with creation), while
    `minutes_ago` only backdates its `created_at`."""
    when = state.now() - timedelta(minutes=float(data.get("minutes_ago", 0)))
    record = state.add_tweet(
        str(data["author"]),
        str(data["text"]),
        created_at=when,
        in_reply_to=data.get("in_reply_to"),
        quote_of=data.get("quote_of"),
        source=str(data.get("source", "Twitter Web App")),
        fresh_id=True,
        **{key: str(data[key]) for key in _TWEET_EXTRA if key in data},
    )
    return 201, {"data": record}


def _dm(state: SandboxState, data: Data) -> tuple[int, Any]:
    """A DM item as in a scenario's `dms` (without a time: now); like a tweet, it arrives now."""
    timed = {"minutes_ago", "created_at"} & set(data) or data.get("answers_next_dm")
    item = check_dm(data if timed else {**data, "minutes_ago": 0}, state.now(),
                    state.account["username"], "control request", "dm")  # fmt: skip
    event = state.add_dm_item(item, fresh_id=True)
    return 201, {"data": event or {"answers_next_dm": True, "from": item["from"]}}


def _dms(state: SandboxState, data: Data) -> tuple[int, Any]:
    return 200, {"data": state.dm_events()}


def _clock(state: SandboxState, data: Data) -> tuple[int, Any]:
    if "now" in data:
        state.set_now(parse_time(str(data["now"])))
    if "advance_seconds" in data:
        state.advance(float(data["advance_seconds"]))
    return 200, {"now": iso_ms(state.now())}


def _options(state: SandboxState, data: Data) -> tuple[int, Any]:
    return 200, {"data": as_json(state.set_options(option_changes(data)))}


_ROUTES: dict[tuple[str, str], Callable[[SandboxState, Data], tuple[int, Any]]] = {
    ("GET", "/_sandbox/usage"): _usage,
    ("POST", "/_sandbox/faults"): _fault,
    ("POST", "/_sandbox/tweets"): _tweet,
    ("POST", "/_sandbox/dms"): _dm,
    ("GET", "/_sandbox/dms"): _dms,
    ("GET", "/_sandbox/clock"): _clock,
    ("POST", "/_sandbox/clock"): _clock,
    ("GET", "/_sandbox/options"): _options,
    ("POST", "/_sandbox/options"): _options,
}
