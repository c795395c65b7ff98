"""Figures -> the Markdown table (what, tweetdesk, baseline, ratio, target) and text sections."""

from __future__ import annotations

from typing import Any

LISTING_TARGETS = {"inbox": 1.3, "overdue": 1.2}
FIRST_SYNC_TARGET = 2.0
RSS_TARGET_MB = 150


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _n(number: int) -> str:
    return f"{number:,}"


def _verdict(ratio: float, target: float) -> str:
    return f"≤ {target:g}× {'ok' if ratio <= target else 'MISSED'}"


def _row(what: str, ours: str, base: str, ratio: float, target: str) -> dict[str, Any]:
    return {"what": what, "tweetdesk": ours, "baseline": base, "ratio": round(ratio, 2),
            "target": target}  # fmt: skip


def _runs(t: dict[str, Any]) -> str:
    return f"median of {t['runs']}" if t["runs"] > 1 else "1 run"


def rows_for(name: str, f: dict[str, Any]) -> list[dict[str, Any]]:
    """Table rows for one desk."""
    label = f"{name} desk"
    rows = []
    floor = f["listing"]["floor"]
    for cmd, shown in (("inbox", "`inbox`"), ("overdue", "`overdue --exit-code`")):
        t = f["listing"][cmd]
        ratio = t["median_s"] / floor["median_s"]
        rows.append(_row(
            f"{shown} latency, {label} (median, min)",
            f"{_ms(t['median_s'])} ({_ms(t['min_s'])})",
            f"floor {_ms(floor['median_s'])} ({_ms(floor['min_s'])})",
            ratio, _verdict(ratio, LISTING_TARGETS[cmd]),
        ))  # fmt: skip
    first = f.get("first_sync")
    if first:
        td, base = first["tweetdesk"], first["baseline"]
        ratio = td["median_s"] / base["median_s"]
        mentions = _n(f["shape"]["mentions"])
        rows.append(_row(
            f"first sync, {label}: {mentions} mentions, cap lifted, wall ({_runs(td)})",
            _s(td["median_s"]), f"bare loop {_s(base['median_s'])}",
            ratio, _verdict(ratio, FIRST_SYNC_TARGET),
        ))  # fmt: skip
        rss = td["peak_rss_mb"]
        rows.append(_row(
            f"peak RSS of that first sync (largest of {td['runs']})",
            f"{rss:.0f} MB", f"bare loop {base['peak_rss_mb']:.0f} MB",
            rss / base["peak_rss_mb"],
            f"< {RSS_TARGET_MB} MB {'ok' if rss < RSS_TARGET_MB else 'MISSED'}",
        ))  # fmt: skip
        rows.append(_requests_row("requests, that first sync", first))
    idle = f["idle"]
    td, base = idle["tweetdesk"], idle["baseline"]
    rows.append(_row(
        f"idle resync (nothing new), {label}, wall ({_runs(td)})",
        _s(td["median_s"]), f"bare loop {_s(base['median_s'])}",
        td["median_s"] / base["median_s"], "(no target)",
    ))  # fmt: skip
    rows.append(_requests_row("requests, idle resync", idle))
    g = f["growth"]
    rows.append(_row(
        f"growing the {label}: {g['syncs']} syncs, every {g['interval_h']:g} h, total wall",
        _s(g["tweetdesk_s"]), f"bare loop {_s(g['baseline_s'])}",
        g["tweetdesk_s"] / g["baseline_s"], "(info)",
    ))  # fmt: skip
    rows.append(_requests_row(f"requests, those {g['syncs']} syncs", g))
    return rows


def _requests_row(what: str, r: dict[str, Any]) -> dict[str, Any]:
    ratio = r["requests"] / r["minimum"]
    return _row(what, _n(r["requests"]), f"minimum {_n(r['minimum'])}", ratio,
                "= 1× " + ("ok" if ratio <= 1 else "MISSED"))  # fmt: skip


def markdown_table(rows: list[dict[str, Any]]) -> str:
    head = "| what | tweetdesk | baseline | ratio | target |\n| --- | --- | --- | --- | --- |"
    body = [
        f"| {r['what']} | {r['tweetdesk']} | {r['baseline']} | {r['ratio']:.2f}× | {r['target']} |"
        for r in rows
    ]
    return "\n".join([head, *body])


def desk_lines(name: str, f: dict[str, Any]) -> list[str]:
    shape, expected, desk = f["shape"], f["expected"], f["desk"]
    return [
        f"{name} desk: {_n(shape['mentions'])} mentions from {_n(shape['customers'])} customers "
        f"in {_n(shape['conversations'])} conversations over {shape['days']} days, "
        f"{_n(shape['own_tweets'])} own tweets, {_n(shape['brand_talk'])} brand-talk posts; "
        f"grown by {shape['syncs']} syncs; by the SPEC's rules {_n(expected['open'])} threads "
        f"open ({_n(expected['overdue'])} overdue) and {_n(expected['stale'])} stale at "
        f"TWEETDESK_NOW; tweetdesk lists {_n(desk['inbox_json'])} (`inbox --json`), "
        f"{_n(desk['overdue_json'])} overdue; db {desk['db_mb']} MB"
    ]


def profile_lines(profile: dict[str, Any]) -> list[str]:
    lines = []
    imports = profile.get("imports")
    if imports:
        for name, found in imports.items():
            lines.append(f"-X importtime `{name}`: total {found['total_ms']} ms")
            lines.append("  top-level imports (cumulative ms): " + _pairs(found["top_imports_ms"]))
            lines.append("  self time by package (ms): " + _pairs(found["self_by_package_ms"]))
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


def first_sync_lines(name: str, f: dict[str, Any]) -> list[str]:
    first = f.get("first_sync")
    if not first:
        return []
    share = first["stand_in_s"]
    return [
        f"{name} first sync: {_n(first['tweets_served'])} tweets in {_n(first['requests'])} "
        f"requests {first['by_endpoint']}; the stand-in's own serving time (median): "
        f"{share['tweetdesk']:.3f} s of tweetdesk's {first['tweetdesk']['median_s']:.2f} s, "
        f"{share['baseline']:.3f} s of the bare loop's {first['baseline']['median_s']:.2f} s"
    ]


def render(result: dict[str, Any]) -> str:
    m, setup = result["machine"], result["setup"]
    lines = [
        "# tweetdesk benchmarks",
        "",
        f"command: {result['command']}",
        f"machine: {m['nproc']} CPUs ({m['cpu']}), {m['platform']}, Python {m['python']}, "
        f"tweetdesk {m['tweetdesk']}; load average {m['load_at_start']} at the start, "
        f"{m['load_at_end']} at the end",
        *(f"{key}: {value}" for key, value in setup.items()),
    ]
    for name, figures in result["desks"].items():
        lines += desk_lines(name, figures) + first_sync_lines(name, figures)
    lines += ["", markdown_table(result["rows"]), ""]
    profile = profile_lines(result["profile"])
    if profile:
        lines += ["## Profile", "", *profile, ""]
    if result["notes"]:
        lines += ["## Notes", "", *(f"- {n}" for n in result["notes"]), ""]
    lines.append(f"runtime {result['runtime_s']} s; command: {result['command']}")
    return "\n".join(lines)
