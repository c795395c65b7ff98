"""Tags: [tags] rules (words, phrases, #hashtags) and a tweet's own hashtags, so similar
questions can be grouped and answered the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

_WORD = re.compile(r"[#@]?\w+(?:'\w+)?", re.UNICODE)
# A hashtag that is an order, ticket or year number (#a1043, #ord-5512, #2026), not a topic: a
# tag only when a [tags] rule names it.
_NUMBER = re.compile(r"[a-z]{0,3}-?[0-9]{3,}[a-z]?", re.ASCII)


def tags_for(text: str, hashtags: Iterable[str], rules: Mapping[str, Sequence[str]]) -> list[str]:
    """Tags from [tags] rules (words, phrases, #hashtags) plus the tweet's own hashtags, except
    those that are numbers (`#a1043`: an order, not a topic)."""
    low = text.lower()
    words = {w.lower() for w in _WORD.findall(text)}
    own = [h.lower().lstrip("#") for h in hashtags]
    tags: list[str] = []
    for tag, needles in rules.items():
        if any(_matches(n.lower(), words, low, own) for n in needles):
            tags.append(tag)
    for h in own:
        if h not in tags and not _NUMBER.fullmatch(h):
            tags.append(h)
    return tags


def _matches(needle: str, words: set[str], text: str, hashtags: Sequence[str]) -> bool:
    if needle.startswith("#"):
        return needle[1:] in hashtags
    if " " in needle:
        return needle in text
    return needle in words or f"#{needle}" in words
