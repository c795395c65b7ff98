"""Where the time goes: `python -X importtime` and cProfile of whole CLI processes, summarised."""

from __future__ import annotations

import pstats
import re
import statistics
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from procs import PYTHON, run

_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def _parse_importtime(stderr: str) -> list[tuple[int, int, int, str]]:
    """(depth, self µs, cumulative µs, module) per line of -X importtime output."""
    found = []
    for line in stderr.splitlines():
        m = _LINE.match(line)
        if m:
            found.append((len(m.group(3)) // 2, int(m.group(1)), int(m.group(2)), m.group(4)))
    return found


def _script(argv: Sequence[str]) -> list[str]:
    """The script and its arguments, without a leading interpreter."""
    return list(argv[1:]) if argv and argv[0] == PYTHON else list(argv)


def import_profile(argv: Sequence[str], env: dict, *, runs: int = 5, ok: Sequence[int] = (0,)):
    """Median over `runs` of: total import time, top-level imports, self time per package."""
    totals, first_level, by_package = [], defaultdict(list), defaultdict(list)
    for _ in range(runs):
        done = run([PYTHON, "-X", "importtime", *_script(argv)], env, ok=ok)
        rows = _parse_importtime(done.stderr)
        totals.append(sum(cum for depth, _, cum, _ in rows if depth == 0))
        packages: dict[str, int] = defaultdict(int)
        for depth, own, cum, module in rows:
            if depth == 0:
                first_level[module].append(cum)
            packages[module.split(".")[0]] += own
        for name, own in packages.items():
            by_package[name].append(own)
    med = statistics.median
    return {
        "total_ms": round(med(totals) / 1000, 1),
        "top_imports_ms": _top({m: med(v) / 1000 for m, v in first_level.items()}, 10),
        "self_by_package_ms": _top({m: med(v) / 1000 for m, v in by_package.items()}, 12),
    }


def _top(values: dict[str, float], n: int) -> list[list[Any]]:
    ranked = sorted(values.items(), key=lambda kv: -kv[1])[:n]
    return [[name, round(ms, 1)] for name, ms in ranked]


def _where(key: tuple[str, int, str]) -> str:
    filename, line, func = key
    if filename == "~":
        return func
    path = Path(filename)
    parts = path.parts
    for anchor in ("site-packages", "tweetdesk"):
        if anchor in parts:
            start = parts.index(anchor) + (1 if anchor == "site-packages" else 0)
            return f"{'/'.join(parts[start:])}:{line}({func})"
    return f"{path.name}:{line}({func})"


_BUILTIN_BUCKETS = (
    ("sqlite3", "sqlite3 (C)"),
    ("_socket", "socket I/O (mostly waiting for the stand-in)"),
    ("_ssl", "socket I/O (TLS)"),
    ("marshal", "imports"),
    ("compile", "compile (imports, typing.ForwardRef)"),
    ("_imp.", "imports"),
    ("exec", "imports"),
    ("zlib", "zlib (gzip)"),
    ("strftime", "datetime (strftime, fromisoformat)"),
    ("fromisoformat", "datetime (strftime, fromisoformat)"),
)


def _bucket(key: tuple[str, int, str]) -> str:
    """Which package or module a profiled function belongs to, for self time by package."""
    filename, _, func = key
    if filename == "~":
        return next((name for needle, name in _BUILTIN_BUCKETS if needle in func), "builtins")
    if filename.startswith("<frozen importlib"):
        return "imports"
    parts = Path(filename).parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].removesuffix(".py")
    if "tweetdesk" in parts:
        return "tweetdesk/" + "/".join(parts[parts.index("tweetdesk") + 1 :])
    lib = next((i for i, p in enumerate(parts) if p.startswith("python3")), None)
    if lib is not None and lib + 1 < len(parts):
        return parts[lib + 1].removesuffix(".py")
    return Path(filename).name


def cprofile_summary(prof: Path, *, n: int = 12) -> dict[str, Any]:
    """Top functions by self time, self time by package, and tweetdesk's cumulative times."""
    stats = pstats.Stats(str(prof)).stats  # type: ignore[attr-defined]
    total = max(ct for _, _, _, ct, _ in stats.values())
    own = sorted(stats.items(), key=lambda kv: -kv[1][2])[:n]
    buckets: dict[str, float] = defaultdict(float)
    for key, (_, _, tt, _, _) in stats.items():
        buckets[_bucket(key)] += tt
    # tweetdesk's functions below the command's call chain (which holds ~all the time).
    mine = [
        (k, v)
        for k, v in stats.items()
        if "/tweetdesk/" in k[0]
        and "/sandbox/" not in k[0]
        and k[2] not in ("<module>", "<listcomp>", "<genexpr>", "<lambda>")
        and v[3] < 0.6 * total
    ]
    mine.sort(key=lambda kv: -kv[1][3])
    return {
        "total_s": round(total, 3),
        "top_self": [[_where(k), v[1], round(v[2], 3)] for k, v in own],
        "self_by_package_ms": _top({k: v * 1000 for k, v in buckets.items()}, n),
        "top_cumulative_tweetdesk": [[_where(k), v[1], round(v[3], 3)] for k, v in mine[:n]],
    }


def cprofile_process(argv: Sequence[str], env: dict, out: Path, *, ok: Sequence[int] = (0,)):
    """Run a script under cProfile (a whole process) and summarise it."""
    run([PYTHON, "-m", "cProfile", "-o", str(out), *_script(argv)], env, ok=ok, timeout=1800)
    return cprofile_summary(out)
