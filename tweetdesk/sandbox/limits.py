"""Rate-limit windows: X's 15-minute per-endpoint limits and the 24-hour caps on posts and DMs.

A window starts with its first request and is measured on the simulator's clock, so a test
advances the clock to reset it. Not thread-safe on its own: the state's lock guards it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=15)
DAY = timedelta(hours=24)
SCOPES = ("user", "app")


@dataclass
class Verdict:
    """One request counted in a window: the headers X sends about it, and whether it may pass."""

    limit: int
    remaining: int
    reset: int  # epoch seconds
    allowed: bool


class Windows:
    """Counts requests per key in fixed windows of `length`."""

    def __init__(self, length: timedelta) -> None:
        self.length = length
        self._used: dict[str, tuple[datetime, int]] = {}

    def _current(self, key: str, now: datetime) -> tuple[datetime, int]:
        start, used = self._used.get(key, (now, 0))
        if now >= start + self.length:
            start, used = now, 0
        return start, used

    def hit(self, key: str, limit: int, now: datetime) -> Verdict:
        """Count one request when there is room; say how much is left."""
        start, used = self._current(key, now)
        allowed = used < limit
        used += allowed
        self._used[key] = (start, used)
        return Verdict(limit, limit - used, int((start + self.length).timestamp()), allowed)

    def peek(self, key: str, limit: int, now: datetime) -> Verdict:
        start, used = self._current(key, now)
        return Verdict(limit, limit - used, int((start + self.length).timestamp()), used < limit)


class Limits:
    """The 15-minute limit of every endpoint and the 24-hour caps of posts and DMs."""

    def __init__(self, rate_limits: dict[str, int], daily_limits: dict[str, dict[str, int]]):
        self.rate_limits = rate_limits
        self.daily_limits = daily_limits
        self._windows = Windows(WINDOW)
        self._days = Windows(DAY)

    def hit(self, endpoint: str, now: datetime) -> Verdict:
        """Count one request in `endpoint`'s 15-minute window."""
        return self._windows.hit(endpoint, self.rate_limits.get(endpoint, 900), now)

    def window(self, endpoint: str, now: datetime) -> Verdict:
        return self._windows.peek(endpoint, self.rate_limits.get(endpoint, 900), now)

    def hit_daily(self, endpoint: str, now: datetime) -> tuple[dict[str, str], bool]:
        """Count one request against `endpoint`'s 24-hour caps, if it has any: the
        x-user/x-app-limit-24hour headers, and whether both caps still had room."""
        limits = self.daily_limits.get(endpoint)
        if not limits:
            return {}, True
        verdicts = {s: self._days.peek(f"{s} {endpoint}", limits[s], now) for s in SCOPES}
        allowed = all(v.allowed for v in verdicts.values())
        if allowed:
            verdicts = {s: self._days.hit(f"{s} {endpoint}", limits[s], now) for s in SCOPES}
        headers: dict[str, str] = {}
        for scope, verdict in verdicts.items():
            headers |= daily_headers(scope, verdict)
        return headers, allowed

    def daily_window(self, endpoint: str, scope: str, now: datetime) -> Verdict | None:
        limits = self.daily_limits.get(endpoint)
        return self._days.peek(f"{scope} {endpoint}", limits[scope], now) if limits else None


def rate_headers(verdict: Verdict) -> dict[str, str]:
    return {
        "x-rate-limit-limit": str(verdict.limit),
        "x-rate-limit-remaining": str(max(0, verdict.remaining)),
        "x-rate-limit-reset": str(verdict.reset),
    }


def daily_headers(scope: str, verdict: Verdict) -> dict[str, str]:
    """`x-user-limit-24hour-*` or `x-app-limit-24hour-*`, as X sends them on posts and DMs."""
    prefix = f"x-{scope}-limit-24hour-"
    return {
        prefix + "limit": str(verdict.limit),
        prefix + "remaining": str(max(0, verdict.remaining)),
        prefix + "reset": str(verdict.reset),
    }
