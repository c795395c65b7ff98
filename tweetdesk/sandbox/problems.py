"""X's error bodies: RFC 7807 problems, and the invalid-request shape for bad parameters.

Each builder returns an `ApiProblem` to raise from a handler; the router turns it into a response
with content type application/problem+json (the media type the OpenAPI description gives them),
except where real X is known to send `application/json` instead (duplicate content).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

PROBLEMS = "https://api.twitter.com/2/problems/"
DUPLICATE_DETAIL = "You are not allowed to create a Tweet with duplicate content."
REPLY_DETAIL = (
    "Reply to this conversation is not allowed because you have not been mentioned or otherwise "
    "engaged by the author of the post you are replying to."
)
DM_REFUSED_DETAIL = (
    "You cannot send messages to this user: their settings do not accept messages from you."
)
PERMISSIONS_DETAIL = (  # as reported from X (plhery/node-twitter-api-v2#493)
    "Your client app is not configured with the appropriate oauth1 app permissions for this "
    "endpoint."
)
# X's wording for this one is not known (no recording or report found): assumed.
NOT_PARTICIPANT_DETAIL = "You are not a participant in this conversation."
PROBLEM_JSON = "application/problem+json"
JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"
TOO_LONG_MESSAGE = (
    "Your Tweet text is too long. For more information on how Twitter determines text length "
    "see https://github.com/twitter/twitter-text."
)


class ApiProblem(Exception):
    """An error answer: HTTP status, JSON body and extra headers."""

    def __init__(
        self,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
        content_type: str = PROBLEM_JSON,
    ):
        super().__init__(f"{status} {body.get('title')}: {body.get('detail')}")
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.content_type = content_type


def generic(status: int, detail: str | None = None) -> ApiProblem:
    """The about:blank problem X uses for plain 401/403/404/429/5xx answers."""
    title = HTTPStatus(status).phrase
    body = {"title": title, "detail": detail or title, "type": "about:blank", "status": status}
    return ApiProblem(status, body)


def unauthorized() -> ApiProblem:
    return generic(401, "Unauthorized")


def forbidden(detail: str) -> ApiProblem:
    return generic(403, detail)


def duplicate_content() -> ApiProblem:
    """X's duplicate-content refusal, with the `application/json` content type X really sends
    (recorded in akrherz/iembot#163 and plhery/node-twitter-api-v2#469), not problem+json."""
    error = forbidden(DUPLICATE_DETAIL)
    error.content_type = JSON
    return error


def missing_permission() -> ApiProblem:
    """The app's OAuth 1.0a permissions lack this endpoint (no DM access, or read-only)."""
    body = {
        "title": "Forbidden",
        "type": PROBLEMS + "oauth1-permissions",
        "status": 403,
        "detail": PERMISSIONS_DETAIL,
    }
    return ApiProblem(403, body)


def invalid_request(parameter: str, value: str | list[str], message: str) -> ApiProblem:
    """400 in X's invalid-request shape: which parameter, its value, and why."""
    values = value if isinstance(value, list) else [value]
    body = {
        "errors": [{"parameters": {parameter: values}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": PROBLEMS + "invalid-request",
    }
    return ApiProblem(400, body)


def not_found_item(kind: str, parameter: str, value: str) -> dict[str, Any]:
    """One resource-not-found entry, as X puts them in `errors` of a 200 lookup answer."""
    plural = "ids" if parameter == "ids" else parameter
    return {
        "value": value,
        "detail": f"Could not find {kind} with {plural}: [{value}].",
        "title": "Not Found Error",
        "resource_type": kind,
        "parameter": parameter,
        "resource_id": value,
        "type": PROBLEMS + "resource-not-found",
    }


def not_found(kind: str, parameter: str, value: str) -> ApiProblem:
    return ApiProblem(404, not_found_item(kind, parameter, value))


def rate_limited() -> ApiProblem:
    return generic(429, "Too Many Requests")


def usage_capped() -> ApiProblem:
    body = {
        "title": "UsageCapExceeded",
        "detail": "Usage cap exceeded: Monthly product cap",
        "type": PROBLEMS + "usage-capped",
        "period": "Monthly",
        "scope": "Product",
    }
    return ApiProblem(429, body)


def credits_depleted(account_id: str) -> ApiProblem:
    body = {
        "title": "CreditsDepleted",
        "detail": f"Your enrolled account [{account_id}] does not have any credits to fulfill "
        "this request.",
        "type": PROBLEMS + "credits",
    }
    return ApiProblem(402, body)


def for_status(status: int, *, account_id: str, monthly_cap: bool = False) -> ApiProblem:
    """The body X sends with `status` when nothing more specific applies (used by faults)."""
    if status == 402:
        return credits_depleted(account_id)
    if status == 429:
        return usage_capped() if monthly_cap else rate_limited()
    if status == 400:
        return invalid_request("request", "", "The request could not be processed.")
    return generic(status)


def html_page(status: int) -> str:
    """An HTML page instead of JSON: a 503 from X's edge, or a captive portal's 200 (the page's
    wording is the simulator's own: X's exact page is not recorded)."""
    if status == 200:
        return (
            "<!DOCTYPE html><html><head><title>Sign in to the network</title></head><body>"
            "<h1>Welcome!</h1><p>Please accept the terms of use to continue browsing.</p>"
            "</body></html>"
        )
    phrase = HTTPStatus(status).phrase
    return (
        f"<!DOCTYPE html><html><head><title>{status} {phrase}</title></head><body>"
        f"<h1>{status} {phrase}</h1><p>Something is technically wrong. Please try again "
        "later.</p></body></html>"
    )
