"""The benchmark script keeps working: small desks through the whole run, figures as JSON; and
the stand-in's pages are X's wire format by X's OpenAPI description."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from openapi_conformance import require_spec, validate_exchange

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.e2e
def test_the_benchmark_runs_end_to_end_on_small_desks() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--smoke", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout)
    assert figures["notes"] == []  # same requests on both sides, desks listed as built
    first = figures["desks"]["flooded"]["first_sync"]
    assert first["requests"] == first["minimum"]
    assert first["tweetdesk"]["median_s"] > 0
    assert 0 < first["tweetdesk"]["peak_rss_mb"] < 1000
    for desk in figures["desks"].values():
        assert desk["growth"]["syncs"] >= 3
        assert desk["growth"]["requests"] == desk["growth"]["minimum"]
        assert desk["idle"]["requests"] == desk["idle"]["minimum"] == 3
        assert desk["listing"]["overdue"]["exit_codes"] == [3]  # the desks have overdue threads
    assert len(figures["rows"]) == 15
    assert figures["profile"]["cprofile"]  # the profile section ran too


def test_the_stand_in_pages_conform_to_x_openapi_description() -> None:
    require_spec()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import desks
    import fidelity
    import protocol

    from tweetdesk.sandbox import Exchange

    fields = "created_at,conversation_id,author_id,in_reply_to_user_id,referenced_tweets,"
    fields += "entities,public_metrics,source,lang,possibly_sensitive"
    users = "username,name,public_metrics,receives_your_dm,protected,verified,created_at,location"
    common = {"max_results": "100", "tweet.fields": fields, "user.fields": users}
    common["expansions"] = "author_id"
    me = "/2/users/135840343332583640"
    week, token = 7 * 86_400_000, "pagination_token"
    sources = [
        protocol.Source("mentions", "mentions", me + "/mentions", common, token, week),
        protocol.Source("own", "own", me + "/tweets", common, token, week),
        protocol.Source(
            "search", "search", "/2/tweets/search/recent", {**common, "query": desks.QUERY},
            "next_token", week - 60_000, desks.QUERY,
        ),
    ]  # fmt: skip
    formats = "%Y-%m-%dT%H:%M:%SZ"
    proto = protocol.Protocol("", "/2/users/me", {"user.fields": users}, sources, formats, {})
    desk = desks.check()
    wire, _ = fidelity.wire_of(desk, fidelity.account_spec(desk.now_ms))
    index = protocol.Index.of(wire, desks.ACCOUNT, desk.queries)
    cursors: dict[str, protocol.Cursor] = {}
    checked = 0
    for now_ms in [*desk.syncs, desk.syncs[-1]]:
        pages, cursors = protocol.plan(
            index, proto, cursors, now_ms, mentions_cap=120, timeline_cap=150
        )
        for (method, path, params), page in pages.items():
            body = json.loads(page.raw)
            headers = {"content-type": "application/json; charset=utf-8"}
            query_args = {k: [v] for k, v in params}
            validate_exchange(Exchange(method, path, query_args, None, 200, headers, body))
            checked += 1
    assert checked >= 16
