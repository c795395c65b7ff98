"""What `bulk-reply` prints: the dry-run plan and the outcomes, the thread number first in
every row (aligned). Plain text through the console's cleaning helpers; JSON rows for scripts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tweetdesk.output.console import message, print_json, print_lines
from tweetdesk.output.safe import one_line


def print_run(plan: Any, outcomes: Sequence[Any], *, dry_run: bool, as_json: bool) -> None:
    """A bulk run: nothing matched (`plan` None: an empty JSON array for scripts), the dry-run
    plan, or what was sent (also when the run stopped early)."""
    if plan is None:
        if as_json:
            print_json([])
    elif dry_run:
        print_plan(plan.drafts, plan.already, as_json=as_json)
    else:
        print_outcomes(outcomes, as_json=as_json)


def print_plan(drafts: Sequence[tuple[Any, Any]], already: set[int], *, as_json: bool) -> None:
    """--dry-run: what would be sent (and what went out in an earlier run); the number first."""
    rows = [
        {
            "number": d.info.number,
            "line": row.line,
            "tweet_id": str(d.info.id),
            "thread": d.info.number,  # the older name of `number`, kept for scripts
            "author": d.info.username,
            "text": d.text,
            "warnings": d.warnings,
            "already_sent": row.line in already,
        }
        for row, d in drafts
    ]
    if as_json:
        print_json(rows)
        return
    details = [
        f"{'= already sent' if r['already_sent'] else '→'} @{r['author']} ({r['tweet_id']}): "
        f"{one_line(r['text'])}"
        for r in rows
    ]
    print_lines(_numbered(rows, details, [row for row, _ in drafts]))
    done = sum(1 for r in rows if r["already_sent"])
    more = f" ({done} already sent in an earlier run)" if done else ""
    message(f"Dry run: {len(rows) - done} replies would be sent{more}; nothing was sent.")


def print_outcomes(outcomes: Sequence[Any], *, as_json: bool) -> None:
    rows = [
        {
            "number": o.draft.info.number,
            "line": o.row.line,
            "tweet_id": str(o.draft.info.id),
            "author": o.draft.info.username,
            "state": o.state,
            "reply_id": o.remote_id,
            "error": o.error,
        }
        for o in outcomes
    ]
    if as_json:
        print_json(rows)
    else:
        details = [
            f"{r['state']:<8} @{r['author']} {r['reply_id'] or r['error'] or ''}".rstrip()
            for r in rows
        ]
        print_lines(_numbered(rows, details, [o.row for o in outcomes]))
    counts = {s: sum(1 for r in rows if r["state"] == s) for s in ("sent", "already", "failed")}
    message(
        f"Sent {counts['sent']}, already sent before {counts['already']}, "
        f"refused {counts['failed']}."
    )


def _numbered(
    rows: Sequence[Mapping[str, Any]], details: Sequence[str], inputs: Sequence[Any]
) -> list[str]:
    """Bulk rows as a listing: `#number` first (aligned), then the input line (a --filter row
    has none: its thread number names it), then the rest."""
    marks = [f"#{r['number']}" for r in rows]
    lines = [
        "" if i.thread is not None else f"line {r['line']}"
        for r, i in zip(rows, inputs, strict=True)
    ]
    wide, long = max(map(len, marks), default=0), max(map(len, lines), default=0)
    return [
        "  ".join([f"{mark:<{wide}}", *([f"{line:<{long}}"] if long else []), detail])
        for mark, line, detail in zip(marks, lines, details, strict=True)
    ]
