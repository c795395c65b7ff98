"""Figures -> the Markdown table (what, tweetdesk, baseline, ratio, target) and text sections."""

from __future__ import annotations

from typing import Any

LISTING_TARGETS = {"inbox": 1.5, "overdue": 1.3}
SYNC_TARGET = 3.0


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _size(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def _verdict(ratio: float, target: float) -> str:
    return f"≤ {target:g}× {'ok' if ratio <= target else 'MISSED'}"


def rows_for(size: int, figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Table rows for one desk size."""
    rows = []
    listing = figures.get("listing")
    if listing:
        floor = listing["floor"]
        for name, label in (("inbox", "`inbox`"), ("overdue", "`overdue --exit-code`")):
            t = listing[name]
            ratio = t["median_s"] / floor["median_s"]
            rows.append(
                {
                    "what": f"{label} latency, {_size(size)} mentions (median, min)",
                    "tweetdesk": f"{_ms(t['median_s'])} ({_ms(t['min_s'])})",
                    "baseline": f"floor {_ms(floor['median_s'])} ({_ms(floor['min_s'])})",
                    "ratio": round(ratio, 2),
                    "target": _verdict(ratio, LISTING_TARGETS[name]),
                }
            )
    sync = figures.get("sync")
    if sync:
        rows += _sync_rows(size, sync)
    reqs = figures.get("requests")
    if reqs:
        for key, label in (("first", "first sync"), ("second", "second sync, nothing new")):
            r = reqs[key]
            ratio = r["tweetdesk"] / r["minimum"]
            rows.append(
                {
                    "what": f"requests, {label}, {_size(size)} mentions",
                    "tweetdesk": str(r["tweetdesk"]),
                    "baseline": f"minimum {r['minimum']}",
                    "ratio": round(ratio, 2),
                    "target": "= 1× " + ("ok" if ratio <= 1 else "MISSED"),
                }
            )
    return rows


def _sync_rows(size: int, sync: dict[str, Any]) -> list[dict[str, Any]]:
    td, base = sync["tweetdesk"], sync["baseline"]
    wall = td["median_s"] / base["median_s"]
    client = td["client_median_s"] / base["client_median_s"]
    runs = f"median of {td['runs']}" if td["runs"] > 1 else "1 run"
    return [
        {
            "what": f"first sync, {_size(size)} mentions, wall ({runs})",
            "tweetdesk": _s(td["median_s"]),
            "baseline": f"bare loop {_s(base['median_s'])}",
            "ratio": round(wall, 2),
            "target": _verdict(wall, SYNC_TARGET) + " (aim 2×)",
        },
        {
            "what": f"first sync, {_size(size)} mentions, client side (wall − simulator)",
            "tweetdesk": _s(td["client_median_s"]),
            "baseline": f"bare loop {_s(base['client_median_s'])}",
            "ratio": round(client, 2),
            "target": "(info)",
        },
    ]


def markdown_table(rows: list[dict[str, Any]]) -> str:
    head = "| what | tweetdesk | baseline | ratio | target |\n| --- | --- | --- | --- | --- |"
    body = [
        f"| {r['what']} | {r['tweetdesk']} | {r['baseline']} | {r['ratio']:.2f}× | {r['target']} |"
        for r in rows
    ]
    return "\n".join([head, *body])


def desk_lines(size: int, desk: dict[str, Any]) -> list[str]:
    shape, live = desk["shape"], desk["live"]
    return [
        f"desk {_size(size)}: {shape['mentions']} mentions ({shape['conversations']} "
        f"conversations, {shape['followups']} customer follow-ups), {shape['replies']} own "
        f"replies, {shape['customers']} customers; stored threads {live['threads_by_status']}; "
        f"inbox lists {live['inbox']} open ({live['overdue']} overdue), "
        f"{live['stale']} stale hidden; db {live['db_mb']} MB"
    ]


def profile_lines(profile: dict[str, Any]) -> list[str]:
    lines = []
    imports = profile.get("imports")
    if imports:
        for name, found in imports.items():
            lines.append(f"-X importtime `{name}`: total {found['total_ms']} ms")
            lines.append("  top-level imports (cumulative ms): " + _pairs(found["top_imports_ms"]))
            lines.append("  self time by package (ms): " + _pairs(found["self_by_package_ms"]))
    for name, found in (profile.get("phases") or {}).items():
        lines.append(f"phases of `{name}` (median ms, no profiler): " + _pairs(list(found.items())))
    for name, found in (profile.get("cprofile") or {}).items():
        lines.append(f"cProfile `{name}`: {found['total_s']} s in all")
        lines.append("  top self time: " + _triples(found["top_self"][:8]))
        lines.append("  self time by package (ms): " + _pairs(found["self_by_package_ms"][:10]))
        lines.append("  tweetdesk cumulative: " + _triples(found["top_cumulative_tweetdesk"][:10]))
    return lines


def _pairs(items: list[list[Any]]) -> str:
    return ", ".join(f"{name} {ms}" for name, ms in items)


def _triples(items: list[list[Any]]) -> str:
    return "; ".join(f"{where} ×{calls} {secs} s" for where, calls, secs in items)


def render(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        "# tweetdesk benchmarks",
        "",
        f"command: {result['command']}",
        f"machine: {m['nproc']} CPUs ({m['cpu']}), {m['platform']}, Python {m['python']}, "
        f"tweetdesk {m['tweetdesk']}",
        f"setup: {result['setup']['sandbox']}",
        f"simulator: {result['setup']['simulator_reads']}",
        f"bytecode: {result['setup']['bytecode']}",
        f"TWEETDESK_NOW={result['setup']['now']}, "
        f"[listen] queries {result['setup']['listen_queries']}",
    ]
    for size, figures in result["sizes"].items():
        lines += desk_lines(int(size), figures["desk"])
    lines += ["", markdown_table(result["rows"]), ""]
    profile = profile_lines(result["profile"])
    if profile:
        lines += ["## Profile", "", *profile, ""]
    if result["notes"]:
        lines += ["## Notes", "", *(f"- {n}" for n in result["notes"]), ""]
    lines.append(f"runtime {result['runtime_s']} s; command: {result['command']}")
    return "\n".join(lines)
