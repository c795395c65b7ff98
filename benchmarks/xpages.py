"""X API v2 pages, written directly: field selection, `data` + `includes` + `meta`, and the
cursor tokens of the timelines and recent search (which tweetdesk's simulator issues the same
way; fidelity.py checks every byte)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from xwire import Unsupported, Wire

from tweetdesk.sandbox.params import encode36

# Pagination token prefixes (opaque to a client; they name the tweet a page stops at).
OLDER = "7140dibdnow9c7bt"
NEWER = "77qpymm88g5h9vqk"


@dataclass(frozen=True)
class Selection:
    """tweet.fields, user.fields and expansions of a request."""

    tweet: frozenset[str]
    user: frozenset[str]
    author: bool

    @classmethod
    def of(cls, params: dict[str, str]) -> Selection:
        def listed(name: str) -> frozenset[str]:
            return frozenset(filter(None, params.get(name, "").split(",")))

        expansions = listed("expansions")
        if expansions - {"author_id"}:
            raise Unsupported(f"the stand-in renders only expansions=author_id, not {expansions}")
        return cls(listed("tweet.fields"), listed("user.fields"), "author_id" in expansions)


def page_body(
    wire: Wire,
    chosen: list[int],
    sel: Selection,
    bound: int,
    meta: dict[str, Any],
) -> bytes:
    """{"data", "includes", "meta"} for the tweets `chosen` (newest first), as JSON bytes."""
    body: dict[str, Any] = {}
    if chosen:
        records = [wire.tweets[n] for n in chosen]
        body["data"] = [wire.tweet(r, sel.tweet, bound) for r in records]
        if sel.author:
            authors = list(dict.fromkeys(r["author_id"] for r in records))
            body["includes"] = {"users": [wire.user(a, sel.user, bound) for a in authors]}
    body["meta"] = meta
    return json.dumps(body, ensure_ascii=False).encode()


def paginate(
    items: list[int], size: int, *, previous: bool
) -> list[tuple[list[int], dict[str, Any]]]:
    """The pages of newest-first `items` a client walks with next_token, and each page's meta.

    `previous`: timelines add previous_token to every page reached with a token; search has none.
    """
    pages: list[tuple[list[int], dict[str, Any]]] = []
    start = 0
    while True:
        chosen = items[start : start + size]
        meta: dict[str, Any] = {"result_count": len(chosen)}
        if chosen:
            meta.update(newest_id=str(chosen[0]), oldest_id=str(chosen[-1]))
            if start + size < len(items):
                meta["next_token"] = encode36(OLDER, chosen[-1])
            if previous and start > 0:
                meta["previous_token"] = encode36(NEWER, chosen[0])
        pages.append((chosen, meta))
        if "next_token" not in meta:
            return pages
        start += size
