"""What the sending commands print: the link of what went out, and how to undo it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo

from tweetdesk.output.console import message, print_lines
from tweetdesk.triage.views import tweet_url
from tweetdesk.values.times import local_text


def _link(account: str, remote_id: str | None) -> str:
    return tweet_url(account, int(remote_id or 0))


def print_replied(
    customer: str,
    number: int,
    account: str,
    remote_id: str | None,
    *,
    before: datetime | None = None,
    tz: tzinfo = UTC,
    now: datetime | None = None,
    dm_link: str | None = None,
) -> None:
    """The reply's link and how to undo it, or a DM's conversation (DMs are not undone);
    `before`: when the very same reply went out (nothing was sent now), shown in the desk's
    timezone `tz`."""
    if dm_link is not None:
        if before is None:
            print_lines([f"DM sent to @{customer} (thread {number}): {dm_link}"])
        else:
            at = local_text(before, tz, now)
            print_lines(
                [f"Already sent this DM to @{customer} (thread {number}) at {at}: {dm_link}"]
            )
        return
    link = _link(account, remote_id)
    if before is None:
        first = f"Replied to @{customer} (thread {number}): {link}"
    else:
        at = local_text(before, tz, now)
        first = f"Already replied to @{customer} (thread {number}) at {at}, not sent again: {link}"
    print_lines([first, f"Undo: tweetdesk undo {remote_id}"])


def print_undone(remote_id: str | None, customer: str, number: int, status: str) -> None:
    print_lines(
        [f"Deleted reply {remote_id} to @{customer} (thread {number}); it is {status} again."]
    )


def print_dm(
    customer: str,
    number: int,
    account: str,
    sent: tuple[str | None, str | None, str | None],
    status: str | None,
    problems: Sequence[str],
) -> None:
    """The DM (and the thread's status), its public note, or the public fallback (`sent`: the
    ids X gave each, None for what did not go out); then what went wrong, as warnings."""
    dm, note, fallback = sent
    lines = []
    if dm is not None:
        lines.append(f"DM sent to @{customer}; thread {number} is now {status}.")
    if note is not None:
        lines.append(f"Public note: {_link(account, note)}")
    if fallback is not None:
        lines.append(f"Asked @{customer} in public to DM you: {_link(account, fallback)}")
    print_lines(lines)
    for problem in problems:
        message(f"Warning: {problem}")
