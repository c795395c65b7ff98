"""Tweet text the way X treats it: t.co wrapping, entities, weighted length, HTML escaping.

X stores and serves tweet text with `&`, `<` and `>` escaped as HTML entities, and API v2 entity
indices are code-point offsets into that escaped text (checked against X's recorded search page,
where `&amp;` precedes hashtags).
"""

from __future__ import annotations

import hashlib
import re
import string
from typing import Any

from twitter_text import extract_urls_with_indices, parse_tweet

MAX_WEIGHTED_LENGTH = 280
_BASE62 = string.digits + string.ascii_letters
# A mention is @ + 1-15 handle characters, not glued to a preceding word, email or another @.
_MENTION = re.compile(r"(?<![A-Za-z0-9_!#$%&*@＠])[@＠]([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_@＠]|://)")
# A hashtag needs at least one letter (#2026 is not a hashtag on X).
_HASHTAG = re.compile(r"(?<![\w&#＃])[#＃](\w*[^\W\d_]\w*)")
_WORD = re.compile(r"\w+")
_DISPLAY_MAX = 28


def weighted_length(text: str) -> int:
    """X's weighted length (URLs count 23, most CJK and emoji count 2)."""
    return int(parse_tweet(text).weightedLength)


def note_preview(text: str) -> str:
    """The `text` X serves for a post over 280 weighted characters (the whole text is in
    `note_tweet`): the longest run of whole words that fits in 280, with no ellipsis. A reported
    real exchange shows exactly such a cut (xdevplatform/twitter-api-java-sdk#84: a 287-character
    post served as its first 270, ending at a word); the precise rule is assumed."""
    # Links are already 23-character t.co links and no character weighs more than 2: a short
    # text needs no (slow) weighing.
    if 2 * len(text) <= MAX_WEIGHTED_LENGTH or weighted_length(text) <= MAX_WEIGHTED_LENGTH:
        return text
    ends = [m.start() for m in re.finditer(r"\s+", text)]
    low, high = 0, len(ends) - 1
    best = 0
    while low <= high:  # the weighted length of a prefix grows with it: binary search
        middle = (low + high) // 2
        if weighted_length(text[: ends[middle]]) <= MAX_WEIGHTED_LENGTH:
            best, low = ends[middle], middle + 1
        else:
            high = middle - 1
    return text[:best].rstrip() if best else text[:MAX_WEIGHTED_LENGTH]


def escape(text: str) -> str:
    """X serves `&`, `<` and `>` in tweet text as HTML entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention_names(text: str) -> list[str]:
    return [m.group(1) for m in _MENTION.finditer(text)]


def leading_mentions(text: str) -> list[str]:
    """The @handles a text starts with (X's reply prefix)."""
    names = []
    for word in text.split():
        match = _MENTION.fullmatch(word)
        if not match:
            break
        names.append(match.group(1))
    return names


def tokens(text: str) -> list[str]:
    """Lower-case words, the unit recent search matches keywords on."""
    return _WORD.findall(text.lower())


def _tco_code(salt: str, url: str) -> str:
    number = int(hashlib.sha256(f"{salt}|{url}".encode()).hexdigest(), 16)
    chars = []
    for _ in range(10):
        number, digit = divmod(number, 62)
        chars.append(_BASE62[digit])
    return "".join(chars)


def _display_url(expanded: str) -> str:
    shown = re.sub(r"^https?://(www\.)?", "", expanded)
    return shown if len(shown) <= _DISPLAY_MAX + 1 else shown[:_DISPLAY_MAX] + "…"


def wrap_urls(text: str, salt: str) -> tuple[str, list[dict[str, Any]]]:
    """Replace every URL with a fresh t.co link, as X does on posting; returns the links."""
    if "." not in text:  # X links nothing without a dot: skip the parser
        return text, []
    pieces: list[str] = []
    links: list[dict[str, Any]] = []
    cursor = 0
    for found in extract_urls_with_indices(text):
        start, end = found["indices"]
        original = found["url"]
        if original.startswith("https://t.co/"):
            short, expanded = original, original
        else:
            short = "https://t.co/" + _tco_code(salt, original)
            expanded = original if "://" in original else "http://" + original
        pieces += [text[cursor:start], short]
        links.append(
            {"url": short, "expanded_url": expanded, "display_url": _display_url(expanded)}
        )
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), links


def entities(
    text: str, links: list[dict[str, Any]], user_ids: dict[str, str]
) -> dict[str, list[dict[str, Any]]]:
    """The `entities` of (escaped) tweet text; empty lists are left out, as X leaves them out."""
    mentions = []
    for match in _MENTION.finditer(text):
        item: dict[str, Any] = {"start": match.start(), "end": match.end()}
        item["username"] = match.group(1)
        user_id = user_ids.get(match.group(1).lower())
        if user_id:
            item["id"] = user_id
        mentions.append(item)
    tags = [
        {"start": m.start(), "end": m.end(), "tag": m.group(1)} for m in _HASHTAG.finditer(text)
    ]
    urls = []
    cursor = 0
    for link in links:
        start = text.find(link["url"], cursor)
        if start < 0:  # cut off by a long post's preview
            break
        cursor = start + len(link["url"])
        urls.append({"start": start, "end": cursor, **link})
    found: dict[str, list[dict[str, Any]]] = {}
    for name, items in (("mentions", mentions), ("hashtags", tags), ("urls", urls)):
        if items:
            found[name] = items
    return found
