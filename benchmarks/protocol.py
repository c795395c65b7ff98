"""What the client asks X, learned from its requests to the built-in simulator, and every page
of one sync planned from it.

A sync reads, per source (mentions timeline, own timeline, each [listen] search): a first page
bounded by `since_id` (the newest tweet the source gave before) or, the first time and while a
source has given nothing, by `start_time`; then the pages its `next_token`s lead to. `learn`
takes the constant parameters (max_results, fields, expansions), the token parameter and how far
back `start_time` reaches from the recorded requests; `plan` writes the pages of one sync. A
request outside that plan gets no page: the stand-in answers 400 and the run stops.
"""

from __future__ import annotations

import bisect
import gzip
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import xpages
import xwire
from xpages import Selection
from xwire import Unsupported, Wire

WINDOW_KEYS = ("since_id", "until_id", "start_time", "end_time")
TOKEN_KEYS = ("pagination_token", "next_token")
VOLATILE = ("x-transaction-id", "x-connection-hash", "x-response-time")
RATE = ("x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset")
ENDPOINTS = {
    "me": "GET /2/users/me",
    "mentions": "GET /2/users/:id/mentions",
    "own": "GET /2/users/:id/tweets",
    "search": "GET /2/tweets/search/recent",
}
Key = tuple[str, str, tuple[tuple[str, str], ...]]
SEARCH_MS = xwire.SEARCH_WINDOW_MS


def key_of(method: str, path: str, params: dict[str, str] | list[tuple[str, str]]) -> Key:
    items = params.items() if isinstance(params, dict) else params
    return (method, path, tuple(sorted(items)))


def shown(key: Key) -> str:
    method, path, items = key
    return f"{method} {path}?" + "&".join(f"{k}={quote(v, safe=',:')}" for k, v in items)


@dataclass
class Source:
    name: str  # mentions, own, search:<query>
    kind: str  # mentions, own, search
    path: str
    params: dict[str, str]
    token: str
    start_offset_ms: int
    query: str | None = None

    @property
    def endpoint(self) -> str:
        return ENDPOINTS[self.kind]


@dataclass
class Protocol:
    account_id: str
    me_path: str
    me_params: dict[str, str]
    sources: list[Source]
    time_format: str
    headers: dict[str, list[tuple[str, str | None]]]  # endpoint -> (name, value or None=volatile)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> Protocol:
        raw = json.loads(text)
        raw["sources"] = [Source(**s) for s in raw["sources"]]
        raw["headers"] = {k: [tuple(p) for p in v] for k, v in raw["headers"].items()}
        return cls(**raw)


@dataclass
class Page:
    endpoint: str
    raw: bytes
    gz: bytes


@dataclass
class Cursor:
    since_id: int | None = None
    floor: str | None = None  # start_time, fixed by the first sync


# --- learning ---------------------------------------------------------------------------------


def kind_of(path: str) -> str:
    if path == "/2/users/me":
        return "me"
    if path.startswith("/2/users/") and path.endswith("/mentions"):
        return "mentions"
    if path.startswith("/2/users/") and path.endswith("/tweets"):
        return "own"
    if path == "/2/tweets/search/recent":
        return "search"
    raise Unsupported(f"the client asked for {path}, which the stand-in does not serve")


def learn(syncs: list[tuple[int, list[Any]]]) -> Protocol:
    """The protocol behind recorded exchanges: [(now_ms, [Exchange, ...]) per sync]."""
    first_now = syncs[0][0]
    seen: dict[str, list[dict[str, str]]] = {}
    paths: dict[str, str] = {}
    headers: dict[str, list[tuple[str, str | None]]] = {}
    starts: dict[str, str] = {}
    for now_ms, exchanges in syncs:
        for ex in exchanges:
            if ex.status != 200:
                raise Unsupported(
                    f"the client's {ex.method} {ex.path} got {ex.status} in the check"
                )
            query = {k: v[0] for k, v in ex.query.items()}
            kind = kind_of(ex.path)
            name = f"search:{query.get('query')}" if kind == "search" else kind
            seen.setdefault(name, []).append(query)
            paths[name] = ex.path
            endpoint = ENDPOINTS[kind]
            headers.setdefault(endpoint, _header_plan(ex.response_headers))
            if now_ms == first_now and "start_time" in query and name not in starts:
                starts[name] = query["start_time"]
    if "me" not in seen:
        raise Unsupported("the client never asked GET /2/users/me in the check")
    time_format = _time_format(next(iter(starts.values()), ""))
    sources = []
    for name, queries in seen.items():
        if name == "me":
            continue
        sources.append(_source(name, paths[name], queries, starts, first_now, time_format))
    me = dict(seen["me"][0])
    account_id = paths["mentions"].split("/")[3] if "mentions" in paths else ""
    return Protocol(account_id, paths["me"], me, sources, time_format, headers)


def _source(
    name: str,
    path: str,
    queries: list[dict[str, str]],
    starts: dict[str, str],
    first_now: int,
    time_format: str,
) -> Source:
    constant = [
        {k: v for k, v in q.items() if k not in (*WINDOW_KEYS, *TOKEN_KEYS)} for q in queries
    ]
    if any(c != constant[0] for c in constant):
        raise Unsupported(f"{name}: the client's parameters change from request to request")
    tokens = {k for q in queries for k in q if k in TOKEN_KEYS}
    if len(tokens) != 1:
        raise Unsupported(f"{name}: saw token parameters {sorted(tokens)} in the check (want one)")
    if name not in starts:
        raise Unsupported(f"{name}: the client's first sync sent no start_time")
    start = datetime.strptime(starts[name], time_format).replace(tzinfo=UTC)
    kind = name.split(":", 1)[0]
    query = constant[0].get("query") if kind == "search" else None
    offset = first_now - xwire.ms_of(start)
    return Source(name, kind, path, constant[0], tokens.pop(), offset, query)


