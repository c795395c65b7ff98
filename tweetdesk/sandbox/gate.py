"""What a signed /2 request passes before its handler runs: the app's permissions, the 15-minute
rate limit and the 24-hour caps on posts and DMs (with the headers X sends about each)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tweetdesk.sandbox import problems
from tweetdesk.sandbox.limits import rate_headers
from tweetdesk.sandbox.model import ApiRequest
from tweetdesk.sandbox.state import SandboxState

_LEVELS = ("read", "read-write", "read-write-directmessages")


@dataclass
class Admitted:
    """Headers for the answer: rate-limit headers always, the 24-hour ones on a success."""

    rate: dict[str, str] = field(default_factory=dict)
    daily: dict[str, str] = field(default_factory=dict)


def needed_level(method: str, path: str) -> str:
    """The app permission an endpoint needs: DMs need DM access, other writes need write."""
    if path.startswith(("/2/dm_events", "/2/dm_conversations")):
        return "read-write-directmessages"
    return "read" if method == "GET" else "read-write"


def admit(state: SandboxState, req: ApiRequest, endpoint: str) -> Admitted:
    """Raise X's 403 or 429 when the request may not pass; count it in its windows."""
    have = state.options.app_access_level
    if _LEVELS.index(have) < _LEVELS.index(needed_level(req.method, req.path)):
        # Assumed order: X refuses before counting the request against its limits.
        raise problems.missing_permission()
    verdict = state.hit_rate_limit(endpoint)
    admitted = Admitted(rate=rate_headers(verdict))
    if not verdict.allowed:
        raise problems.ApiProblem(429, problems.rate_limited().body, admitted.rate)
    with state.lock:
        admitted.daily, allowed = state.limits.hit_daily(endpoint, state.now())
    if not allowed:
        # A daily cap: the 15-minute window still has room, the 24-hour headers say when the
        # cap resets. X's body for it is not recorded; the plain 429 problem is assumed.
        headers = {**admitted.rate, **admitted.daily}
        raise problems.ApiProblem(429, problems.rate_limited().body, headers)
    return admitted
