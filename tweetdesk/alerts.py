"""Overdue alerts for cron: what is new, one digest per channel, and what was sent.

An alert is an *episode*: a thread overdue since a given `waiting_since` (a reopened thread waits
from a new time, so it can alert again), or a stale sync keyed by the last good sync's finish
time. `alerts_sent` records each episode per channel once it was delivered there, so every run
sends only what that channel has not had yet, and a channel that failed gets it on the next run.
Delivery itself (SMTP, HTTP) lives in `alert_channels`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tweetdesk.db import Store
from tweetdesk.durations import format_age, format_duration
from tweetdesk.errors import TweetdeskError
from tweetdesk.textsafe import chat_safe, one_line
from tweetdesk.threads import ThreadView, list_threads
from tweetdesk.timeutil import from_iso, to_iso, to_utc_text
from tweetdesk.triage import Clock

TEXT_WIDTH = 280  # a tweet's worth of text per thread in a digest


class DeliveryError(TweetdeskError):
    """A channel could not deliver its digest (the run exits 1; the next run retries)."""


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


@dataclass
class ChannelResult:
    channel: str
    alerts: int
    error: str | None = None


@dataclass
class AlertRun:
    results: list[ChannelResult] = field(default_factory=list)

    @property
    def failed(self) -> list[ChannelResult]:
        return [r for r in self.results if r.error is not None]


Send = Callable[[Digest], None]


# --- what to alert about ------------------------------------------------------------------------


def thread_episode(view: ThreadView) -> str:
    assert view.waiting_since is not None  # an overdue thread is waiting
    return f"thread:{view.conversation_id}:{to_iso(view.waiting_since)}"


def collect(
    store: Store,
    now: datetime,
    clock: Clock,
    tag_rules: Mapping[str, Sequence[str]],
    sync_max_age: timedelta,
) -> list[Alert]:
    """Everything alert-worthy right now: a stale sync first, then overdue threads, most urgent
    first. Muted, stale and snoozed threads are never overdue, so never here."""
    alerts: list[Alert] = []
    sync_alert = stale_sync(store, now, sync_max_age)
    if sync_alert is not None:
        alerts.append(sync_alert)
    for view in list_threads(store, now, clock, tag_rules):
        if view.overdue:
            alerts.append(Alert(thread_episode(view), view))
    return alerts


def stale_sync(store: Store, now: datetime, max_age: timedelta) -> Alert | None:
    """A broken cron must not look like a quiet morning: no good sync within `max_age`."""
    last = store.last_sync()
    finished = from_iso(last["finished_at"]) if last and last.get("finished_at") else None
    if finished is not None and now - finished <= max_age:
        return None
    limit = format_duration(max_age)
    if finished is None:
        lines = [f"Sync: tweetdesk has never synced successfully ([alerts] sync_max_age {limit})."]
    else:
        lines = [
            f"Sync: the last successful sync finished {to_utc_text(finished)}, "
            f"{format_age(now - finished)} ago ([alerts] sync_max_age {limit})."
        ]
    failed = store.last_sync("failed")
    if failed and failed.get("error") and (last is None or failed["id"] > last["id"]):
        lines.append(f"  The last sync failed: {one_line(str(failed['error']), TEXT_WIDTH)}")
    lines.append("  Check the cron job, or run `tweetdesk sync` by hand to see the error.")
    episode = f"sync:{to_iso(finished) if finished else 'never'}"
    return Alert(episode, None, tuple(lines))


def already_sent(store: Store, channel: str, episodes: Sequence[str]) -> set[str]:
    if not episodes:
        return set()
    marks = ",".join("?" * len(episodes))
    rows = store.conn.execute(
        f"SELECT episode FROM alerts_sent WHERE channel = ? AND episode IN ({marks})",
        (channel, *episodes),
    )
    return {r[0] for r in rows}


def mark_sent(store: Store, channel: str, alerts: Sequence[Alert], now: datetime) -> None:
    with store.write() as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO alerts_sent (episode, channel, conversation_id, sent_at) "
            "VALUES (?, ?, ?, ?)",
            [(a.episode, channel, a.conversation_id, to_iso(now)) for a in alerts],
        )


# --- what an alert says -------------------------------------------------------------------------


def compose(alerts: Sequence[Alert], now: datetime, clock: Clock, also_waiting: int) -> Digest:
    """The digest text: our words plus tweet text made inert and one line (no markup)."""
    threads = [a for a in alerts if a.view is not None]
    sync = [a for a in alerts if a.view is None]
    text = _body(threads, sync, now, clock, also_waiting, _as_is)
    chat = _body(threads, sync, now, clock, also_waiting, chat_safe)
    return Digest(_subject(len(threads), bool(sync)), text, tuple(alerts), now, chat)


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


def _subject(threads: int, sync: bool) -> str:
    parts = []
    if threads:
        parts.append(f"{threads} overdue {'thread' if threads == 1 else 'threads'}")
    if sync:
        parts.append("sync is not running")
    return "tweetdesk: " + "; ".join(parts)


def _thread_lines(view: ThreadView, now: datetime, theirs: Callable[[str], str]) -> list[str]:
    waited = format_age(now - view.waiting_since) if view.waiting_since else "-"
    if view.business_minutes is not None:
        waited += f" ({view.business_minutes} business minutes)"
    where = "mention" if view.replyable else "brand talk: answer in the X app"
    return [
        f"#{view.number}  {theirs('@' + one_line(view.author, 40))}  waiting {waited}  ({where})",
        f"    {theirs(one_line(view.text, TEXT_WIDTH))}",
        f"    {view.url}",
    ]


def webhook_payload(digest: Digest) -> dict[str, Any]:
    """Slack-compatible: `text` (with & < > escaped, so a tweet cannot ping <!channel>, and the
    tweets' @here/@everyone and markdown neutralised: textsafe.chat_safe) and `threads` in the
    `inbox --json` shape (exact text, as data)."""
    from tweetdesk.render import thread_json

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


def run_json(
    found: Sequence[Alert],
    digests: Mapping[str, Digest | None],
    run: AlertRun,
    *,
    dry_run: bool,
) -> dict[str, Any]:
    """`alert --json`: each configured channel's digest (null: nothing new for it), and the
    stale-sync line when the sync is stale now (whether alerted before or not)."""
    errors = {r.channel: r.error for r in run.failed}
    sync = next((a.lines[0] for a in found if a.view is None), None)
    return {
        "dry_run": dry_run,
        "sync": sync,
        "channels": {
            name: None if digest is None else channel_json(name, digest, errors.get(name))
            for name, digest in digests.items()
        },
    }


# --- one run ------------------------------------------------------------------------------------


def run_alerts(
    store: Store,
    now: datetime,
    clock: Clock,
    alerts: Sequence[Alert],
    senders: Mapping[str, Send],
    *,
    record: bool = True,
) -> AlertRun:
    """Send each channel one digest of what it has not had; record what was delivered.

    A failing channel is reported and not recorded (retried next run); the others go on.
    """
    run = AlertRun()
    episodes = [a.episode for a in alerts]
    overdue = {a.episode for a in alerts if a.view is not None}
    for channel, send in senders.items():
        sent = already_sent(store, channel, episodes)
        new = [a for a in alerts if a.episode not in sent]
        if not new:
            continue
        digest = compose(new, now, clock, also_waiting=len(overdue & sent))
        try:
            send(digest)
        except DeliveryError as exc:
            run.results.append(ChannelResult(channel, len(new), exc.message))
            continue
        if record:
            mark_sent(store, channel, new, now)
        run.results.append(ChannelResult(channel, len(new)))
    return run
