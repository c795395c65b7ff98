"""What an alert says: one digest per channel and run, in plain text (our words, plus tweet text
made inert and one line), the same text made safe for a chat app, and the webhook's JSON body.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tweetdesk.output.safe import chat_safe, one_line
from tweetdesk.output.threads import thread_json
from tweetdesk.triage.clock import Clock
from tweetdesk.triage.views import ThreadView
from tweetdesk.values.durations import format_age, format_duration

TEXT_WIDTH = 280  # a tweet's worth of text per thread in a digest


@dataclass(frozen=True)
class Alert:
    episode: str
    view: ThreadView | None = None  # None: the stale-sync alert
    lines: tuple[str, ...] = ()  # the stale-sync alert's own words

    @property
    def conversation_id(self) -> int | None:
        return self.view.conversation_id if self.view else None


@dataclass(frozen=True)
class Digest:
    """One channel's message for one run: plain text, no markup; `chat` is the same text with
    the tweets' text and authors made safe for a chat app's markup (the webhook's `text`)."""

    subject: str
    text: str
    alerts: tuple[Alert, ...]
    at: datetime
    chat: str


Send = Callable[[Digest], None]


def write_digest(alerts: Sequence[Alert], now: datetime, clock: Clock, also_waiting: int) -> Digest:
    """The digest text: our words plus tweet text made inert and one line (no markup)."""
    threads = [a for a in alerts if a.view is not None]
    sync = [a for a in alerts if a.view is None]
    text = _body(threads, sync, now, clock, also_waiting, _as_is)
    chat = _body(threads, sync, now, clock, also_waiting, chat_safe)
    subject = _subject(len(threads), also_waiting, bool(sync))
    return Digest(subject, text, tuple(alerts), now, chat)


def _as_is(text: str) -> str:
    return text


def _body(
    threads: Sequence[Alert],
    sync: Sequence[Alert],
    now: datetime,
    clock: Clock,
    also_waiting: int,
    theirs: Callable[[str], str],
) -> str:
    """`theirs` wraps what customers wrote (names, text); our own words stay as they are."""
    lines: list[str] = []
    for alert in sync:
        lines += [*alert.lines, ""]
    if threads:
        noun = "thread" if len(threads) == 1 else "threads"
        lines += [f"{len(threads)} {noun} overdue (target {format_duration(clock.sla)}):", ""]
        for alert in threads:
            assert alert.view is not None
            lines += [*_thread_lines(alert.view, now, theirs), ""]
    if also_waiting:
        lines.append(f"Still overdue, alerted before: {also_waiting} (tweetdesk overdue).")
    if threads:
        lines.append("Answer with: tweetdesk inbox")
    return "\n".join(lines).strip() + "\n"


def _subject(new: int, before: int, sync: bool) -> str:
    """`tweetdesk: 22 overdue, 4 new`: every overdue thread, the newly overdue apart (those the
    digest lists; the others were alerted before)."""
    parts = []
    if new or before:
        parts.append(f"{new + before} overdue, {new} new")
    if sync:
        parts.append("sync is not running")
    return "tweetdesk: " + "; ".join(parts)


def _thread_lines(view: ThreadView, now: datetime, theirs: Callable[[str], str]) -> list[str]:
    waited = format_age(now - view.waiting_since) if view.waiting_since else "-"
    if view.business_minutes is not None:
        waited += f" ({view.business_minutes} business minutes)"
    where = "mention" if view.replyable else "brand talk: answer in the X app"
    if view.source == "dm":
        where = "DM"
    return [
        f"#{view.number}  {theirs('@' + one_line(view.author, 40))}  waiting {waited}  ({where})",
        f"    {theirs(one_line(view.text, TEXT_WIDTH))}",
        f"    {view.url}",
    ]


def webhook_payload(digest: Digest) -> dict[str, Any]:
    """Slack-compatible: `text` (with & < > escaped, so a tweet cannot ping <!channel>, and the
    tweets' @here/@everyone and markdown neutralised: output.safe.chat_safe) and `threads` in the
    `inbox --json` shape (exact text, as data)."""
    text = digest.chat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    sync = [a.lines[0] for a in digest.alerts if a.view is None]
    return {
        "text": text,
        "threads": [thread_json(a.view) for a in digest.alerts if a.view is not None],
        "sync": sync[0] if sync else None,
    }


def channel_json(channel: str, digest: Digest, error: str | None) -> dict[str, Any]:
    """What one channel gets (`alert --json`), in the webhook body's shape plus `subject` and
    `error`: the webhook's own `text` is exactly what it is posted; the others' is plain."""
    body = webhook_payload(digest)
    if channel != "webhook":
        body["text"] = digest.text
    return {"subject": digest.subject, **body, "error": error}
