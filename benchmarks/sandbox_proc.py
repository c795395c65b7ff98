"""Serve a SandboxState from a forked child process, so the simulator has its own core and GIL.

The parent builds the state once; every `SandboxProcess(state)` forks a fresh copy of it (same
data, zero counters, fresh rate-limit windows). The child reports the simulator's usage counters,
the status codes it answered, the query-parameter names of each endpoint, and the wall time its
HTTP handler spent (`server_seconds`), so a caller can tell client time from simulator time.

`fast_reads()` memoises the simulator's timeline reads (the newest-first lists and the
since/until/start/end filter), which the simulator otherwise rebuilds from every stored tweet on
each page: O(N) per page, O(N^2) per sync. The answers are unchanged (`verify_fast_reads` checks
it page by page); only the simulator's own CPU time shrinks, so that a 100k-mention desk can be
synced in a benchmark run and sync figures are less diluted by simulator time.
"""

from __future__ import annotations

import bisect
import contextlib
import multiprocessing as mp
import time
import traceback
from collections import Counter
from collections.abc import Callable
from typing import Any

from tweetdesk.sandbox.server import SandboxServer
from tweetdesk.sandbox.state import SandboxState

_FILTER_KEYS = ("since_id", "until_id", "start_time", "end_time")


def fast_reads() -> Callable[[], None]:
    """Memoise timeline reads; returns a function that undoes the patch."""
    from tweetdesk.sandbox import params, reads
    from tweetdesk.sandbox.timeline import Timeline

    plain_mentions, plain_tweets, plain_filtered, plain_page = (
        Timeline.mentions_of,
        Timeline.tweets_of,
        reads._filtered,
        reads._page,
    )
    cache: dict[Any, Any] = {}
    seen: list[Any] = [None]

    def remember(key: Any, version: Any, compute: Callable[[], Any]) -> Any:
        if seen[0] != version:  # any write (new or deleted tweet) drops everything
            cache.clear()
            seen[0] = version
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def version_of(timeline: Timeline) -> tuple[int, int, int]:
        return (id(timeline), len(timeline.tweets), len(timeline.deleted))

    def mentions_of(self: Timeline, user_id: str, cap: int) -> Any:
        v = version_of(self)
        return remember(("m", user_id, cap), v, lambda: plain_mentions(self, user_id, cap))

    def tweets_of(self: Timeline, user_id: str, cap: int) -> Any:
        v = version_of(self)
        return remember(("t", user_id, cap), v, lambda: plain_tweets(self, user_id, cap))

    def filtered(items: Any, query: Any, **options: Any) -> Any:
        bounds = tuple(params.one(query, k) for k in _FILTER_KEYS)
        key = ("f", id(items), bounds, tuple(sorted(options.items())))
        hit = cache.get(key)
        if hit is not None and hit[0] is items:  # the very same cached list, not a reused id
            return hit[1]
        result = plain_filtered(items, query, **options)
        cache[key] = (items, result)
        return result

    def page(items: Any, query: Any, size: int, token_name: str) -> Any:
        """Jump to an OLDER token's anchor by bisection instead of scanning every item."""
        token = params.one(query, token_name)
        if token is None:
            return plain_page(items, query, size, token_name)
        prefix, anchor = params.decode36(token, (params.OLDER, params.NEWER), token_name)
        if prefix != params.OLDER:
            return plain_page(items, query, size, token_name)
        hit = cache.get(("k", id(items)))
        if hit is None or hit[0] is not items:  # ids, negated: newest-first lists descend
            hit = (items, [-int(t["id"]) for t in items])
            cache[("k", id(items))] = hit
        start = bisect.bisect_right(hit[1], -anchor)  # the first item older than the anchor
        # The same answer from a short list: the page's items plus the overall newest and
        # oldest, which decide previous_token and next_token.
        short = items[start : start + size]
        if start > 0:
            short.insert(0, items[0])
        if start + size < len(items):
            short.append(items[-1])
        return plain_page(short, query, size, token_name)

    Timeline.mentions_of = mentions_of  # type: ignore[method-assign]
    Timeline.tweets_of = tweets_of  # type: ignore[method-assign]
    reads._filtered = filtered
    reads._page = page

    def undo() -> None:
        Timeline.mentions_of = plain_mentions  # type: ignore[method-assign]
        Timeline.tweets_of = plain_tweets  # type: ignore[method-assign]
        reads._filtered = plain_filtered
        reads._page = plain_page

    return undo


