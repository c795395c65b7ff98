"""Check recorded exchanges against X's OpenAPI description (openapi-v2.166.json).

`validate_exchange(exchange)` validates the request (path and its parameters, query parameters,
JSON body) and the response (status, media type, body schema) of one `Exchange`, and raises
AssertionError naming the exchange and every schema error. Exchanges X's description does not
cover (the sandbox's /_sandbox control API, the /oauth PIN flow) are skipped silently.

The description is read once per test session from `../shared/x-api/openapi-v2.166.json` relative
to the repository root; when it is absent the calling test is skipped with the reason. openapi-core
validates an exchange in a few milliseconds once the description is loaded.
"""

from __future__ import annotations

import json
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC_PATH = ROOT.parent / "shared" / "x-api" / "openapi-v2.166.json"
SERVER = "https://api.x.com"
_SKIPPED_PREFIXES = ("/_sandbox/", "/oauth/")


def require_spec() -> Path:
    """The description's path; skips the calling test when it is not there."""
    if not SPEC_PATH.is_file():
        pytest.skip(f"X's OpenAPI description is not at {SPEC_PATH} (checked out beside the repo?)")
    return SPEC_PATH


@cache
def _openapi() -> Any:
    from openapi_core import Config, OpenAPI
    from openapi_core.deserializing.media_types.util import json_loads

    spec = json.loads(require_spec().read_text(encoding="utf-8"))
    # X serves error bodies as application/problem+json; openapi-core needs to be told it is JSON.
    config = Config(
        spec_validator_cls=None,  # the description is X's; checking it is not our job (and slow)
        extra_media_type_deserializers={"application/problem+json": json_loads},
    )
    return OpenAPI.from_dict(spec, config=config)


def _describe(error: BaseException) -> str:
    """The schema errors behind an openapi-core exception, one per line."""
    lines = [f"{type(error).__name__}: {error}"]
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        for inner in getattr(cause, "schema_errors", ()) or ():
            where = "/".join(str(p) for p in getattr(inner, "absolute_path", ()))
            lines.append(f"  at /{where}: {inner.message}")
        cause = cause.__cause__ or cause.__context__
    return "\n".join(lines)


def _requests(exchange: Any) -> tuple[Any, Any]:
    from openapi_core.testing import MockRequest, MockResponse

    headers = {"Authorization": "OAuth (redacted)"}
    recorded = {k.lower(): v for k, v in (getattr(exchange, "request_headers", None) or {}).items()}
    if recorded:
        headers = {k: v for k, v in recorded.items() if k == "authorization"}
    body = exchange.request_body
    data = json.dumps(body).encode() if body is not None else None
    request = MockRequest(
        SERVER,
        exchange.method,
        exchange.path,
        args={k: list(v) for k, v in exchange.query.items()},
        headers=headers,
        data=data,
        content_type="application/json",
    )
    response_headers = {k.lower(): v for k, v in exchange.response_headers.items()}
    media_type = response_headers.get("content-type", "application/json")
    if _problem_sent_as_json(exchange, media_type):
        # Real X sends some problems (duplicate content) as application/json, where the
        # description lists only `Error`: such a body is checked against `Problem` instead.
        media_type = "application/problem+json"
    response = MockResponse(
        json.dumps(exchange.response_body).encode(),
        status_code=exchange.status,
        headers=response_headers,
        content_type=media_type,
    )
    return request, response


def _problem_sent_as_json(exchange: Any, media_type: str) -> bool:
    body = exchange.response_body
    return (
        exchange.status >= 400
        and media_type.startswith("application/json")
        and isinstance(body, dict)
        and {"type", "title"} <= set(body)
        and not {"code", "message"} & set(body)
    )


def validate_exchange(exchange: Any, *, check_request: bool = True) -> None:
    """Raise AssertionError unless request and response conform to X's OpenAPI description.

    `check_request=False` checks only the response: for a request sent wrong on purpose, whose
    400 answer must still have X's shape.
    """
    if exchange.path.startswith(_SKIPPED_PREFIXES):
        return
    api = _openapi()
    label = f"{exchange.method} {exchange.path} -> {exchange.status}"
    recorded = {k.lower() for k in (getattr(exchange, "request_headers", None) or {})}
    if check_request and recorded and "authorization" not in recorded:
        raise AssertionError(f"{label}: request does not conform: no Authorization header")
    request, response = _requests(exchange)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openapi-core warns about the OAuth2 scheme it skips
        try:
            if check_request:
                api.validate_request(request)
        except Exception as error:
            raise AssertionError(f"{label}: request does not conform\n{_describe(error)}") from None
        if getattr(exchange, "dropped", False):
            return  # the client never received this response
        try:
            api.validate_response(request, response)
        except Exception as error:
            message = f"{label}: response does not conform\n{_describe(error)}"
            raise AssertionError(message) from None
