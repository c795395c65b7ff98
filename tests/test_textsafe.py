import json
import string
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tweetdesk.output.safe import clean_terminal, csv_cell, json_safe, one_line

ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        # CSI colour and cursor movement
        ("\x1b[31mred\x1b[0m", "␛[31mred␛[0m"),
        ("\x1b[2J\x1b[H", "␛[2J␛[H"),
        # OSC 8 hyperlink, terminated by BEL and by ST
        (
            "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
            "␛]8;;https://evil.example\\x07click␛]8;;\\x07",
        ),
        (
            "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
            "␛]8;;https://evil.example␛\\click␛]8;;␛\\",
        ),
        # OSC window title, single-character ESC sequences
        ("\x1b]0;pwned\x07", "␛]0;pwned\\x07"),
        ("\x1bc\x1b7\x1b8", "␛c␛7␛8"),
        # 8-bit C1 CSI and OSC, and the 8-bit string terminator
        ("\x9b31mred", "\\x9b31mred"),
        ("\x9d8;;https://x\x9clink", "\\x9d8;;https://x\\x9clink"),
        # other C0, DEL, NEL
        ("bell\x07 nul\x00 bs\x08 del\x7f nel\x85", "bell\\x07 nul\\x00 bs\\x08 del\\x7f nel\\x85"),
        ("a\x0bb\x0cc", "a\\x0bb\\x0cc"),
        # tab is a space; CR cannot rewind the line; CRLF becomes LF
        ("a\tb", "a b"),
        (
            "Your refund is approved\rYour refund is denied",
            "Your refund is approvedYour refund is denied",
        ),
        ("one\r\ntwo", "one\ntwo"),
        ("one\ntwo", "one\ntwo"),
        # bidi overrides, embeddings, isolates, marks
        ("abc\u202edcba", "abc\\u202edcba"),
        (
            "\u2066x\u2069 \u2067y\u2069 \u2068z\u2069",
            "\\u2066x\\u2069 \\u2067y\\u2069 \\u2068z\\u2069",
        ),
        ("\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d"),
        ("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"),
        # invisible spoofing characters
        ("pay\u200bpal \ufeff soft\xadhyphen", "pay\\u200bpal \\ufeff soft\\xadhyphen"),
        ("tag\U000e0041smuggle", "tag\\U000e0041smuggle"),
        ("\ud800lone", "\\ud800lone"),
        ("line\u2028sep\u2029para", "line\nsep\npara"),
    ],
)
def test_clean_terminal_makes_controls_visible_and_inert(raw: str, shown: str) -> None:
    assert clean_terminal(raw) == shown


@pytest.mark.parametrize(
    "text",
    [
        "Hello, where is my order? #shipping @acme",
        "Café crème, naïve façade, Ångström",
        "مرحبا بالعالم",
        "שלום עולם",
        "日本語のツイート、ありがとう！",
        "Love it 😍👍🏽 👨‍👩‍👧 🇬🇧 " + ENGLAND,
        "[bold]not bold[/bold] [/b] [link=https://x]x[/link] :smile:",
        "نامه\u200cها",  # ZWNJ is part of Persian spelling
        "keycap 1\ufe0f\u20e3",
        "multi\nline\n",
        "",
    ],
)
def test_clean_terminal_leaves_ordinary_text_alone(text: str) -> None:
    assert clean_terminal(text) == text


def _is_unsafe(char: str) -> bool:
    code = ord(char)
    return (
        (code < 0x20 and char != "\n")
        or 0x7F <= code <= 0x9F
        or char in BIDI
        or unicodedata.category(char) == "Cs"
    )


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_clean_terminal_output_is_inert(text: str) -> None:
    cleaned = clean_terminal(text)
    assert not any(_is_unsafe(char) for char in cleaned)
    assert "\x1b" not in cleaned
    assert "\x9b" not in cleaned


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_clean_terminal_is_idempotent(text: str) -> None:
    once = clean_terminal(text)
    assert clean_terminal(once) == once


@given(
    st.text(
        alphabet=string.printable.replace("\t", "")
        .replace("\r", "")
        .replace("\x0b", "")
        .replace("\x0c", "")
    )
)
def test_clean_terminal_leaves_printable_ascii_unchanged(text: str) -> None:
    assert clean_terminal(text) == text


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("hello\n\n  world\t!", None, "hello world !"),
        ("  padded  ", None, "padded"),
        ("red \x1b[31m\nnext", None, "red ␛[31m next"),
        ("a\u2028b", None, "a b"),
        ("short", 10, "short"),
        ("exactly ten", 11, "exactly ten"),
        ("this is far too long", 10, "this is f…"),
        ("this is   far", 9, "this is…"),
        ("日本語のツイートです", 7, "日本語…"),
        ("abc", 1, "…"),
        ("abc", 0, ""),
        ("[b]markup[/b] stays", 30, "[b]markup[/b] stays"),
    ],
)
def test_one_line(text: str, width: int | None, expected: str) -> None:
    assert one_line(text, width) == expected


@given(st.text(), st.integers(min_value=1, max_value=40))
def test_one_line_is_a_single_clean_line(text: str, width: int) -> None:
    line = one_line(text, width)
    assert "\n" not in line
    assert clean_terminal(line) == line


@given(st.text(alphabet=string.ascii_letters + " \n"), st.integers(min_value=1, max_value=40))
def test_one_line_fits_the_width(text: str, width: int) -> None:
    line = one_line(text, width)
    assert len(line) <= width
    assert line == " ".join(text.split()) or line.endswith("…")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil","click")', '\'=HYPERLINK("http://evil","click")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1+1", "'  =1+1"),
        ("＝1+1", "'＝1+1"),
        ("Where is my order?", "Where is my order?"),
        ("@acme hello", "'@acme hello"),
        ("a=b", "a=b"),
        ("", ""),
        ("'already quoted", "'already quoted"),
    ],
)
def test_csv_cell(value: str, expected: str) -> None:
    assert csv_cell(value) == expected


def test_json_safe_escapes_terminal_dangers_but_keeps_text() -> None:
    data = {"text": "café 😀 \x1b[31m \x85 \u202e \u2028 \u2029 \x7f", "n": 1}
    out = json_safe(data)
    assert out == '{"text": "café 😀 \\u001b[31m \\u0085 \\u202e \\u2028 \\u2029 \\u007f", "n": 1}'
    assert json.loads(out) == data


def test_json_safe_escapes_astral_tag_characters_as_surrogate_pairs() -> None:
    out = json_safe(["x\U000e0041"])
    assert out == '["x\\udb40\\udc41"]'
    assert json.loads(out) == ["x\U000e0041"]


def test_json_safe_passes_formatting_options() -> None:
    assert (
        json_safe({"b": 1, "a": [2]}, indent=2, sort_keys=True)
        == '{\n  "a": [\n    2\n  ],\n  "b": 1\n}'
    )


JSON_DANGER = set(map(chr, range(0x7F, 0xA0))) | BIDI | {"\u2028", "\u2029"}
json_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | json_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(json_text, inner, max_size=4),
    max_leaves=12,
)


@given(json_values)
def test_json_safe_round_trips_and_is_inert(value: object) -> None:
    out = json_safe(value)
    assert json.loads(out) == value
    assert not any(
        char in JSON_DANGER or unicodedata.category(char) in ("Cc", "Cs")
        for char in out
        if char != "\n"
    )
