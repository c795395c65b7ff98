"""The sanitiser's invisible characters (Unicode category Cf and blank letters), hidden
spreadsheet formulas, and chat-safe text for the webhook."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tweetdesk.output.safe import chat_safe, clean_terminal, csv_cell, json_safe

# Cf characters the sanitiser keeps: ZWNJ and ZWJ (emoji, Persian, Indic scripts) and the
# visible prepended concatenation marks.
KEPT_CF = {0x200C, 0x200D, *range(0x600, 0x606), 0x6DD, 0x70F, 0x890, 0x891, 0x8E2}
KEPT_CF |= {0x110BD, 0x110CD}
BLANKS = "\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0"
FLAG = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\u115f\u1160name", "\\u115f\\u1160name"),  # Hangul choseong/jungseong fillers
        ("\u3164", "\\u3164"),  # Hangul filler: a "blank" display name
        ("\uffa0x", "\\uffa0x"),  # halfwidth Hangul filler
        ("pay\u034fpal", "pay\\u034fpal"),  # combining grapheme joiner
        ("\u2800\u2800", "\\u2800\\u2800"),  # braille blank
        ("a\U0001d173b\U0001d17a", "a\\U0001d173b\\U0001d17a"),  # musical format controls
        ("\U0001bca0\U0001bca3", "\\U0001bca0\\U0001bca3"),  # shorthand format controls
        ("\u17b4\u17b5", "\\u17b4\\u17b5"),  # Khmer inherent vowels (deprecated)
    ],
)
def test_blank_and_format_characters_are_spelled_out(raw: str, shown: str) -> None:
    assert clean_terminal(raw) == shown
    printed = json_safe(raw)  # JSON escapes them too, and loads back to the exact text
    assert json.loads(printed) == raw
    assert _visible_leftovers(printed) == []


def test_every_format_character_unicode_knows_is_spelled_out() -> None:
    missed = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if unicodedata.category(chr(code)) == "Cf"
        and code not in KEPT_CF
        and clean_terminal(chr(code)) == chr(code)
    ]
    assert missed == [], "add these to textsafe._FORMAT"


def test_kept_format_characters_stay() -> None:
    for code in KEPT_CF:
        assert clean_terminal(chr(code)) == chr(code)


def _visible_leftovers(text: str) -> list[str]:
    outside_flags = FLAG.sub("", text)
    return [
        c
        for c in outside_flags
        if c in BLANKS or (unicodedata.category(c) == "Cf" and ord(c) not in KEPT_CF)
    ]


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_no_invisible_character_survives(text: str) -> None:
    assert _visible_leftovers(clean_terminal(text)) == []


@given(st.text(alphabet=st.sampled_from(BLANKS + "\u200b\u2060\ufeffab =\U0001d175")))
def test_invisible_characters_are_spelled_out_and_idempotent(text: str) -> None:
    once = clean_terminal(text)
    assert _visible_leftovers(once) == []
    assert clean_terminal(once) == once


# --- spreadsheet formulas behind invisible or unusual whitespace -------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "\xa0=HYPERLINK(1)",  # NBSP
        "\u200b=1+1",  # zero-width space
        "\ufeff+1",  # BOM
        "\x0b@SUM(A1)",  # vertical tab
        "\u3000-2+3",  # ideographic space
        "\u2060\u3164=1",  # word joiner, Hangul filler
        " \n\t=1",
        "\tplain",  # a tab or CR first is enough
        "\rplain",
    ],
)
def test_a_formula_behind_blanks_is_neutralised(value: str) -> None:
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["\xa0hello", "\u200bhi", "a=b", "", "'=1"])
def test_ordinary_cells_are_left_alone(value: str) -> None:
    assert csv_cell(value) == value


# --- chat-safe text (the webhook's `text`) ----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("@here look", "@\u2060here look"),
        ("@everyone @Channel @ALL", "@\u2060everyone @\u2060Channel @\u2060ALL"),
        ("@acme hi @alice", "@acme hi @alice"),  # ordinary mentions read as before
        ("[your bank](http://evil.example)", "\\[your bank\\](http://evil.example)"),
        ("*bold* ~strike~ `code`", "\\*bold\\* \\~strike\\~ \\`code\\`"),
        ("||spoiler||", "\\|\\|spoiler\\|\\|"),
        ("_italic_ but sam_k stays", "\\_italic\\_ but sam_k stays"),
        ("a\\*b", "a\\\\\\*b"),  # a backslash cannot undo our escape
    ],
)
def test_chat_safe(raw: str, safe: str) -> None:
    assert chat_safe(raw) == safe


def _unescape(text: str) -> str:
    """What a CommonMark chat shows: `\\x` is x for ASCII punctuation; WORD JOINER invisible."""
    return re.sub(r"\\([\\*~`|\[\]_])", r"\1", text).replace("@\u2060", "@")


@given(st.text(alphabet=st.sampled_from("@hereveryonchal[]()*_~`|\\ ab\n")))
def test_chat_safe_reads_the_same_and_cannot_ping_or_link(text: str) -> None:
    out = chat_safe(text)
    assert _unescape(out) == text.replace("@\u2060", "@")
    unescaped_marks = re.sub(r"\\[\\*~`|\[\]_]", "", out)
    assert not re.search(r"[*~`|\[\]\\]", unescaped_marks)
    assert not re.search(r"@(here|everyone|channel|all)", out, re.IGNORECASE)
