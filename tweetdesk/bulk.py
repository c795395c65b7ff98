"""bulk-reply: read rows (CSV or JSON lines), validate every row before any is sent, then send
each through the outbox. Rerunning the same input sends only what is missing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tweetdesk.acting import Draft, fill_template, fill_text, prepare_reply, send_reply, target_info
from tweetdesk.errors import (
    ApiError,
    AuthError,
    BudgetExceeded,
    CreditsDepleted,
    NetworkError,
    RateLimited,
    ServerError,
    TweetdeskError,
    UsageError,
)
from tweetdesk.outbox import Outbox
from tweetdesk.templates import MissingValues
from tweetdesk.threads import ThreadView
from tweetdesk.triage import Clock

RESERVED = {"tweet_id", "text", "template"}
JSON_KEYS = {*RESERVED, "vars"}


@dataclass
class Row:
    line: int
    tweet_id: str
    text: str | None
    template: str | None
    variables: dict[str, str] = field(default_factory=dict)


def parse_rows(data: str) -> list[Row]:
    """CSV with a header row (tweet_id and text or template; other columns are variables),
    or JSON lines {"tweet_id", "text" | "template", "vars"?}."""
    data = data.removeprefix("\ufeff")  # Excel's "CSV UTF-8" starts with a byte-order mark
    stripped = data.lstrip()
    if not stripped:
        raise UsageError("the input is empty")
    if stripped.startswith("{"):
        return _json_lines(data)
    try:
        return _csv(data)
    except csv.Error as exc:  # e.g. a cell over the csv module's field limit (128 KiB)
        raise UsageError(f"not valid CSV: {exc}") from None


def _csv(data: str) -> list[Row]:
    reader = csv.DictReader(io.StringIO(data, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    if "tweet_id" not in header or not ({"text", "template"} & set(header)):
        raise UsageError(
            f"CSV header must have tweet_id and text (or template); found: {', '.join(header)}"
        )
    rows = []
    for record in reader:
        line = reader.line_num
        if None in record:
            raise UsageError(f"line {line}: more fields than the header has")
        values = {k.strip(): (v or "") for k, v in record.items() if k}
        rows.append(
            Row(
                line,
                values.get("tweet_id", "").strip(),
                values.get("text") or None,
                (values.get("template") or "").strip() or None,
                {k: v for k, v in values.items() if k not in RESERVED and v != ""},
            )
        )
    return rows


def _json_lines(data: str) -> list[Row]:
    rows = []
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise UsageError(f"line {number}: not valid JSON ({exc.msg})") from None
        except RecursionError:
            raise UsageError(f"line {number}: JSON nested too deeply") from None
        rows.append(_json_row(number, obj))
    return rows


def _json_row(number: int, obj: Any) -> Row:
    """One JSON line, type-checked: a wrong type is the person's mistake, never a traceback."""
    if not isinstance(obj, dict):
        raise UsageError(f"line {number}: expected a JSON object")
    unknown = sorted(set(obj) - JSON_KEYS)
    if unknown:
        raise UsageError(
            f"line {number}: unknown key {unknown[0]!r} (the keys are tweet_id, text, template "
            "and vars)"
        )
    if "tweet_id" not in obj:
        raise UsageError(f"line {number}: tweet_id is missing")
    tweet_id = obj["tweet_id"]
    if isinstance(tweet_id, bool) or not isinstance(tweet_id, str | int):
        raise UsageError(
            f"line {number}: tweet_id must be a string of digits or an integer, "
            f"not {_kind(tweet_id)}"
        )
    text, template = (_json_text(number, obj, key) for key in ("text", "template"))
    return Row(number, str(tweet_id).strip(), text, template, _json_vars(number, obj.get("vars")))


