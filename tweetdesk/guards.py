"""Guards that run before anything is sent: text length, stale, replyable, take a breath, URLs.

Hard refusals raise; soft ones are returned as reasons for the caller to confirm or refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tweetdesk.db import Store
from tweetdesk.errors import GuardRefused, NotFoundError, UsageError
from tweetdesk.threads import tweet_url
from tweetdesk.timeutil import from_iso
from tweetdesk.triage import Clock, Status, effective_status

URL_PRICE_RATIO = "about 13x"  # $0.200 with a URL against $0.015 without


@dataclass(frozen=True)
class TweetInfo:
    """A stored customer tweet we may answer, with its thread and author."""

    id: int
    conversation_id: int
    number: int
    author_id: int
    username: str
    name: str
    found_via: str
    status: Status
    receives_your_dm: bool | None

    @property
    def url(self) -> str:
        return tweet_url(self.username, self.id)


def tweet_info(store: Store, tweet_id: int, now: datetime, clock: Clock) -> TweetInfo:
    row = store.conn.execute(
        """
        SELECT t.id, t.conversation_id, t.author_id, t.found_via,
               th.number, th.status, th.waiting_since, th.snooze_until,
               u.username, u.name, u.receives_your_dm
        FROM tweets t
        JOIN threads th ON th.conversation_id = t.conversation_id
        LEFT JOIN users u ON u.id = t.author_id
        WHERE t.id = ?
        """,
        (tweet_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no tweet {tweet_id} in the desk (run `tweetdesk sync`?)")
    since = from_iso(row["waiting_since"]) if row["waiting_since"] else None
    until = from_iso(row["snooze_until"]) if row["snooze_until"] else None
    dm = row["receives_your_dm"]
    return TweetInfo(
        id=row["id"],
        conversation_id=row["conversation_id"],
        number=row["number"],
        author_id=row["author_id"],
        username=row["username"] or "",
        name=row["name"] or "",
        found_via=row["found_via"],
        status=effective_status(Status(row["status"]), since, until, now, clock),
        receives_your_dm=None if dm is None else bool(dm),
    )


def check_text(text: str, what: str = "reply") -> None:
    """X's own rule, counted as X counts it (URLs 23, emoji 2): 1..280 weighted characters."""
    from tweetdesk.textstats import weighted_length

    if not text.strip():
        raise UsageError(f"the {what} text is empty")
    length = weighted_length(text)
    if length > 280:
        raise UsageError(f"the {what} is {length} characters as X counts them; the limit is 280")


def check_target(info: TweetInfo, account: str, *, force: bool) -> None:
    """Refuse what cannot or should not be answered publicly, before any request."""
    if info.found_via == "own":
        raise GuardRefused(f"tweet {info.id} is your own post, not a customer's")
    if info.found_via != "mention":
        raise GuardRefused(
            f"X lets apps reply only to posts that mention or quote @{account}; this one was "
            f"found by search: answer it in the X app ({info.url}) or try `tweetdesk dm {info.id}`"
        )
    if info.status is Status.STALE and not force:
        raise GuardRefused(
            f"thread {info.number} has waited longer than stale_after (stale): a late public reply "
            f"does more harm than good; use `tweetdesk dm {info.id}`, or --force"
        )


def cautions(text: str) -> tuple[list[str], list[str]]:
    """(take-a-breath reasons, warnings) for a text about to go out."""
    from tweetdesk.sentiment import heat
    from tweetdesk.textstats import contains_url

    warnings = []
    if contains_url(text):
        warnings.append(
            f"the text has a URL: X charges {URL_PRICE_RATIO} more for it ($0.20 instead of "
            "$0.015); consider moving it to a DM"
        )
    return heat(text), warnings
