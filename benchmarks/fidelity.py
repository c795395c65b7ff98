"""The check every run starts with: the stand-in answers exactly what the built-in simulator does.

The small `check` desk (every text and shape, X's caps lowered to 120 mentions and 150 own
tweets so that both bite) is grown sync by sync in `tweetdesk.sandbox` (its public API only:
load_scenario, SandboxState, SandboxServer) while `tweetdesk sync` runs against it at each
TWEETDESK_NOW, then once more with nothing new. From the recorded requests the protocol is
learned (protocol.learn). Then the same desk is written by xwire and planned by protocol.plan,
and the run stops unless:

1. every user and tweet record is the simulator's, field for field;
2. every request tweetdesk made has a planned page, byte for byte the simulator's body, with the
   simulator's headers (names, order and values, but for ids and the response time);
3. tweetdesk synced through the stand-in makes the same requests and ends with the same
   `inbox --json`, and the bare loop through the stand-in makes the same requests too.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import desks
import protocol
import xwire
from procs import BASELINE_SYNC, PYTHON, BenchError, run
from standin import StandIn

Env = Callable[[Path, int, "str | None"], dict]


def account_spec(now_ms: int) -> dict[str, Any]:
    """The simulator's account (the "empty" scenario)."""
    from tweetdesk.sandbox import load_scenario

    return dict(load_scenario("empty", xwire.at_ms(now_ms)).account)


def wire_of(desk: desks.Desk, account: dict[str, Any]) -> tuple[xwire.Wire, list[dict]]:
    """The desk's users and tweets, written as X stores them (records in event order)."""
    wire = xwire.Wire()
    wire.add_user(account["username"], account)
    for username, spec in desk.users:
        wire.add_user(username, spec)
    records: list[dict] = []
    for event in desk.events:
        parent = int(records[event.reply_to]["id"]) if event.reply_to is not None else None
        records.append(
            wire.add_tweet(
                event.author, event.text, event.at_ms, reply_to=parent, source=event.source
            )
        )
    return wire, records


def check(td: str, work: Path, env: Env) -> tuple[protocol.Protocol, dict[str, Any]]:
    desk = desks.check()
    times = [*desk.syncs, desk.syncs[-1]]  # three syncs, then one with nothing new
    account = account_spec(desk.now_ms)
    recorded, sim_records = _simulate(desk, times, td, work / "sim.db", env)
    proto = protocol.learn(list(zip(times, recorded, strict=True)))
    wire, records = wire_of(desk, account)
    _same_records(wire, records, sim_records)
    index = protocol.Index.of(wire, account["username"], desk.queries)
    compared = 0
    with StandIn(proto) as standin:
        cursors: dict[str, protocol.Cursor] = {}
        for k, (now_ms, exchanges) in enumerate(zip(times, recorded, strict=True)):
            pages, cursors = protocol.plan(
                index, proto, cursors, now_ms,
                mentions_cap=desk.mentions_cap, timeline_cap=desk.timeline_cap,
            )  # fmt: skip
            compared += _same_pages(k, exchanges, pages)
            standin.record = []
            standin.serve(pages, now_ms)
            run([td, "sync", "--quiet"], env(work / "standin.db", now_ms, standin.url))
            _same_headers(k, exchanges, standin.record, now_ms)
            standin.record = None
            _same_requests(f"sync {k + 1}: tweetdesk", standin.stats(), exchanges)
            standin.serve(pages, now_ms, client="bare loop")
            proto_file = work / "protocol.json"
            proto_file.write_text(proto.to_json())
            argv = [PYTHON, str(BASELINE_SYNC), str(proto_file), standin.url]
            run(
                [*argv, str(work / "bare.db"), xwire.iso_ms(now_ms)],
                env(work / "bare.db", now_ms, None),
            )
            _same_requests(f"sync {k + 1}: bare loop", standin.stats(), exchanges)
    listed = [
        run([td, "inbox", "--json"], env(work / name, times[-1], None)).stdout
        for name in ("sim.db", "standin.db")
    ]
    if json.loads(listed[0]) != json.loads(listed[1]):
        raise BenchError(
            "fidelity: `inbox --json` differs between the simulator's desk and the stand-in's"
        )
    requests = sum(len(e) for e in recorded)
    return proto, {
        "desk": desk.shape(),
        "syncs": len(times),
        "requests": requests,
        "pages_compared": compared,
        "records_compared": len(records) + len(desk.users) + 1,
        "threads_listed": len(json.loads(listed[0])),
    }


