"""bulk-reply input: rows from CSV (a header row; extra columns are template variables), JSON
lines, or a --filter over the inbox with a --template. Every value is type-checked here: a wrong
type is the person's mistake, reported by line, never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tweetdesk.errors import UsageError
from tweetdesk.triage.state import Status
from tweetdesk.triage.views import ThreadView

STATUSES = tuple(s.value for s in Status)

RESERVED = {"tweet_id", "text", "template"}
JSON_KEYS = {*RESERVED, "vars"}


@dataclass
class Row:
    line: int
    tweet_id: str
    text: str | None
    template: str | None
    variables: dict[str, str] = field(default_factory=dict)
    thread: int | None = None  # a --filter row: the thread it was picked from

    @property
    def label(self) -> str:
        """How messages name the row: its input line, or a --filter row's thread number."""
        return f"#{self.thread}" if self.thread is not None else f"line {self.line}"


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
    """--filter tag=X author=Y status=Z source=S (repeatable; all must match) with --template.

    Without status= only open threads are picked; without source= only replyable ones. DM
    threads never: bulk-reply posts in public (source=dm is refused)."""
    wanted: dict[str, str] = {}
    for item in filters:
        key, sep, value = item.partition("=")
        if not sep or key not in ("tag", "author", "status", "source"):
            raise UsageError(f"bad --filter {item!r}: use tag=, author=, status= or source=")
        wanted[key] = value.strip().lower().lstrip("@#")
    if wanted.get("source") == "dm":
        raise UsageError(
            "bad --filter source=dm: bulk-reply sends public replies only; answer DM threads "
            'one by one with `tweetdesk reply N "..."` (X allows 15 DMs per 15 minutes)'
        )
    status = wanted.get("status")
    if status is not None and status not in STATUSES:
        raise UsageError(f"bad --filter status={status!r}: use one of {', '.join(STATUSES)}")
    # Unless asked for by status= or source=, only what is waiting and can be answered through
    # the API: not brand talk, not stale or snoozed threads (one of those would void the run).
    wanted.setdefault("status", "open")
    picked = [
        v
        for v in views
        if all(_match(v, k, w) for k, w in wanted.items())
        and ("source" in wanted or v.replyable)
        and v.source != "dm"
    ]
    return [
        Row(n, str(v.tweet_id), None, template, thread=v.number) for n, v in enumerate(picked, 1)
    ]


def _match(view: ThreadView, key: str, wanted: str) -> bool:
    if key == "tag":
        return wanted in {t.lower() for t in view.tags}
    if key == "author":
        return view.author.lower() == wanted
    if key == "status":
        return view.status.value == wanted
    return view.source == wanted
