"""Priority: which waiting customer comes first. Negative feedback first, never ignored; reach
raises it; overdue threads come before everything else.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from tweetdesk.triage.sentiment import is_complaint, is_shouting
from tweetdesk.triage.tags import tags_for


def priority(
    sentiment: float | None, followers: int | None, complaint: bool, *, shouting: bool = False
) -> float:
    """Higher first. Negative feedback comes first; reach raises it; never ignore anyone.

    VADER reads "WHERE IS MY ORDER?? ... THIS IS A JOKE" as positive (capitals and "joke"
    intensify), so a complaint never loses priority for a positive score, and shouting adds some.
    """
    score = sentiment or 0.0
    if complaint:
        score = min(score, 0.0)
    score *= -2.0  # -1 (furious) -> +2
    if complaint:
        score += 1.5
    if shouting:
        score += 1.0
    score += math.log10(max(followers or 0, 0) + 1) / 3.0  # 1M followers -> +2
    return round(score, 3)


@dataclass(frozen=True)
class Score:
    """What a thread's reply target says about its urgency, stored when the thread changes."""

    priority: float
    complaint: bool
    tags: list[str]


def thread_score(
    text: str,
    sentiment: float | None,
    followers: int | None,
    hashtags: Iterable[str],
    rules: Mapping[str, Sequence[str]],
) -> Score:
    """Priority (sentiment, complaint, shouting, reach) and tags of a thread's reply target."""
    complaint = is_complaint(text, sentiment or 0.0)
    prio = priority(sentiment, followers, complaint, shouting=is_shouting(text))
    return Score(prio, complaint, tags_for(text, hashtags, rules))


def sort_key(overdue: bool, prio: float, waiting_since: datetime | None) -> tuple[int, float, str]:
    """Overdue first, then priority, then the longest waiting."""
    waited = waiting_since.isoformat() if waiting_since else "9999"
    return (0 if overdue else 1, -prio, waited)