def _time_format(value: str) -> str:
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ"):
        try:
            datetime.strptime(value, fmt)
            return fmt
        except ValueError:
            continue
    raise Unsupported(f"start_time {value!r} is in no format the stand-in writes")


def _header_plan(recorded: dict[str, str]) -> list[tuple[str, str | None]]:
    return [(k, None if k in (*VOLATILE, *RATE[1:]) else v) for k, v in recorded.items()]


# --- planning one sync ------------------------------------------------------------------------


@dataclass
class Index:
    """Ascending ids per source kind, for a Wire of one desk."""

    wire: Wire
    account_id: str
    mentions: list[int] = field(default_factory=list)
    own: list[int] = field(default_factory=list)
    search: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, wire: Wire, account: str, queries: tuple[str, ...]) -> Index:
        account_id = wire.names[account.lower()]
        index = cls(wire, account_id)
        matchers = {q: xwire.phrase_matcher(q) for q in queries}
        for number in wire.ids:
            record = wire.tweets[number]
            if record["author_id"] == account_id:
                index.own.append(number)
            elif wire.mentions(record, account):
                index.mentions.append(number)
            for query, matches in matchers.items():
                if matches(record["text"]):
                    index.search.setdefault(query, []).append(number)
        return index


def plan(
    index: Index,
    proto: Protocol,
    cursors: dict[str, Cursor],
    now_ms: int,
    *,
    mentions_cap: int,
    timeline_cap: int,
) -> tuple[dict[Key, Page], dict[str, Cursor]]:
    """Every page a sync at `now_ms` may ask for, and the cursors after it."""
    bound = xwire.snowflake(now_ms)  # the first id not yet posted at now
    wire = index.wire
    pages: dict[Key, Page] = {}
    me = {"data": wire.user(index.account_id, Selection.of(proto.me_params).user, bound)}
    pages[key_of("GET", proto.me_path, proto.me_params)] = _page(ENDPOINTS["me"], me)
    after: dict[str, Cursor] = {}
    for source in proto.sources:
        cursor = cursors.get(source.name) or Cursor()
        caps = (mentions_cap, timeline_cap)
        items, window = _items(index, source, cursor, now_ms, caps, proto.time_format)
        sel = Selection.of(source.params)
        size = int(source.params.get("max_results", "10"))
        params = {**source.params, **window}
        for chosen, meta in xpages.paginate(items, size, previous=source.kind != "search"):
            body = xpages.page_body(wire, chosen, sel, bound, meta)
            pages[key_of("GET", source.path, params)] = Page(source.endpoint, body, _gz(body))
            if "next_token" in meta:
                params = {**source.params, **window, source.token: meta["next_token"]}
        newest = items[0] if items else cursor.since_id
        after[source.name] = Cursor(newest, cursor.floor or window.get("start_time"))
    return pages, after


def _items(
    index: Index,
    source: Source,
    cursor: Cursor,
    now_ms: int,
    caps: tuple[int, int],
    time_format: str,
) -> tuple[list[int], dict[str, str]]:
    """The source's tweets this request window reaches (newest first), and the window."""
    ids = {"mentions": index.mentions, "own": index.own}.get(source.kind)
    if ids is None:
        ids = index.search.get(source.query or "", [])
    end = bisect.bisect_left(ids, xwire.snowflake(now_ms))
    if source.kind == "mentions":
        begin = max(0, end - caps[0])
    elif source.kind == "own":
        begin = max(0, end - caps[1])
    else:  # recent search: the last 7 days
        begin = bisect.bisect_left(ids, xwire.snowflake(now_ms - SEARCH_MS))
    if cursor.since_id is not None:
        if source.kind == "search" and xwire.id_ms(cursor.since_id) < now_ms - SEARCH_MS:
            raise Unsupported(f"{source.name}: since_id older than recent search's 7 days")
        window = {"since_id": str(cursor.since_id)}
        begin = max(begin, bisect.bisect_right(ids, cursor.since_id))
    else:
        if cursor.floor is not None and source.kind == "search":
            # tweetdesk then moves start_time with the 7-day window: not planned here.
            raise Unsupported(f"{source.name}: found nothing in the first sync (add brand talk)")
        floor = cursor.floor or xwire.at_ms(now_ms - source.start_offset_ms).strftime(time_format)
        window = {"start_time": floor}
        start = datetime.strptime(floor, time_format).replace(tzinfo=UTC)
        begin = max(begin, bisect.bisect_left(ids, xwire.snowflake(xwire.ms_of(start))))
    return ids[begin:end][::-1], window


def _page(endpoint: str, body: dict[str, Any]) -> Page:
    raw = json.dumps(body, ensure_ascii=False).encode()
    return Page(endpoint, raw, _gz(raw))


def _gz(raw: bytes) -> bytes:
    return gzip.compress(raw, mtime=0)


def minimum_requests(pages: dict[Key, Page], *, with_me: bool) -> int:
    """The fewest requests that fetch the sync's data: every source page (+ users/me)."""
    counts = Counter(p.endpoint for p in pages.values())
    return sum(n for e, n in counts.items() if e != ENDPOINTS["me"]) + (1 if with_me else 0)
