"""Sending: reply, dm (with its public note or fallback), undo.

Each goes one way, each step called once from here: resolve the target -> build the draft
(wording, variables, guards: compose.draft) -> take a breath -> budget -> the outbox sends
exactly once (x.delivery) -> the result, for the CLI to print.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from tweetdesk.compose.draft import DmDraft, Draft, Wording, draft_dm, draft_reply, wording
from tweetdesk.desk.desk import Desk
from tweetdesk.desk.ui import Ui
from tweetdesk.errors import (
    ApiError,
    ApiNotFound,
    Cancelled,
    DmRefused,
    DuplicateContent,
    GuardRefused,
    NotFoundError,
    UsageError,
)
from tweetdesk.store import marks, outbox, threads
from tweetdesk.store.ledger import check_budget
from tweetdesk.store.lookup import TweetInfo, resolve, tweet_info
from tweetdesk.store.marks import MarkRow
from tweetdesk.store.outbox import Item
from tweetdesk.values.times import from_iso
from tweetdesk.x.delivery import AMBIGUOUS, Delivery

pause = time.sleep  # every sleep of a sending command; tests swap it, so none really sleeps


def delivery(desk: Desk) -> Delivery:
    return Delivery(
        desk.store,
        desk.api,
        desk.account(),
        desk.now,
        retries=desk.settings.retries,
        sleep=lambda seconds: pause(seconds),
    )


def target(desk: Desk, ref: str) -> TweetInfo:
    """What the person named: the tweet itself, or the reply target of the named thread."""
    return tweet_info(desk.store, resolve(desk.store, ref).tweet_id, desk.now, desk.clock)


def take_a_breath(ui: Ui, reasons: list[str], *, yes: bool, text: str, to: str) -> None:
    """Ask on a terminal, the text and its recipient (`to`) shown first; off a terminal refuse
    unless --yes/--allow-heated."""
    if not reasons or yes:
        return
    summary = "; ".join(reasons)
    shown = "\n".join(f"  {line}" for line in text.splitlines() or [""])
    answer = ui.ask(f"{to}:\n{shown}\nTake a breath: {summary}. Send anyway?")
    if answer:
        return
    if answer is False:
        raise Cancelled()
    raise GuardRefused(
        f"take a breath: {summary}; not sent (pass --yes or --allow-heated to send anyway)"
    )


def within_budget(desk: Desk, price_keys: list[str], what: str) -> None:
    """Refuse before the requests what would pass [budget]: all of `price_keys` together."""
    s = desk.settings
    # check_budget prices one key: give it one that costs the whole set of requests.
    prices = {**s.prices, "_together": sum(s.prices.get(k, 0.0) for k in price_keys)}
    check_budget(desk.store, desk.now, prices, s.budget_usd, "_together", 1, what)


# --- reply ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Replied:
    info: TweetInfo
    item: Item
    account: str  # the account's @handle, for the link
    before: datetime | None = None  # this very reply went out then: nothing was sent now

    @property
    def dm_link(self) -> str | None:
        """Where the DM went, when the reply was a DM into a DM thread's conversation."""
        return self.info.url if self.info.is_dm else None


def reply(
    desk: Desk,
    ref: str,
    given: Wording,
    variables: Mapping[str, str],
    *,
    force: bool,
    yes: bool,
) -> Replied:
    account = desk.account()
    info = target(desk, ref)
    text = wording(desk.settings.templates, given, info, variables)
    sender = delivery(desk)
    earlier = sender.find("dm" if info.is_dm else "reply", info.id, text)
    if earlier is not None and earlier.state == "sent":  # X would refuse it as a duplicate
        sent_at = from_iso(earlier.sent_at) if earlier.sent_at else desk.now
        return Replied(info, earlier, account.username, before=sent_at)
    prices = desk.settings.prices
    draft = draft_reply(info, text, account=account.username, force=force, prices=prices)
    for warning in draft.warnings:
        desk.ui.note(f"Warning: {warning}")
    where = "by DM" if draft.kind == "dm" else "in public"
    to = f"To @{info.username} (thread {info.number}), {where}"
    take_a_breath(desk.ui, draft.breath, yes=yes, text=draft.text, to=to)
    within_budget(desk, [draft.price_key], "this DM" if draft.kind == "dm" else "this reply")
    return Replied(info, send_reply(sender, draft), account.username)


def send_reply(sender: Delivery, draft: Draft, *, batch: str | None = None) -> Item:
    """The reply in public, or the DM into a DM thread's conversation (to its customer)."""
    info = draft.info
    recipient = info.author_id if draft.kind == "dm" else None
    item = sender.queue(
        draft.kind, info.conversation_id, info.id, draft.text, recipient=recipient, batch=batch
    )
    return sender.deliver(item)


# --- undo -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Undone:
    item: Item
    status: str  # the thread's status after the reply is gone
    info: TweetInfo  # the customer tweet it answered, with its thread