def _json_text(number: int, obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise UsageError(f"line {number}: {key} must be a string, not {_kind(value)}")


def _json_vars(number: int, variables: Any) -> dict[str, str]:
    """An object of strings; null means no value (the placeholder's fallback applies)."""
    if variables is None:
        return {}
    if not isinstance(variables, dict):
        raise UsageError(f"line {number}: vars must be an object, not {_kind(variables)}")
    for key, value in variables.items():
        if value is not None and not isinstance(value, str):
            raise UsageError(
                f"line {number}: vars.{key} must be a string (or null for no value), "
                f"not {_kind(value)}"
            )
    return {key: value for key, value in variables.items() if value is not None}


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", type(None): "null"}
    return {**names, list: "an array", dict: "an object"}.get(type(value), "a string")


def rows_from_filter(views: Iterable[ThreadView], filters: list[str], template: str) -> list[Row]:
    """--filter tag=X author=Y status=Z (repeatable; all must match) with --template."""
    wanted: dict[str, str] = {}
    for item in filters:
        key, sep, value = item.partition("=")
        if not sep or key not in ("tag", "author", "status", "source"):
            raise UsageError(f"bad --filter {item!r}: use tag=, author=, status= or source=")
        wanted[key] = value.strip().lower().lstrip("@#")
    picked = [v for v in views if all(_match(v, k, w) for k, w in wanted.items())]
    return [Row(n, str(v.tweet_id), None, template) for n, v in enumerate(picked, 1)]


def _match(view: ThreadView, key: str, wanted: str) -> bool:
    if key == "tag":
        return wanted in view.tags
    if key == "author":
        return view.author.lower() == wanted
    if key == "status":
        return view.status.value == wanted
    return view.source == wanted


@dataclass
class Plan:
    drafts: list[tuple[Row, Draft]]
    errors: list[str]


@dataclass(frozen=True)
class Checks:
    """What validating a row needs to know."""

    store: Any
    now: datetime
    clock: Clock
    templates: Mapping[str, str]
    account: str
    force: bool
    allow_heat: bool  # --allow-heated: take-a-breath texts go out (with a warning)
    variables: Mapping[str, str] = field(default_factory=dict)  # --var, for every row


def validate(rows: list[Row], checks: Checks) -> Plan:
    """Every row checked before anything is sent; errors name the line."""
    plan = Plan([], [])
    seen_text: dict[str, int] = {}
    seen_target: dict[int, int] = {}
    for row in rows:
        try:
            draft = _draft(row, checks)
        except TweetdeskError as exc:
            plan.errors.append(f"line {row.line}: {exc}")
            continue
        problems = _row_problems(row, draft, seen_text, seen_target, checks.allow_heat)
        plan.errors += [f"line {row.line}: {p}" for p in problems]
        if not problems:
            plan.drafts.append((row, draft))
    if not rows:
        plan.errors.append("no rows to send")
    return plan


def _draft(row: Row, checks: Checks) -> Draft:
    if not (row.tweet_id.isascii() and row.tweet_id.isdigit()) or len(row.tweet_id) > 19:
        raise UsageError(f"tweet_id {row.tweet_id!r} is not a tweet id")
    if (row.text is None) == (row.template is None):
        raise UsageError("give either text or template")
    info = target_info(checks.store, row.tweet_id, checks.now, checks.clock)
    values = {**checks.variables, **row.variables}
    try:
        if row.text is not None:
            text = fill_text(row.text, info, values)
        else:
            text = fill_template(checks.templates, str(row.template), info, values)
    except MissingValues as exc:
        raise UsageError(
            f'{exc} (every row), or per row a CSV column / JSON "vars" key: ' + ", ".join(exc.names)
        ) from None
    draft = prepare_reply(info, text, account=checks.account, force=checks.force)
    if draft.breath and checks.allow_heat:
        draft.warnings.append(_breath(draft) + " (sent anyway: --allow-heated)")
    return draft


def _breath(draft: Draft) -> str:
    return "take a breath: " + "; ".join(draft.breath)


def _row_problems(
    row: Row,
    draft: Draft,
    seen_text: dict[str, int],
    seen_target: dict[int, int],
    allow_heat: bool,
) -> list[str]:
    problems = []
    key = " ".join(draft.text.split())
    if key in seen_text:
        problems.append(
            f"same text as line {seen_text[key]}: X refuses duplicate content, vary it "
            "(e.g. with {{first_name}})"
        )
    seen_text.setdefault(key, row.line)
    if draft.info.id in seen_target:
        problems.append(
            f"tweet {draft.info.id} is already answered on line {seen_target[draft.info.id]}"
        )
    seen_target.setdefault(draft.info.id, row.line)
    if draft.breath and not allow_heat:
        problems.append(_breath(draft) + " (pass --allow-heated to send anyway)")
    return problems


@dataclass
class Outcome:
    row: Row
    draft: Draft
    state: str  # sent | already | failed | skipped
    remote_id: str | None = None
    error: str | None = None


Step = Callable[[Row, Draft], Outcome]


# Answers that would be the same for every other row (X down, login revoked, no credits): they
# stop the run instead of failing each row in turn.
FAILS_EVERY_ROW = (ServerError, NetworkError, AuthError, CreditsDepleted)


class Stopped(Exception):
    """The run stopped early (429, budget, X failing): what was done, and why."""

    def __init__(self, outcomes: list[Outcome], cause: TweetdeskError) -> None:
        super().__init__(str(cause))
        self.outcomes = outcomes
        self.cause = cause


def run(
    plan: Plan,
    outbox: Outbox,
    *,
    batch: str,
    before_send: Callable[[Draft], None],
    wait: Callable[[RateLimited], bool],
    progress: Callable[[], None],
) -> list[Outcome]:
    """Send each planned reply once. A refusal fails its row; a 429 waits (if allowed) or
    stops the run; X failing or the budget stops it. Already-sent rows are skipped."""
    outcomes: list[Outcome] = []
    for row, draft in plan.drafts:
        existing = outbox.find("reply", draft.info.id, draft.text)
        if existing is not None and existing.state == "sent":
            outcomes.append(Outcome(row, draft, "already", existing.remote_id))
            progress()
            continue
        try:
            outcomes.append(_send_row(row, draft, outbox, batch, before_send, wait))
        except (RateLimited, BudgetExceeded, *FAILS_EVERY_ROW) as exc:
            raise Stopped(outcomes, exc) from None
        progress()
    return outcomes


def _send_row(
    row: Row,
    draft: Draft,
    outbox: Outbox,
    batch: str,
    before_send: Callable[[Draft], None],
    wait: Callable[[RateLimited], bool],
) -> Outcome:
    while True:
        before_send(draft)
        try:
            item = send_reply(outbox, draft, batch=batch)
        except RateLimited as exc:
            if wait(exc):
                continue
            raise
        except FAILS_EVERY_ROW:
            raise
        except ApiError as exc:
            return Outcome(row, draft, "failed", error=str(exc))
        return Outcome(row, draft, "sent", item.remote_id)
