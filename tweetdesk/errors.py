"""The one exit-code enum and the errors the core raises.

The core raises a `TweetdeskError` subclass with a message meant for a person; `cli/app.py` maps
it to one line on stderr and the subclass's exit code. Nothing else decides exit codes.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # an API failure, or an action a guard refused
    USAGE = 2  # bad arguments, bad config, invalid texts or input files
    OVERDUE = 3  # `overdue --exit-code` found an overdue thread
    RATE_LIMITED = 4  # retry later; the message says when


class TweetdeskError(Exception):
    """Base class: a failure with a message for a person and an exit code."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(TweetdeskError):
    """Bad arguments or input (ids, texts, files)."""

    exit_code = ExitCode.USAGE


class ConfigError(UsageError):
    """A bad config file, key or value; the message names the key."""


class NotFoundError(UsageError):
    """An id, thread number or @username that names nothing stored."""


class StoreError(TweetdeskError):
    """The database file cannot be used (locked, damaged, written by a newer tweetdesk)."""


class ForeignDatabase(StoreError):
    """The configured database file is not tweetdesk's: a configuration error; left untouched."""

    exit_code = ExitCode.USAGE


class GuardRefused(TweetdeskError):
    """A guard refused an action before any request was sent."""


class Cancelled(GuardRefused):
    """The person answered no to a question (take a breath, a bulk run): nothing was sent.
    Printed as it is, not as an error (exit 1)."""

    def __init__(self, message: str = "Cancelled, nothing sent.") -> None:
        super().__init__(message)


class BudgetExceeded(GuardRefused):
    """The monthly budget would be exceeded."""


class ApiError(TweetdeskError):
    """The X API answered with an error (or did not answer)."""

    status: int | None = None

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class AuthError(ApiError):
    """X refused the credentials (401) or the login (PIN flow), or a login was cancelled (exit 1).
    Missing or incomplete credentials are a setup error instead: ConfigError (exit 2)."""


class CreditsDepleted(ApiError):
    """402: the X developer account has no credits left."""


class Forbidden(ApiError):
    """403 that matches none of the known variants."""


class ReplyNotAllowed(Forbidden):
    """403: X lets an app reply only to posts that mention or quote the account."""


class DuplicateContent(Forbidden):
    """403: the account already posted this exact text."""


class DmRefused(Forbidden):
    """403: the customer's settings refuse a DM from the account. Raised for that refusal only
    (it is what lets `dm --fallback` ask in public instead)."""


class AppForbidden(Forbidden):
    """403: the developer app is not allowed this (its permissions or its access in the X
    Developer Console); fixed there, never by posting something else."""


class ApiNotFound(ApiError):
    """404: the tweet or user is gone."""


class RateLimited(ApiError):
    """429: try again after `reset_at`. `daily` names a spent 24-hour cap ("user" or "app"):
    then `reset_at` is when that day-long window resets, not the 15-minute one."""

    exit_code = ExitCode.RATE_LIMITED

    def __init__(
        self,
        message: str,
        *,
        reset_at: datetime | None,
        monthly: bool = False,
        daily: str | None = None,
    ) -> None:
        super().__init__(message, status=429)
        self.reset_at = reset_at
        self.monthly = monthly
        self.daily = daily


class ServerError(ApiError):
    """5xx after the bounded retries."""


class NetworkError(ApiError):
    """Timeout or connection failure after the bounded retries (the outcome may be unknown)."""


class UnreadableAnswer(NetworkError):
    """A 2xx answer whose body is not X's JSON (a captive portal, a proxy's page): X may or may
    not have seen the request, so a write is in doubt, as after a timeout."""
