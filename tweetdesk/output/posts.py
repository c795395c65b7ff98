"""What the sending commands print: the link of what went out, and how to undo it."""

from __future__ import annotations

from collections.abc import Sequence

from tweetdesk.output.console import message, print_lines
from tweetdesk.store.lookup import TweetInfo
from tweetdesk.store.outbox import Item
from tweetdesk.triage.views import tweet_url


def _link(account: str, item: Item) -> str:
    return tweet_url(account, int(item.remote_id or 0))


def print_replied(info: TweetInfo, item: Item, account: str) -> None:
    print_lines(
        [
            f"Replied to @{info.username} (thread {info.number}): {_link(account, item)}",
            f"Undo: tweetdesk undo {item.remote_id}",
        ]
    )


def print_undone(item: Item, status: str) -> None:
    print_lines([f"Deleted reply {item.remote_id}; the thread is {status} again."])


def print_dm(
    info: TweetInfo,
    account: str,
    sent: tuple[Item | None, Item | None, Item | None],
    status: str | None,
    problems: Sequence[str],
) -> None:
    """The DM (and the thread's status), its public note, or the public fallback; then what
    went wrong with the public part, as warnings."""
    dm, note, fallback = sent
    lines = []
    if dm is not None:
        lines.append(f"DM sent to @{info.username}; thread {info.number} is now {status}.")
    if note is not None:
        lines.append(f"Public note: {_link(account, note)}")
    if fallback is not None:
        lines.append(f"Asked @{info.username} in public to DM you: {_link(account, fallback)}")
    print_lines(lines)
    for problem in problems:
        message(f"Warning: {problem}")