def _all_pages(state: SandboxState, query: dict[str, list[str]]) -> list[Any]:
    from tweetdesk.sandbox import reads

    pages = []
    uid = state.account["id"]
    for read in (reads.mentions, reads.user_tweets):
        q = dict(query)
        while True:
            with state.lock:
                body = read(state, q, uid)
            pages.append(body)
            token = body.get("meta", {}).get("next_token")
            if not token:
                break
            q = {**query, "pagination_token": [token]}
    return pages


def verify_fast_reads(state: SandboxState, query: dict[str, list[str]]) -> int:
    """Fetch every page with and without fast_reads; raise if any answer differs. Pages read."""
    plain = _all_pages(state, query)
    undo = fast_reads()
    try:
        fast = _all_pages(state, query)
    finally:
        undo()
    if plain != fast:
        raise AssertionError("fast_reads changed the simulator's answers")
    return len(plain)


# --- the child process ------------------------------------------------------------------------


class _Timer:
    def __init__(self) -> None:
        self.seconds = 0.0


def _time_handler(timer: _Timer) -> None:
    from tweetdesk.sandbox import server

    plain = server._Handler._serve

    def timed(self: Any) -> None:
        started = time.perf_counter()
        try:
            plain(self)
        finally:
            timer.seconds += time.perf_counter() - started

    server._Handler._serve = timed  # type: ignore[method-assign]


def _stats(state: SandboxState, timer: _Timer) -> dict[str, Any]:
    usage = state.usage()
    shapes: dict[str, set[str]] = {}
    for ex in state.exchanges:
        if ex.path.startswith("/2/"):
            shapes.setdefault(f"{ex.method} {_template(ex.path)}", set()).update(ex.query)
    return {
        "requests": usage["requests"],
        "posts_read": usage["posts_read"],
        "by_endpoint": usage["by_endpoint"],
        "statuses": dict(Counter(ex.status for ex in state.exchanges)),
        "params": {endpoint: sorted(names) for endpoint, names in shapes.items()},
        "server_seconds": round(timer.seconds, 4),
        "internal_errors": len(state.internal_errors),
    }


def _template(path: str) -> str:
    return "/".join(":id" if p.isdigit() and len(p) > 3 else p for p in path.split("/"))


def _child(state: SandboxState, conn: Any, fast: bool) -> None:
    try:
        if fast:
            fast_reads()
        timer = _Timer()
        _time_handler(timer)
        server = SandboxServer(state).start()
        conn.send(("ready", server.url))
    except BaseException:
        conn.send(("error", traceback.format_exc()))
        return
    try:
        while True:
            command = conn.recv()
            if command == "stats":
                conn.send(("stats", _stats(state, timer)))
            else:
                break
    finally:
        server.stop()


class SandboxProcess:
    """`with SandboxProcess(state) as sandbox:` -> sandbox.url, sandbox.stats(); always stopped."""

    def __init__(
        self, state: SandboxState, *, fast: bool = True, start_timeout: float = 30
    ) -> None:
        ctx = mp.get_context("fork")
        self._conn, child_conn = ctx.Pipe()
        self._proc = ctx.Process(target=_child, args=(state, child_conn, fast), daemon=True)
        self._timeout = start_timeout
        self.url = ""

    def __enter__(self) -> SandboxProcess:
        self._proc.start()
        kind, value = self._receive(self._timeout)
        if kind != "ready":
            self.stop()
            raise RuntimeError(f"the sandbox process failed to start:\n{value}")
        self.url = value
        return self

    def _receive(self, timeout: float) -> tuple[str, Any]:
        if not self._conn.poll(timeout):
            raise RuntimeError("the sandbox process did not answer")
        result: tuple[str, Any] = self._conn.recv()
        return result

    def stats(self) -> dict[str, Any]:
        self._conn.send("stats")
        return self._receive(120)[1]

    def stop(self) -> None:
        if self._proc.is_alive():
            with contextlib.suppress(BrokenPipeError, OSError):
                self._conn.send("stop")
            self._proc.join(10)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(5)
        self._conn.close()

    def __exit__(self, *exc: object) -> None:
        self.stop()
