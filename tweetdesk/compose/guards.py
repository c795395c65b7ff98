"""Guards that run before anything is sent: text length, stale, replyable, take a breath, URLs.

Hard refusals raise; soft ones are returned as reasons for the caller to confirm or refuse.
"""

from __future__ import annotations

from collections.abc import Mapping

from tweetdesk.config.schema import DEFAULT_PRICES
from tweetdesk.errors import GuardRefused, UsageError
from tweetdesk.store.lookup import TweetInfo
from tweetdesk.triage.state import ANSWERABLE, Status


def url_price(prices: Mapping[str, float] = DEFAULT_PRICES) -> str:
    """What a URL costs in a reply, from the price table: "$0.200 instead of $0.010 (20x)"."""
    with_url, plain = prices["url_post_created"], prices["reply_created"]
    ratio = f" ({with_url / plain:.0f}x)" if plain else ""
    return f"${with_url:.3f} instead of ${plain:.3f}{ratio}"


def check_text(text: str, what: str = "reply") -> None:
    """X's own rule, counted as X counts it (URLs 23, emoji 2): 1..280 weighted characters."""
    from tweetdesk.values.xtext import weighted_length

    if not text.strip():
        raise UsageError(f"the {what} text is empty")
    length = weighted_length(text)
    if length > 280:
        raise UsageError(f"the {what} is {length} characters as X counts them; the limit is 280")


def check_target(info: TweetInfo, account: str, *, force: bool) -> None:
    """Refuse what cannot or should not be answered publicly, before any request."""
    if info.found_via == "own":
        raise GuardRefused(f"tweet {info.id} is your own post, not a customer's")
    if info.found_via not in ANSWERABLE:
        raise GuardRefused(
            f"X lets apps reply only to posts that mention or quote @{account}; this one was "
            f"found by search: answer it in the X app ({info.url}) or try `tweetdesk dm {info.id}`"
        )
    if info.status is Status.STALE and not force:
        raise GuardRefused(
            f"thread {info.number} has waited longer than stale_after (stale): a late public reply "
            f"does more harm than good; use `tweetdesk dm {info.id}`, or --force"
        )


def cautions(
    text: str, prices: Mapping[str, float] = DEFAULT_PRICES
) -> tuple[list[str], list[str]]:
    """(take-a-breath reasons, warnings) for a text about to go out; the URL warning quotes
    the price table ([prices])."""
    from tweetdesk.triage.sentiment import heat
    from tweetdesk.values.xtext import contains_url

    warnings = []
    if contains_url(text):
        warnings.append(
            f"the text has a URL: X charges {url_price(prices)} for this reply with it; "
            "consider moving the link to a DM"
        )
    return heat(text), warnings
