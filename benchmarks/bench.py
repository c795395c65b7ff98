"""The measurements of one desk: grown sync by sync, listed, resynced idle; the flooded desk's
first sync with the cap lifted. Every tweetdesk figure has its baseline measured beside it."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

import desks
import fidelity
import protocol
import xwire
from listing import Listings
from procs import (
    BASELINE_SYNC,
    PYTHON,
    BenchError,
    Done,
    Timings,
    desk_env,
    log,
    run,
    tweetdesk_script,
)
from profiling import cprofile_process
from standin import StandIn

# The bare-loop baseline fetches mentions, own tweets and search, so DM sync is off here (the
# benchmark desks have no DMs; what a DM sync reads is measured in tests/test_dms.py), and so is
# the search for quotes of the account's posts (the desks have none).
CONFIG = """[listen]
queries = ['"Acme Roasters"']
quotes = false

[dms]
sync = false

[tags]
shipping = ["order", "delivery", "arrived", "#shipping"]
refunds = ["refund", "charged twice"]
wholesale = ["wholesale", "cafés"]
"""
LIFTED = 10**9


class Bench(Listings):
    def __init__(self, args: Any, home: Path) -> None:
        self.args = args
        self.home = home
        self.td = tweetdesk_script()
        self.config = home / "config.toml"
        self.config.write_text(CONFIG)
        self.notes: list[str] = []
        self.profile: dict[str, Any] = {"imports": {}, "cprofile": {}}
        self.proto: protocol.Protocol | None = None
        self.proto_file = home / "protocol.json"

    def env(self, db: Path, now_ms: int, api_url: str | None = None) -> dict[str, str]:
        return desk_env(self.home, db, self.config, xwire.iso_ms(now_ms), api_url)

    def check(self) -> dict[str, Any]:
        """Learn the client's requests and prove the stand-in answers them as the simulator."""
        work = self.home / "check"
        work.mkdir()
        self.proto, found = fidelity.check(self.td, work, self.env)
        self.proto_file.write_text(self.proto.to_json())
        return found

    # --- one desk ---------------------------------------------------------------------------

    def measure(self, desk: desks.Desk, *, first_sync: bool) -> dict[str, Any]:
        assert self.proto is not None
        work = self.home / desk.name
        work.mkdir()
        started = time.perf_counter()
        wire, _ = fidelity.wire_of(desk, fidelity.account_spec(desk.now_ms))
        index = protocol.Index.of(wire, desks.ACCOUNT, desk.queries)
        log(f"[{desk.name}] {desk.shape()} written in {time.perf_counter() - started:.1f} s")
        found: dict[str, Any] = {"shape": desk.shape(), "expected": desks.expected_threads(desk)}
        with StandIn(self.proto) as standin:
            if first_sync:
                found["first_sync"] = self.first_sync(desk, index, standin, work)
            found["growth"], cursors = self.grow(desk, index, standin, work)
            found["desk"] = self.describe(desk, work / "desk.db")
            found["listing"] = self.listing(desk, work / "desk.db")
            found["idle"] = self.idle(desk, index, standin, cursors, work)
        return found

    def first_sync(
        self, desk: desks.Desk, index: protocol.Index, standin: StandIn, work: Path
    ) -> dict[str, Any]:
        """A first sync of the whole desk at its now, X's caps lifted, against the bare loop."""
        assert self.proto is not None
        pages, _ = protocol.plan(
            index, self.proto, {}, desk.now_ms, mentions_cap=LIFTED, timeline_cap=LIFTED
        )
        sides: dict[str, Timings] = {"tweetdesk": Timings(), "baseline": Timings()}
        served: dict[str, dict[str, Any]] = {}
        server_s: dict[str, list[float]] = {"tweetdesk": [], "baseline": []}
        for rep in range(self.args.sync_repeat):
            order = ("tweetdesk", "baseline") if rep % 2 == 0 else ("baseline", "tweetdesk")
            for side in order:
                db = work / f"first-{side}-{rep}.db"
                done, stats = self._sync(side, pages, desk.now_ms, db, standin, fresh=True)
                sides[side].add(done)
                served.setdefault(side, stats)
                server_s[side].append(stats["server_seconds"])
                log(
                    f"[{desk.name}] first sync {side}: {done.wall:.2f} s, "
                    f"{done.max_rss_mb:.0f} MB, "
                    f"{stats['requests']} requests (stand-in {stats['server_seconds']:.3f} s)"
                )
                for leftover in work.glob(db.name + "*"):  # -wal, -shm, .lock
                    leftover.unlink()
        self._same_requests(f"{desk.name} first sync", served)
        if not self.args.no_profile:
            self._profile_sync("first sync", desk, pages, desk.now_ms, work, standin, fresh=True)
        return {
            **{side: t.as_dict() for side, t in sides.items()},
            "stand_in_s": {side: round(statistics.median(v), 4) for side, v in server_s.items()},
            "requests": served["tweetdesk"]["requests"],
            "by_endpoint": served["tweetdesk"]["by_endpoint"],
            "minimum": protocol.minimum_requests(pages, with_me=True),
            "tweets_served": _tweets(pages),
        }

    def grow(
        self, desk: desks.Desk, index: protocol.Index, standin: StandIn, work: Path
    ) -> tuple[dict[str, Any], dict[str, protocol.Cursor]]:
        """Sync by sync, TWEETDESK_NOW advancing, X's caps kept: tweetdesk and the bare loop."""
        assert self.proto is not None
        cursors: dict[str, protocol.Cursor] = {}
        walls = {"tweetdesk": 0.0, "baseline": 0.0}
        requests, minimum, differ = 0, 0, 0
        standin.reset()
        step = max(1, len(desk.syncs) // 10)
        for k, now_ms in enumerate(desk.syncs):
            pages, cursors = protocol.plan(
                index, self.proto, cursors, now_ms,
                mentions_cap=desk.mentions_cap, timeline_cap=desk.timeline_cap,
            )  # fmt: skip
            served = {}
            for side in ("tweetdesk", "baseline"):
                db = work / ("desk.db" if side == "tweetdesk" else "baseline.db")
                done, served[side] = self._sync(side, pages, now_ms, db, standin, fresh=False)
                walls[side] += done.wall
            requests += served["tweetdesk"]["requests"]
            minimum += protocol.minimum_requests(pages, with_me=k == 0)
            differ += served["tweetdesk"]["served"] != served["baseline"]["served"]
            if k % step == 0 or k == len(desk.syncs) - 1:
                log(
                    f"[{desk.name}] sync {k + 1}/{len(desk.syncs)} at {xwire.iso_ms(now_ms)}: "
                    f"tweetdesk {walls['tweetdesk']:.1f} s, "
                    f"bare loop {walls['baseline']:.1f} s so far"
                )
        if differ:
            self.notes.append(f"{desk.name}: the bare loop's requests differed in {differ} syncs")
        return {
            "syncs": len(desk.syncs),
            "interval_h": round((desk.syncs[1] - desk.syncs[0]) / desks.HOUR, 1),
            "tweetdesk_s": round(walls["tweetdesk"], 2),
            "baseline_s": round(walls["baseline"], 2),
            "requests": requests,
            "minimum": minimum,
        }, cursors

    def idle(
        self,
        desk: desks.Desk,
        index: protocol.Index,
        standin: StandIn,
        cursors: dict[str, protocol.Cursor],
        work: Path,
    ) -> dict[str, Any]:
        """A resync at the desk's now with nothing new: empty since_id pages."""
        assert self.proto is not None
        pages, _ = protocol.plan(
            index, self.proto, cursors, desk.now_ms,
            mentions_cap=desk.mentions_cap, timeline_cap=desk.timeline_cap,
        )  # fmt: skip
        sides: dict[str, Timings] = {"tweetdesk": Timings(), "baseline": Timings()}
        served: dict[str, dict[str, Any]] = {}
        for rep in range(self.args.idle_repeat):
            order = ("tweetdesk", "baseline") if rep % 2 == 0 else ("baseline", "tweetdesk")
            for side in order:
                db = work / ("desk.db" if side == "tweetdesk" else "baseline.db")
                done, stats = self._sync(side, pages, desk.now_ms, db, standin, fresh=True)
                sides[side].add(done)
                served.setdefault(side, stats)
        self._same_requests(f"{desk.name} idle resync", served)
        if not self.args.no_profile:
            self._profile_sync("idle resync", desk, pages, desk.now_ms, work, standin, fresh=False)
        return {
            **{side: t.as_dict() for side, t in sides.items()},
            "requests": served["tweetdesk"]["requests"],
            "by_endpoint": served["tweetdesk"]["by_endpoint"],
            "minimum": protocol.minimum_requests(pages, with_me=False),
        }

    def _sync(
        self,
        side: str,
        pages: dict[protocol.Key, protocol.Page],
        now_ms: int,
        db: Path,
        standin: StandIn,
        *,
        fresh: bool,
    ) -> tuple[Done, dict[str, Any]]:
        """One sync by one side; fails loudly on any request the stand-in had no page for."""
        if fresh:
            standin.reset()
        standin.serve(pages, now_ms, client=side)
        if side == "tweetdesk":
            done = run(
                [self.td, "sync", "--quiet"], self.env(db, now_ms, standin.url), timeout=3600
            )
        else:
            argv = [PYTHON, str(BASELINE_SYNC), str(self.proto_file), standin.url, str(db)]
            done = run([*argv, xwire.iso_ms(now_ms)], self.env(db, now_ms), timeout=3600)
        stats = standin.stats()
        if stats["unexpected"]:
            raise BenchError(
                f"the stand-in had no page for {side}'s request(s) at {xwire.iso_ms(now_ms)}: "
                + "; ".join(stats["unexpected"][:5])
            )
        return done, stats

    def _same_requests(self, label: str, served: dict[str, dict[str, Any]]) -> None:
        if served["tweetdesk"]["served"] != served["baseline"]["served"]:
            extra = served["tweetdesk"]["served"] - served["baseline"]["served"]
            missing = served["baseline"]["served"] - served["tweetdesk"]["served"]
            self.notes.append(
                f"{label}: tweetdesk and the bare loop made different requests: tweetdesk only "
                f"{[protocol.shown(k) for k in list(extra)[:3]]}, bare loop only "
                f"{[protocol.shown(k) for k in list(missing)[:3]]}"
            )

    def _profile_sync(
        self, label: str, desk: desks.Desk, pages: Any, now_ms: int, work: Path, standin: StandIn,
        *, fresh: bool,
    ) -> None:  # fmt: skip
        # A first sync profiles into a new database; an idle resync profiles on the grown desk.
        db = work / ("profile.db" if fresh else "desk.db")
        standin.reset()
        standin.serve(pages, now_ms)
        out = work / f"{label.replace(' ', '-')}.prof"
        argv = [self.td, "sync", "--quiet"]
        found = cprofile_process(argv, self.env(db, now_ms, standin.url), out)
        self.profile["cprofile"][f"tweetdesk sync, {label} ({desk.name})"] = found
        log(f"[{desk.name}] profiled {label}: {found['total_s']} s under cProfile")
        if fresh:
            for leftover in work.glob(db.name + "*"):
                leftover.unlink()


def _tweets(pages: dict[protocol.Key, protocol.Page]) -> int:
    return sum(
        json.loads(p.raw)["meta"].get("result_count", 0)
        for p in pages.values()
        if p.endpoint != protocol.ENDPOINTS["me"]
    )
