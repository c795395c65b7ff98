"""What tweetdesk sends: reply, dm (with its public note or fallback), undo.

`prepare_*` run every guard and return a draft without touching the network; `send_*` put the
draft through the outbox. The caller decides about confirmations in between.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from tweetdesk import threads
from tweetdesk.db import Store
from tweetdesk.errors import (
    ApiError,
    ApiNotFound,
    DmRefused,
    DuplicateContent,
    GuardRefused,
    NotFoundError,
    UsageError,
)
from tweetdesk.guards import TweetInfo, cautions, check_target, check_text, tweet_info
from tweetdesk.lookup import Target, resolve
from tweetdesk.outbox import AMBIGUOUS, Item, Outbox
from tweetdesk.timeutil import to_iso
from tweetdesk.triage import Clock, Status

DEFAULT_DM_INVITE = (
    "Hi {{first_name|there}}, we've sent you a DM so we can sort this out privately."
)
DEFAULT_DM_FALLBACK = (
    "Hi {{first_name|there}}, we'd like to sort this out privately: could you send us a DM "
    "(or follow us so we can message you)?"
)
DM_LIMIT = 10_000


def parse_vars(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip().isidentifier():
            raise UsageError(f"bad --var {pair!r}: use key=value")
        out[key.strip()] = value
    return out


def fill_template(
    templates: Mapping[str, str], name: str, info: TweetInfo, variables: Mapping[str, str]
) -> str:
    if name not in templates:
        known = ", ".join(sorted(templates)) or "none configured"
        raise UsageError(f"no template {name!r} in [templates] (known: {known})")
    return fill_text(templates[name], info, variables, what="template")


def fill_text(
    text: str, info: TweetInfo, variables: Mapping[str, str], *, what: str = "text"
) -> str:
    """Fill a text's placeholders: the customer's name, first_name and username, then the
    operator's variables. A text typed on the command line is filled like a template, so braces
    never go out as-is; an unfilled placeholder raises (templates.MissingValues)."""
    from tweetdesk.templates import customer_values, render

    return render(text, {**customer_values(info.username, info.name), **variables}, what=what)


@dataclass
class Draft:
    info: TweetInfo
    text: str
    breath: list[str] = field(default_factory=list)  # take-a-breath reasons: confirm first
    warnings: list[str] = field(default_factory=list)


def target_info(store: Store, ref: str, now: datetime, clock: Clock) -> TweetInfo:
    """What the person named: the tweet itself, or the reply target of the named thread."""
    return tweet_info(store, resolve(store, ref).tweet_id, now, clock)


def prepare_reply(info: TweetInfo, text: str, *, account: str, force: bool) -> Draft:
    check_text(text)
    check_target(info, account, force=force)
    breath, warnings = cautions(text)
    if info.status is Status.MUTED:  # sent all the same: muting is for the desk, not a ban
        warnings.append(
            f"you muted @{info.username}: ignoring a troll is often best; their tweets stay "
            f"stored (tweetdesk evidence @{info.username})"
        )
    return Draft(info, text, breath, warnings)


def send_reply(outbox: Outbox, draft: Draft, *, batch: str | None = None) -> Item:
    item = outbox.enqueue(
        "reply", draft.info.conversation_id, draft.info.id, draft.text, batch=batch
    )
    return outbox.deliver(item)


@dataclass
class DmResult:
    dm: Item | None
    note: Item | None
    fallback: Item | None
    problems: list[str] = field(default_factory=list)


def check_dm_text(text: str) -> None:
    if not text.strip():
        raise UsageError("the DM text is empty")
    if len(text) > DM_LIMIT:
        raise UsageError(f"the DM is {len(text)} characters; X's limit is {DM_LIMIT}")


def send_dm(
    outbox: Outbox,
    info: TweetInfo,
    text: str,
    *,
    note: str | None,
    fallback: str | None,
) -> DmResult:
    """DM the author, then post the public note; on refusal, the fallback reply or an error."""
    from tweetdesk.actions import add_mark

    if info.receives_your_dm is False:
        refusal = DmRefused(
            f"@{info.username}'s settings do not accept DMs from you (X says receives_your_dm "
            "is false); nothing was sent"
        )
        return _fallback(outbox, info, fallback, refusal)
    item = outbox.enqueue("dm", info.conversation_id, info.id, text, recipient=info.author_id)
    try:
        item = outbox.deliver(item)
    except DmRefused as exc:
        return _fallback(outbox, info, fallback, exc)
    target = Target(info.conversation_id, info.number, info.id)
    add_mark(outbox.store, target, "dm", now=outbox.now, account_id=outbox.account.id)
    result = DmResult(item, None, None)
    if note is not None:
        try:
            result.note = outbox.deliver(
                outbox.enqueue("note", info.conversation_id, info.id, note)
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


def _fallback(
    outbox: Outbox, info: TweetInfo, fallback: str | None, refusal: Exception
) -> DmResult:
    if fallback is None:
        raise DmRefused(f"{refusal}; the thread stays open (try --fallback to ask in public)")
    item = outbox.deliver(outbox.enqueue("reply", info.conversation_id, info.id, fallback))
    return DmResult(None, None, item, [f"DM not possible: {refusal}; asked in public instead"])


def prepare_dm(
    info: TweetInfo, text: str, note: str | None, fallback: str | None, *, account: str
) -> None:
    """Guards for dm: all texts valid, the public parts allowed, before any request."""
    check_dm_text(text)
    if info.found_via == "own":
        raise GuardRefused(f"tweet {info.id} is your own post, not a customer's")
    for public in (note, fallback):
        if public is not None:
            check_text(public, "public note")
            check_target(info, account, force=True)
            _, warnings = cautions(public)
            if warnings:
                raise UsageError("the public note must not contain a URL (X charges 13x for it)")


def public_texts(
    templates: Mapping[str, str],
    info: TweetInfo,
    variables: Mapping[str, str],
    *,
    note: bool,
    fallback: bool,
    force: bool,
) -> tuple[str | None, str | None, list[str]]:
    """The dm_invite note and dm_fallback texts that may go out in public (None: not posted),
    and notices saying why a note will not. A DM to a stale thread is fine; a public note to
    the day-old mention is not, unless forced."""
    if info.found_via != "mention":
        notices = ["No public note: X lets apps reply only to posts that mention you."]
        return None, None, notices if note else []
    notices = []
    if info.status is Status.STALE and not force:
        if fallback:
            raise GuardRefused(
                f"thread {info.number} has waited longer than stale_after (stale): --fallback "
                "would answer the old mention in public; add --force, or leave out --fallback"
            )
        if note:
            notices.append(
                f"No public note: thread {info.number} has waited longer than stale_after "
                "(stale), and a late public reply does more harm than good (--force to post it "
                "anyway)."
            )
        note = False
    known = {"dm_invite": DEFAULT_DM_INVITE, "dm_fallback": DEFAULT_DM_FALLBACK, **templates}
    return (
        fill_template(known, "dm_invite", info, variables) if note else None,
        fill_template(known, "dm_fallback", info, variables) if fallback else None,
        notices,
    )


def undo(store: Store, outbox: Outbox, ref: str) -> Item:
    """Delete a reply tweetdesk sent (the named reply, or the latest in the named thread)."""
    item = _sent_item(store, outbox, ref)
    assert item.remote_id is not None
    with contextlib.suppress(ApiNotFound):  # already gone on X: finish the local side
        outbox.delete(int(item.remote_id))
    with store.write() as conn:
        # A reopen made after this reply followed up on an answer that is now gone: without
        # it the customer waits, as they did, from their first unanswered tweet.
        conn.execute(
            "UPDATE marks SET active = 0 WHERE conversation_id = ? AND kind = 'reopen' "
            "AND active = 1 AND at >= coalesce((SELECT created_at FROM tweets WHERE id = ?), ?)",
            (item.conversation_id, int(item.remote_id), to_iso(outbox.now)),
        )
        conn.execute("DELETE FROM tweets WHERE id = ?", (int(item.remote_id),))
        conn.execute(
            "UPDATE outbox SET state = 'undone', updated_at = ? WHERE id = ?",
            (to_iso(outbox.now), item.id),
        )
        threads.refresh(store, [item.conversation_id], account_id=outbox.account.id, now=outbox.now)
    return outbox.get(item.id)


def _sent_item(store: Store, outbox: Outbox, ref: str) -> Item:
    ref = ref.strip()
    if ref.isdigit():
        row = store.conn.execute(
            "SELECT id FROM outbox WHERE remote_id = ? AND kind != 'dm'", (ref,)
        ).fetchone()
        if row is not None:
            item = outbox.get(row[0])
            if item.state != "sent":
                raise GuardRefused(f"reply {ref} is {item.state}: nothing to undo")
            return item
    target = resolve(store, ref)
    row = store.conn.execute(
        "SELECT id FROM outbox WHERE conversation_id = ? AND kind != 'dm' AND state = 'sent' "
        "ORDER BY sent_at DESC, id DESC LIMIT 1",
        (target.conversation_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(
            f"tweetdesk sent no reply in thread {target.number} that could be undone"
        )
    return outbox.get(row[0])
