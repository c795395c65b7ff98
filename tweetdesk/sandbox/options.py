"""How strict the simulator is: behaviours of real X, and the kinder ones a test may ask for.

The defaults are X's behaviour wherever tweetdesk's client copes with it (timeline lag, no
`source`, signatures over the host really requested); `STRICT` names the values X really shows
for every option (scenario `"options": {"strict": true}`, or `POST /_sandbox/options`). Credentials
stay optional by default, for the simulator's own tests with dummy keys; `tweetdesk demo`,
`sandbox serve` and the client's test fixtures require them. docs/sandbox.md says what each
option is based on.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, cast

ACCESS_LEVELS = ("read", "read-write", "read-write-directmessages")
SIGNATURE_HOSTS = ("any", "sent")


@dataclass(frozen=True)
class Options:
    """See docs/sandbox.md, *Options*."""

    # The own-tweets timeline and recent search leave out posts younger than this (seconds).
    timeline_lag_seconds: float = 5.0
    # GET /2/dm_events leaves out events younger than this; the per-conversation reads do not.
    dm_events_lag_seconds: float = 0.0
    # X retired the `source` tweet field; False leaves it out even when requested.
    serve_source: bool = False
    # "any": a signature over the simulator's URL or api.twitter.com/api.x.com is accepted;
    # "sent": only over the scheme and host the request was really sent to.
    signature_host: str = "sent"
    # True: a scenario without `credentials` requires the sandbox keys `sandbox serve` prints.
    require_credentials: bool = False
    # The app's permission: "read-write" lacks DM access, "read" lacks writes as well.
    app_access_level: str = "read-write-directmessages"
    # True: the mentions timeline also lists posts that quote the account without an @mention.
    quotes_in_mentions: bool = False

    def updated(self, changes: dict[str, Any]) -> Options:
        return replace(self, **changes)


# The behaviour of real X, for every option (most defaults are already X's).
STRICT: dict[str, Any] = {
    "timeline_lag_seconds": 5.0,
    "dm_events_lag_seconds": 5.0,
    "serve_source": False,
    "signature_host": "sent",
    "require_credentials": True,
}
_TYPES: dict[str, tuple[type, ...]] = {
    "timeline_lag_seconds": (int, float),
    "dm_events_lag_seconds": (int, float),
    "serve_source": (bool,),
    "signature_host": (str,),
    "require_credentials": (bool,),
    "app_access_level": (str,),
    "quotes_in_mentions": (bool,),
}
_CHOICES = {"signature_host": SIGNATURE_HOSTS, "app_access_level": ACCESS_LEVELS}
NAMES = tuple(f.name for f in fields(Options))


def option_changes(value: Any) -> dict[str, Any]:
    """Validated option values from JSON (`"strict": true` expands to `STRICT`); ValueError names
    the bad key."""
    if not isinstance(value, dict):
        raise ValueError("must be a JSON object")
    changes: dict[str, Any] = {}
    strict = value.get("strict", False)
    if not isinstance(strict, bool):
        raise ValueError("'strict' must be true or false")
    if strict:
        changes.update(STRICT)
    item: Any
    for key, item in value.items():
        if key == "strict":
            continue
        if key not in _TYPES:
            raise ValueError(f"unknown option {key!r} (known: strict, {', '.join(NAMES)})")
        wrong_bool = isinstance(item, bool) and bool not in _TYPES[key]
        if wrong_bool or not isinstance(item, _TYPES[key]):
            raise ValueError(f"option {key!r} has the wrong type ({type(item).__name__})")
        if key in _CHOICES and item not in _CHOICES[key]:
            raise ValueError(f"option {key!r} must be one of {', '.join(_CHOICES[key])}")
        if key.endswith("_seconds"):
            item = float(cast(float, item))
            if item < 0:
                raise ValueError(f"option {key!r} must be >= 0")
        changes[key] = item
    return changes


def as_json(options: Options) -> dict[str, Any]:
    return {name: getattr(options, name) for name in NAMES}
