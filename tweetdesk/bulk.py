"""bulk-reply: validate every row (from bulk_rows) before any is sent, then send each through the
outbox. Rerunning the same input sends only what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tweetdesk.acting import Draft, fill_template, fill_text, prepare_reply, send_reply, target_info
from tweetdesk.bulk_rows import Row
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
from tweetdesk.outbox import Outbox, replies_to
from tweetdesk.templates import MissingValues
from tweetdesk.triage import Clock


@dataclass
class Plan:
    drafts: list[tuple[Row, Draft]]
    errors: list[str]
    already: set[int] = field(default_factory=set)  # lines whose reply went out in a past run

    @property
    def pending(self) -> int:
        return len(self.drafts) - len(self.already)


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
        problems += _earlier_replies(row, draft, checks, plan)
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


def _earlier_replies(row: Row, draft: Draft, checks: Checks, plan: Plan) -> list[str]:
    """A rerun skips what went out; a different reply to a tweet already answered by tweetdesk
    (a rerun with another --var, say) is refused unless --force."""
    sent = replies_to(checks.store, draft.info.id)
    if draft.text in sent:
        plan.already.add(row.line)
        return []
    if sent and not checks.force:
        return [
            f"tweet {draft.info.id} already has a reply from tweetdesk with another text "
            "(pass --force to reply again)"
        ]
    return []


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
