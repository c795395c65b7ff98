"""A bulk run's plan: every row drafted through the same pipeline as a reply and checked before
any is sent (known and replyable tweet, length, placeholders, take a breath, duplicates within
the run, replies sent in an earlier run). Errors name the input line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tweetdesk.compose.draft import Draft, Wording, draft_reply, wording
from tweetdesk.compose.rows import Row
from tweetdesk.compose.templates import MissingValues
from tweetdesk.config.schema import DEFAULT_PRICES
from tweetdesk.errors import GuardRefused, TweetdeskError, UsageError
from tweetdesk.store import outbox
from tweetdesk.store.lookup import resolve, tweet_info
from tweetdesk.triage.clock import Clock


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
    prices: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_PRICES))


def validate(rows: list[Row], checks: Checks) -> Plan:
    """Every row checked before anything is sent; errors name the line."""
    plan = Plan([], [])
    seen_text: dict[str, int] = {}
    seen_target: dict[int, int] = {}
    for row in rows:
        try:
            draft = _draft(row, checks)
        except TweetdeskError as exc:
            plan.errors.append(f"{row.label}: {exc}")
            continue
        problems = _row_problems(row, draft, seen_text, seen_target, checks.allow_heat)
        problems += _earlier_replies(row, draft, checks, plan)
        plan.errors += [f"{row.label}: {p}" for p in problems]
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
    info = tweet_info(
        checks.store, resolve(checks.store, row.tweet_id).tweet_id, checks.now, checks.clock
    )
    if info.is_dm:
        raise GuardRefused(
            f"{row.tweet_id} is a DM (thread {info.number}): bulk-reply sends public replies "
            f'only; answer a DM with `tweetdesk reply {info.number} "..."`'
        )
    values = {**checks.variables, **row.variables}
    try:
        text = wording(checks.templates, Wording(row.text, row.template), info, values)
    except MissingValues as exc:
        raise UsageError(
            f'{exc} (every row), or per row a CSV column / JSON "vars" key: ' + ", ".join(exc.names)
        ) from None
    draft = draft_reply(
        info, text, account=checks.account, force=checks.force, prices=checks.prices
    )
    if draft.breath and checks.allow_heat:
        draft.warnings.append(_breath(draft) + " (sent anyway: --allow-heated)")
    return draft


def _earlier_replies(row: Row, draft: Draft, checks: Checks, plan: Plan) -> list[str]:
    """A rerun skips what went out; a different reply to a tweet already answered by tweetdesk
    (a rerun with another --var, say) is refused unless --force."""
    sent = outbox.replies_to(checks.store, draft.info.id)
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