def undo(desk: Desk, ref: str) -> Undone:
    """Delete a reply tweetdesk sent (the named reply, or the latest in the named thread)."""
    sender = delivery(desk)
    item = _sent_item(desk, ref)
    assert item.remote_id is not None
    with contextlib.suppress(ApiNotFound):  # already gone on X: finish the local side
        sender.delete(int(item.remote_id))
    with desk.store.write():
        marks.cancel_reopens_since(desk.store, item.conversation_id, int(item.remote_id), desk.now)
        outbox.undone(desk.store, item, desk.now)
        threads.refresh(
            desk.store, [item.conversation_id], account_id=sender.account.id, now=desk.now
        )
    return Undone(
        outbox.get(desk.store, item.id),
        marks.thread_status(desk.store, item.conversation_id),
        tweet_info(desk.store, item.target_tweet_id, desk.now, desk.clock),
    )


def _sent_item(desk: Desk, ref: str) -> Item:
    ref = ref.strip()
    if ref.isdigit():
        item = outbox.public_post(desk.store, ref)
        if item is not None:
            if item.state != "sent":
                raise GuardRefused(f"reply {ref} is {item.state}: nothing to undo")
            return item
    found = resolve(desk.store, ref)
    item = outbox.last_public_post(desk.store, found.conversation_id)
    if item is None:
        raise NotFoundError(
            f"tweetdesk sent no reply in thread {found.number} that could be undone"
        )
    return item


# --- dm -------------------------------------------------------------------------------------


@dataclass
class DmSent:
    info: TweetInfo
    account: str
    dm: Item | None
    note: Item | None
    fallback: Item | None
    status: str | None = None  # the thread's status once the DM went out
    problems: list[str] = field(default_factory=list)


def dm(
    desk: Desk,
    ref: str,
    given: Wording,
    variables: Mapping[str, str],
    *,
    note: bool,
    fallback: bool,
    force: bool,
    yes: bool,
) -> DmSent:
    account = desk.account()
    info = target(desk, ref)
    body = wording(desk.settings.templates, given, info, variables)
    draft = draft_dm(
        info,
        body,
        desk.settings.templates,
        variables,
        account=account.username,
        note=note,
        fallback=fallback,
        force=force,
        prices=desk.settings.prices,
    )
    for notice in draft.notices:
        desk.ui.note(notice)
    to = f"To @{info.username} (thread {info.number}), as a DM"
    take_a_breath(desk.ui, draft.breath, yes=yes, text=draft.text, to=to)
    within_budget(desk, *draft.price_keys)
    result = send_dm(delivery(desk), draft)
    if result.dm is not None:
        result.status = marks.thread_status(desk.store, info.conversation_id)
    return result


def send_dm(sender: Delivery, draft: DmDraft) -> DmSent:
    """DM the author, then post the public note; on refusal, the fallback reply or an error."""
    info = draft.info
    if info.receives_your_dm is False:
        refusal = DmRefused(
            f"@{info.username}'s settings do not accept DMs from you (X says receives_your_dm "
            "is false); nothing was sent"
        )
        return _fallback(sender, draft, refusal)
    item = sender.queue("dm", info.conversation_id, info.id, draft.text, recipient=info.author_id)
    try:
        item = sender.deliver(item)
    except DmRefused as exc:
        return _fallback(sender, draft, exc)
    marks.record(
        sender.store,
        [MarkRow(info.conversation_id, "dm", info.id)],
        now=sender.now,
        account_id=sender.account.id,
    )
    result = DmSent(info, sender.account.username, item, None, None)
    if draft.note is not None:
        try:
            result.note = sender.deliver(
                sender.queue("note", info.conversation_id, info.id, draft.note)
            )
        except (GuardRefused, UsageError, ApiError) as exc:
            # The DM is what counts: a failed note is a warning, never a failed command.
            result.problems.append(
                f"the DM went out, but the public note was not posted: {exc}{_note_advice(exc)}"
            )
    return result


def _note_advice(exc: Exception) -> str:
    if isinstance(exc, AMBIGUOUS):
        return " (the DM is not sent twice)"
    if isinstance(exc, DuplicateContent):
        # the same note to the same customer again: a rerun would be refused the same way
        return (
            "; X refuses the same text twice, so vary [templates] dm_invite (e.g. with "
            "{{first_name}}) or use --no-note (the DM is not sent twice)"
        )
    return "; rerun the same command to retry it (the DM is not sent twice)"


def _fallback(sender: Delivery, draft: DmDraft, refusal: Exception) -> DmSent:
    if draft.fallback is None:
        raise DmRefused(f"{refusal}; the thread stays open (try --fallback to ask in public)")
    info = draft.info
    item = sender.deliver(sender.queue("reply", info.conversation_id, info.id, draft.fallback))
    return DmSent(
        info,
        sender.account.username,
        None,
        None,
        item,
        problems=[f"DM not possible: {refusal}; asked in public instead"],
    )
