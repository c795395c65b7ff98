"""X API error answers → `TweetdeskError`s with a message for a person.

Plain data in (status, reason, the decoded problem body, headers), so this module needs no tweepy:
`twitter.translate` unwraps tweepy's and requests' exceptions and calls `from_answer`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tweetdesk.errors import (
    ApiError,
    ApiNotFound,
    AuthError,
    CreditsDepleted,
    DmRefused,
    DuplicateContent,
    Forbidden,
    RateLimited,
    ReplyNotAllowed,
    ServerError,
)


def reason_of(problem: Mapping[str, Any], fallback: str) -> str:
    """Why X refused: the first `errors[].message` (it names the parameter and the rule; the
    problem's `detail` is generic, "One or more parameters to your request was invalid."), else
    `detail`, else `fallback`."""
    errors = problem.get("errors")
    for error in errors if isinstance(errors, list) else ():
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
    old_style = problem.get("error")  # v1.1-style {"error": "..."}
    return str(problem.get("detail") or (old_style if isinstance(old_style, str) else fallback))


def from_answer(
    status: int,
    reason: str,
    problem: Mapping[str, Any],
    headers: Mapping[str, str],
    *,
    dm: bool = False,
) -> ApiError:
    """The error for one non-2xx answer of the X API."""
    detail = reason_of(problem, reason)
    if status == 401:
        return AuthError(
            "X rejected the credentials (401 Unauthorized): run `tweetdesk auth login` again "
            "(or check the TWEETDESK_* credential variables, if you use them)",
            status=401,
        )
    if status == 402:
        return CreditsDepleted(
            "X says the developer account has no credits left (402 CreditsDepleted): "
            "buy credits in the X Developer Console, then retry",
            status=402,
        )
    if status == 403:
        return forbidden(detail, dm)
    if status == 404:
        return ApiNotFound(f"X says it is not there (404): {detail}", status=404)
    if status == 429:
        return rate_limited(headers, problem)
    if status >= 500:
        return ServerError(f"X is failing ({status} {reason}); try again later", status=status)
    return ApiError(f"X refused the request ({status}): {detail}", status=status)


def forbidden(detail: str, dm: bool) -> Forbidden:
    low = detail.lower()
    if "duplicate" in low:
        return DuplicateContent(
            "X refused a duplicate: the account already posted this exact text (403)", status=403
        )
    if "not been mentioned or otherwise engaged" in low or "reply to this" in low:
        return ReplyNotAllowed(
            "X allows replies only to posts that mention or quote the account (403); "
            "use `tweetdesk dm` or answer in the X app",
            status=403,
        )
    if dm:
        return DmRefused(
            f"X refused the DM: the customer's settings do not accept it (403: {detail})",
            status=403,
        )
    return Forbidden(f"X refused the request (403): {detail}", status=403)


def rate_limited(headers: Mapping[str, str], problem: Mapping[str, Any]) -> RateLimited:
    monthly = problem.get("period") == "Monthly" or "usage-capped" in str(problem.get("type"))
    reset_header = headers.get("x-rate-limit-reset")
    reset_at = (
        datetime.fromtimestamp(int(reset_header), UTC)
        if reset_header and reset_header.isdigit()
        else None
    )
    if monthly:
        return RateLimited(
            "X's monthly usage cap is reached (429): no more requests until the cap resets",
            reset_at=reset_at,
            monthly=True,
        )
    when = f" after {reset_at:%Y-%m-%d %H:%M:%S} UTC" if reset_at else " in a few minutes"
    return RateLimited(f"rate-limited by X (429): retry{when}", reset_at=reset_at)


def short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 160 else type(exc).__name__
