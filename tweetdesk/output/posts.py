"""What the sending commands print: the link of what went out, and how to undo it."""

from __future__ import annotations

from collections.abc import Sequence

from tweetdesk.output.console import message, print_lines
from tweetdesk.triage.views import tweet_url


def _link(account: str, remote_id: str | None) -> str:
    return tweet_url(account, int(remote_id or 0))


def print_replied(
    customer: str, number: int, account: str, remote_id: str | None, dm_link: str | None = None
) -> None:
    """A public reply's link and how to undo it; a DM's conversation (DMs are not undone)."""
    if dm_link is not None:
        print_lines([f"DM sent to @{customer} (thread {number}): {dm_link}"])
        return
    print_lines(
        [
            f"Replied to @{customer} (thread {number}): {_link(account, remote_id)}",
            f"Undo: tweetdesk undo {remote_id}",
        ]
    )


def print_undone(remote_id: str | None, status: str) -> None:
    print_lines([f"Deleted reply {remote_id}; the thread is {status} again."])


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
