"""Tweet-text facts for the reply guards, counted and extracted the way X does it.

Length and URLs come from twitter-text-parser (X's own weighting: a URL counts 23, an emoji or a
CJK character 2). That package has no hashtag or mention extractor, so those two are ports of the
official twitter-text rules (same character classes, boundaries and end checks).
twitter_text takes ~0.4 s to import, so it is imported inside the functions, and only when needed.
"""

from __future__ import annotations

import html
import re
import unicodedata

MAX_WEIGHTED_LENGTH = 280

_HASH_SIGNS = "#＃"
# twitter-text's hashtagSpecialChars: joiners, Hebrew/Japanese/Tibetan punctuation used in words.
_HASHTAG_SPECIAL = (
    "_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e"
    "\u301c\u309b\u309c\u30a0\u30fb\u3003\u0f0b\u0f0c\u00b7"
)
_MENTION = re.compile(
    r"(?:^|[^a-zA-Z0-9_!#$%&*@＠]|(?:^|[^a-zA-Z0-9_+~.-])(?:rt|RT|rT|Rt):?)"
    r"[@＠]([a-zA-Z0-9_]{1,20})(/[a-zA-Z][a-zA-Z0-9_-]{0,24})?"
)
# twitter-text's endMentionMatch: "@bob@x", "@bobé" and "@bob://" are not mentions.
_LATIN_ACCENTS = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263\u0268"
    "\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_END_MENTION = re.compile(f"[@＠{_LATIN_ACCENTS}]|://")


def weighted_length(text: str) -> int:
    """Length as X counts it toward 280: URLs 23, emoji and CJK characters 2, others 1."""
    from twitter_text import parse_tweet

    return int(parse_tweet(text).weightedLength)


def is_valid_length(text: str) -> bool:
    """True when X would accept the text: not blank, 1..280 weighted, no U+FFFE/FEFF/FFFF."""
    if not text.strip():
        return False
    from twitter_text import parse_tweet

    return bool(parse_tweet(text).valid)


def contains_url(text: str) -> bool:
    """True when X would turn part of the text into a link, bare domains like example.com too."""
    if "." not in text:
        return False  # X links nothing without a dot; skips the slow import.
    from twitter_text import extract_urls

    return bool(extract_urls(text))


def without_links(text: str, placeholder: str = "<url>") -> str:
    """The text with every link X would make (bare domains like example.com too, and t.co
    links) replaced by `placeholder`: how a sent text and X's t.co-wrapped copy compare."""
    if "." not in text:
        return text
    from twitter_text import extract_urls_with_indices

    out, at = [], 0
    for url in extract_urls_with_indices(text):
        start, end = url["indices"]
        out += [text[at:start], placeholder]
        at = end
    return "".join([*out, text[at:]])


def same_text(sent: str, seen: str) -> bool:
    """Whether X's copy of a post reads as the text sent: X HTML-escapes &, < and >, wraps links
    in t.co (bare domains like acmeroasters.example.com too, as twitter-text finds them), and
    puts the replied-to @handles in front of a reply's text."""

    def norm(text: str) -> str:
        text = re.sub(r"^(?:@\w+\s+)+", "", html.unescape(text).lstrip())
        return " ".join(without_links(text).split())

    return norm(sent) == norm(seen)


def hashtags(text: str) -> list[str]:
    """Hashtags in order of first use, lower-case, without "#", each once; none inside URLs."""
    found: list[tuple[int, str]] = []
    for match in re.finditer(f"[{_HASH_SIGNS}]", text):
        tag = _hashtag_at(text, match.start())
        if tag:
            found.append((match.start(), tag.lower()))
    return _unique(_outside_urls(text, found))


def mentions(text: str) -> list[str]:
    """@mentioned usernames in order of first use, lower-case, without "@", each once.

    List references (`@user/list`) are not mentions; neither is an @ inside a URL or an e-mail.
    """
    found: list[tuple[int, str]] = []
    for match in _MENTION.finditer(text):
        if match[2] or _END_MENTION.match(text, match.end()):
            continue
        found.append((match.start(1) - 1, match[1].lower()))
    return _unique(_outside_urls(text, found))


def _hashtag_at(text: str, at: int) -> str:
    """The hashtag whose sign is at `at`, or "" when X would not make it one."""
    before = text[at - 1] if at else ""
    # "&#39;" is an HTML entity and "abc#x" is not a tag; VS15/VS16 may precede a sign.
    if before and before not in "\ufe0e\ufe0f" and (before == "&" or _is_tag_char(before)):
        return ""
    if text[at + 1 : at + 2] in ("\ufe0f", "\u20e3"):
        return ""  # keycap emoji such as #️⃣
    end = at + 1
    while end < len(text) and _is_tag_char(text[end]):
        end += 1
    tag = text[at + 1 : end]
    if not any(_is_tag_alpha(char) for char in tag):
        return ""  # "#1" is not a tag: at least one letter
    if text.startswith(("#", "＃", "://"), end):
        return ""
    return tag


def _is_tag_alpha(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _is_tag_char(char: str) -> bool:
    return _is_tag_alpha(char) or unicodedata.category(char) == "Nd" or char in _HASHTAG_SPECIAL


def _outside_urls(text: str, found: list[tuple[int, str]]) -> list[str]:
    """Drop entities that start inside a URL, as X's entity extraction does."""
    if not found or "." not in text:
        return [entity for _, entity in found]
    from twitter_text import extract_urls_with_indices

    spans = [url["indices"] for url in extract_urls_with_indices(text)]
    return [entity for start, entity in found if not any(s <= start < e for s, e in spans)]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