def _simulate(
    desk: desks.Desk, times: list[int], td: str, db: Path, env: Env
) -> tuple[list[list[Any]], list[dict]]:
    from tweetdesk.sandbox import SandboxServer, SandboxState, load_scenario

    scenario = load_scenario("empty", xwire.at_ms(desk.now_ms))
    scenario.mentions_cap, scenario.timeline_cap = desk.mentions_cap, desk.timeline_cap
    clock = [xwire.at_ms(times[0])]
    state = SandboxState(scenario, clock=lambda: clock[0])
    users = [state.add_user(name, **spec) for name, spec in desk.users]
    records: list[dict] = []
    recorded: list[list[Any]] = []
    with SandboxServer(state) as server:
        for now_ms in times:
            while len(records) < len(desk.events) and desk.events[len(records)].at_ms < now_ms:
                event = desk.events[len(records)]
                parent = records[event.reply_to]["id"] if event.reply_to is not None else None
                found = state.add_tweet(
                    event.author, event.text, created_at=xwire.at_ms(event.at_ms),
                    in_reply_to=parent, source=event.source,
                )  # fmt: skip
                records.append(found)
            clock[0] = xwire.at_ms(now_ms)
            before = len(state.exchanges)
            run([td, "sync", "--quiet"], env(db, now_ms, server.url))
            recorded.append(state.exchanges[before:])
    if len(records) != len(desk.events):
        raise BenchError("fidelity: the check desk has tweets after its last sync")
    return recorded, [*users, *records]


def _same_records(wire: xwire.Wire, records: list[dict], simulated: list[dict]) -> None:
    users = [u for u in wire.users.values() if u["username"] != desks.ACCOUNT]
    mine = [*users, *records]
    for ours, theirs in zip(mine, simulated, strict=True):
        if "username" not in theirs:  # a tweet's public_metrics move with time: pages compare them
            theirs = {k: v for k, v in theirs.items() if k != "public_metrics"}
        if ours != theirs:
            raise BenchError(f"fidelity: record differs from the simulator's:\n{ours}\n{theirs}")


def _same_pages(k: int, exchanges: list[Any], pages: dict[protocol.Key, protocol.Page]) -> int:
    for ex in exchanges:
        key = protocol.key_of(ex.method, ex.path, {n: v[0] for n, v in ex.query.items()})
        page = pages.get(key)
        if page is None:
            planned = "\n  ".join(protocol.shown(p) for p in pages)
            raise BenchError(
                f"fidelity: sync {k + 1}: tweetdesk asked {protocol.shown(key)}, which the "
                f"stand-in did not plan; it planned:\n  {planned}"
            )
        theirs = json.dumps(ex.response_body, ensure_ascii=False).encode()
        if page.raw != theirs:
            raise BenchError(
                f"fidelity: sync {k + 1}: {protocol.shown(key)}: the stand-in's page differs "
                f"from the simulator's:\n{page.raw[:600]!r}\n{theirs[:600]!r}"
            )
    return len(exchanges)


def _same_headers(k: int, exchanges: list[Any], sent: list[Any], now_ms: int) -> None:
    if len(sent) != len(exchanges):
        raise BenchError(f"fidelity: sync {k + 1}: {len(sent)} answers, simulator {len(exchanges)}")
    for ex, (_, _, headers) in zip(exchanges, sent, strict=True):
        ours = [(n, v) for n, v in headers if n in ex.response_headers]
        theirs = [(n, v) for n, v in ex.response_headers.items()]
        if [n for n, _ in ours] != [n for n, _ in theirs] or any(
            a != b
            for (n, a), (_, b) in zip(ours, theirs, strict=True)
            if n not in protocol.VOLATILE
        ):
            raise BenchError(f"fidelity: sync {k + 1}: headers differ:\n{ours}\n{theirs}")


def _same_requests(label: str, stats: dict[str, Any], exchanges: list[Any]) -> None:
    if stats["unexpected"]:
        raise BenchError(
            f"fidelity: {label}: the stand-in had no page for " + "; ".join(stats["unexpected"])
        )
    wanted = Counter(
        protocol.key_of(ex.method, ex.path, {n: v[0] for n, v in ex.query.items()})
        for ex in exchanges
    )
    if stats["served"] != wanted:
        extra = stats["served"] - wanted
        missing = wanted - stats["served"]
        raise BenchError(
            f"fidelity: {label} made other requests than tweetdesk made to the simulator: "
            f"extra {[protocol.shown(k) for k in extra]}, "
            f"missing {[protocol.shown(k) for k in missing]}"
        )
