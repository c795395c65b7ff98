"""Untrusted text (tweets, names) made safe for terminals, table cells, CSV files and JSON output.

Dangerous characters are not deleted but replaced by visible, inert spellings (ESC becomes "␛",
other controls `\\x07`, `\\u202e`, ...): a harassment report must show what was really sent.
Rich markup such as `[bold]` is left alone here; the renderer shows it literally through Text().
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# Characters a terminal acts on or that reorder/hide text: C0 and C1 controls, DEL, every
# invisible format character (Unicode category Cf: soft hyphen, zero-width space, LRM/RLM, bidi
# embeddings, overrides and isolates, invisible operators, BOM, interlinear annotations, tag
# characters, musical and shorthand format controls, ...), lone surrogates (unprintable: encoding
# them for the terminal would raise) and letters that render as nothing (_BLANK).
# Kept from Cf: ZWNJ/ZWJ (U+200C/U+200D), which emoji and several scripts need, and the
# prepended concatenation marks (U+0600-0605, 06DD, 070F, 0890-0891, 08E2, 110BD, 110CD), which
# are visible signs. Python's re has no \p{Cf}, so the Cf set is spelled out below; a test
# checks it against unicodedata (add to it when a newer Unicode assigns more).
_FORMAT = (
    "\xad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f"
)
# Not Cf, but blank: combining grapheme joiner, Hangul fillers, Khmer inherent vowels (deprecated),
# braille blank. Used to make names and texts look empty or to split words invisibly.
_BLANK = "\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0"
_INVISIBLE = _FORMAT + _BLANK + "\u2028\u2029\ud800-\udfff"
_UNSAFE_CLASS = "\x00-\x09\x0b-\x1f\x7f-\x9f" + _INVISIBLE
# Tag characters are legitimate inside subdivision flags (🏴 + tags + CANCEL TAG, e.g. England).
_FLAG = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
_UNSAFE = re.compile(f"({_FLAG})|[{_UNSAFE_CLASS}]")
_SPECIAL = {"\x1b": "␛", "\t": " ", "\r": "", "\u2028": "\n", "\u2029": "\n"}
_SPACE_RUN = re.compile(r"\s+")
# JSON escapes only C0 itself; these are escaped too so the printed JSON is inert in a terminal.
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_INVISIBLE}]")
# What a spreadsheet skips before a cell's first character, and a first character that makes
# it evaluate the cell (OWASP CSV injection).
_LEADING_BLANKS = re.compile(f"^[\\s{_INVISIBLE}]+")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Chat pings a message text can carry, and the markdown a chat app would format.
_CHAT_PING = re.compile(r"@(?=here|everyone|channel|all)", re.IGNORECASE)
_CHAT_MARK = re.compile(r"[\\*~`|\[\]]|(?<!\w)_|_(?!\w)")


def clean_terminal(text: str) -> str:
    """Make untrusted text inert for a terminal while keeping every character visible.

    ESC → "␛", tab → space, CR dropped (so it cannot overwrite the line), U+2028/2029 → newline,
    other controls, bidi and invisible format characters → `\\xNN` / `\\uNNNN` / `\\UNNNNNNNN`.
    Newlines, emoji, accents and RTL scripts are left exactly as they are. Idempotent.
    """
    return _UNSAFE.sub(_replace, text)


def one_line(text: str, width: int | None = None) -> str:
    """Clean text for a table cell: one line, single spaces, cut to `width` cells with "…"."""
    flat = _SPACE_RUN.sub(" ", clean_terminal(text)).strip()
    if width is None or cells(flat) <= width:
        return flat
    if width < 1:
        return ""
    kept, used = [], 0
    for char in flat:
        used += _char_cells(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def csv_cell(value: str) -> str:
    """Neutralise a spreadsheet formula: a cell whose first visible character is = + - or @, or
    that starts with a tab or CR, gets a leading "'".

    Leading whitespace (NBSP, vertical tab, ...) and invisible characters (ZWSP, BOM, ...) are
    skipped for the check: some spreadsheets ignore them. Fullwidth ＝ ＋ － ＠ count too, as some
    spreadsheets fold them to ASCII.
    """
    if value[:1] in ("\t", "\r") or _LEADING_BLANKS.sub("", value, count=1).startswith(
        _FORMULA_START
    ):
        return "'" + value
    return value


def chat_safe(text: str) -> str:
    """Untrusted text for a chat message (Slack, Mattermost, Discord, Rocket.Chat): a WORD
    JOINER after the @ of @here, @everyone, @channel and @all (no ping; it still reads the
    same), and a backslash before markdown's * ~ ` | [ ] and \\ and before a _ that could open
    or close emphasis (not inside a word, as in user_names). `[label](url)` stays literal text.
    The & < > escaping Slack asks for is applied to the whole message, not here."""
    return _CHAT_MARK.sub(r"\\\g<0>", _CHAT_PING.sub("@\u2060", text))


def json_safe(obj: Any, *, indent: int | None = None, sort_keys: bool = False) -> str:
    """`json.dumps(obj, ensure_ascii=False)` with C1, DEL, bidi, invisible format characters
    and U+2028/2029 escaped as `\\uXXXX`: valid JSON that loads back to the exact strings."""
    text = json.dumps(obj, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    # Outside strings JSON has only ASCII, so every match is inside a string: escaping is valid.
    return _JSON_UNSAFE.sub(_json_escape, text)


def _replace(match: re.Match[str]) -> str:
    if match[1]:
        return match[1]
    special = _SPECIAL.get(match[0])
    return special if special is not None else _spell(match[0])


def _spell(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    # JSON spells astral characters as a UTF-16 surrogate pair.
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def cells(text: str) -> int:
    """Terminal cells the text takes (wide characters 2, combining marks and joiners 0)."""
    if text.isascii():  # one cell each (no ASCII character is wide, combining or a joiner)
        return len(text)
    return sum(_char_cells(char) for char in text)


def pad(text: str, width: int) -> str:
    """Left-align in `width` terminal cells (ljust counts characters, not cells)."""
    return text + " " * max(width - cells(text), 0)


def _char_cells(char: str) -> int:
    """Terminal cells a character takes: 0 for combining marks and joiners, 2 for wide ones."""
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1
