import subprocess
import sys

import pytest

from tweetdesk.values.xtext import (
    contains_url,
    hashtags,
    is_valid_length,
    mentions,
    weighted_length,
)

LONG_URL = "https://example.com/orders/123456789/tracking?ref=abcdefghijklmnopqrstuvwxyz"


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("", 0),
        ("hello", 5),
        ("café", 4),
        ("cafe\u0301", 4),  # NFC-normalised first, like X
        (LONG_URL, 23),
        ("see example.com", 4 + 23),
        ("Thanks 😀", 7 + 2),
        ("👨‍👩‍👧", 2),  # one emoji sequence
        ("🇬🇧", 2),
        ("日本語", 6),
        ("한국어", 6),
        ("line\r\nbreak", 10),
        ("a" * 280, 280),
    ],
)
def test_weighted_length(text: str, length: int) -> None:
    assert weighted_length(text) == length


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("a", True),
        ("a" * 280, True),
        ("a" * 281, False),
        ("日" * 140, True),
        ("日" * 141, False),
        ("x " + LONG_URL * 1 + " " + "a" * 254, True),  # 2 + 23 + 1 + 254 = 280
        ("x " + LONG_URL + " " + "a" * 255, False),
        ("", False),
        ("   \n\t", False),
        ("bad \ufffe char", False),
    ],
)
def test_is_valid_length(text: str, valid: bool) -> None:
    assert is_valid_length(text) is valid


@pytest.mark.parametrize(
    ("text", "has_url"),
    [
        ("Track it at https://example.com/track", True),
        ("see example.com", True),
        ("www.example.org/help", True),
        ("our shop.co.uk page", True),
        ("no links here.", False),
        ("version 1.5 is out", False),
        ("mail help@example.com", False),  # X does not link e-mail addresses as URLs
        ("", False),
    ],
)
def test_contains_url(text: str, has_url: bool) -> None:
    assert contains_url(text) is has_url


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("Where is my order? #Shipping #shipping #delivery", ["shipping", "delivery"]),
        ("#日本語 #café #Москва", ["日本語", "café", "москва"]),
        ("＃fullwidth", ["fullwidth"]),
        ("##double", ["double"]),
        ("#1 #2024 #a1", ["a1"]),  # a hashtag needs a letter
        ("abc#notatag &#39; x", []),
        ("#️⃣ keycap", []),
        ("#a#b", []),
        ("#tag://x", []),
        ("see example.com/#frag and #real", ["real"]),
        ("(#paren) end #dot.", ["paren", "dot"]),
        ("#under_score", ["under_score"]),
        ("", []),
    ],
)
def test_hashtags(text: str, tags: list[str]) -> None:
    assert hashtags(text) == tags


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("@AcmeRoasters my order is late @acmeroasters", ["acmeroasters"]),
        ("@alice @Bob hi", ["alice", "bob"]),
        ("RT@news big day", ["news"]),
        (".@lead thanks", ["lead"]),
        ("＠fullwidth hi", ["fullwidth"]),
        ("mail me at ann@example.com", []),
        ("@user/list members", []),
        ("@bob@x", []),
        ("@bobé", []),
        ("read https://medium.com/@writer", []),
        ("@", []),
        ("", []),
    ],
)
def test_mentions(text: str, names: list[str]) -> None:
    assert mentions(text) == names


def test_twitter_text_is_imported_only_when_needed() -> None:
    # It takes ~0.4 s to import; listing commands import these modules and tag dot-less tweets.
    code = (
        "import sys, tweetdesk.values.xtext as t, tweetdesk.compose.templates as tpl\n"
        "assert 'twitter_text' not in sys.modules\n"
        "assert t.hashtags('#late @acme where is it') == ['late']\n"
        "assert t.mentions('@acme hi') == ['acme'] and not t.contains_url('no links')\n"
        "assert tpl.customer_values('bob', 'Bob Smith')['first_name'] == 'Bob'\n"
        "assert 'twitter_text' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
