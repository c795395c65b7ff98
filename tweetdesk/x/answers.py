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
    AppForbidden,
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
        return forbidden(detail, dm, problem)
    if status == 404:
        return ApiNotFound(f"X says it is not there (404): {detail}", status=404)
    if status == 429:
        return rate_limited(headers, problem, dm)
    if status >= 500:
        return ServerError(f"X is failing ({status} {reason}); try again later", status=status)
    return ApiError(f"X refused the request ({status}): {detail}", status=status)


# X's refusal for the recipient's DM settings: v1.1 said "You cannot send messages to this user."
# (code 349) and "Sender is not verified to send message requests" (code 476: the customer takes
# message requests from verified accounts only); v2's exact detail is not recorded, so these
# phrases are matched wherever they appear in it.
DM_SETTINGS_REFUSALS = (
    "cannot send messages to this user",
    "not accept messages",
    "send message requests",
)
# The developer app itself is not allowed the request: its OAuth 1.0a permissions (the
# oauth1-permissions problem, plhery/node-twitter-api-v2#493; "not permitted to access this
# feature"), or its project and access level (the client-forbidden problem).
APP_PERMISSION_SIGNS = (
    "oauth1-permissions",
    "oauth1 app permissions",
    "not permitted to access this feature",
    "cannot perform write actions",
)
APP_ACCESS_SIGNS = (
    "client-forbidden",
    "client-not-enrolled",
    "attached to a project",
    "different access level",
)
QUOTE_LIMIT = 300  # X's own words are quoted, up to this many characters


def said(detail: str) -> str:
    """What X said, verbatim but safe to print on one line: control and format characters
    dropped, whitespace runs made one space, long texts cut."""
    import unicodedata

    kept = "".join(
        " " if ch.isspace() else ch for ch in detail if unicodedata.category(ch)[0] != "C"
    )
    text = " ".join(kept.split())
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def forbidden(detail: str, dm: bool, problem: Mapping[str, Any] | None = None) -> Forbidden:
    """Each 403 by its kind; one that is none of them quotes X and claims nothing."""
    low = detail.lower()
    signs = f"{low} {str((problem or {}).get('type', '')).lower()}"
    signs += f" {str((problem or {}).get('reason', '')).lower()}"
    quoted = f'"{said(detail)}"'
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
    if any(sign in signs for sign in APP_PERMISSION_SIGNS):
        return AppForbidden(
            f"X refused: the developer app lacks the permission for this (403: {quoted}); in "
            "the X Developer Console set the app's permissions to \"Read and write and Direct "
            'message", then run `tweetdesk auth login` again (tokens keep the permissions '
            "they were issued with)",
            status=403,
        )
    if any(sign in signs for sign in APP_ACCESS_SIGNS):
        return AppForbidden(
            f"X refused: the developer app has no access to this endpoint (403: {quoted}); "
            "check the app's project and access in the X Developer Console",
            status=403,
        )
    if dm and any(sign in low for sign in DM_SETTINGS_REFUSALS):
        return DmRefused(
            f"X refused the DM: the customer's settings do not accept it (403: {quoted})",
            status=403,
        )
    return Forbidden(f"X refused the request (403): {quoted}", status=403)


def _reset(value: str | None) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if value and value.isdigit() else None


def daily_cap(headers: Mapping[str, str]) -> tuple[str, datetime | None] | None:
    """The 24-hour cap a 429 ran into ("user" or "app", and when it resets), from X's
    x-user-limit-24hour-* and x-app-limit-24hour-* headers; None when neither is spent."""
    for scope in ("user", "app"):
        if headers.get(f"x-{scope}-limit-24hour-remaining") == "0":
            return scope, _reset(headers.get(f"x-{scope}-limit-24hour-reset"))
    return None


def rate_limited(
    headers: Mapping[str, str], problem: Mapping[str, Any], dm: bool = False
) -> RateLimited:
    monthly = problem.get("period") == "Monthly" or "usage-capped" in str(problem.get("type"))
    if monthly:
        return RateLimited(
            "X's monthly usage cap is reached (429): no more requests until the cap resets",
            reset_at=_reset(headers.get("x-rate-limit-reset")),
            monthly=True,
        )
    daily = daily_cap(headers)
    if daily is not None:
        scope, reset_at = daily
        whose = "this account's" if scope == "user" else "the developer app's"
        what = "DMs" if dm else "posts"
        when = f"after {reset_at:%Y-%m-%d %H:%M:%S} UTC" if reset_at else "tomorrow"
        return RateLimited(
            f"X's 24-hour limit on {whose} {what} is used up (429): retry {when}, when the "
            "daily window resets",
            reset_at=reset_at,
            daily=scope,
        )
    reset_at = _reset(headers.get("x-rate-limit-reset"))
    when = f" after {reset_at:%Y-%m-%d %H:%M:%S} UTC" if reset_at else " in a few minutes"
    return RateLimited(f"rate-limited by X (429): retry{when}", reset_at=reset_at)


def short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 160 else type(exc).__name__
