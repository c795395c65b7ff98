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

# Characters a terminal acts on or that reorder/hide text: C0 and C1 controls, DEL, soft hyphen,
# Arabic letter mark, Mongolian vowel separator, zero-width space, LRM/RLM, bidi embeddings,
# overrides and isolates, invisible operators, BOM, interlinear annotations, lone surrogates
# (unprintable: encoding them for the terminal would raise) and Unicode tag characters.
# ZWJ/ZWNJ (U+200C/U+200D) and variation selectors stay: emoji and several scripts need them.
_INVISIBLE = (
    "\xad\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
    "\ud800-\udfff\U000e0000-\U000e007f"
)
_UNSAFE_CLASS = "\x00-\x09\x0b-\x1f\x7f-\x9f" + _INVISIBLE
# Tag characters are legitimate inside subdivision flags (🏴 + tags + CANCEL TAG, e.g. England).
_FLAG = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
_UNSAFE = re.compile(f"({_FLAG})|[{_UNSAFE_CLASS}]")
_SPECIAL = {"\x1b": "␛", "\t": " ", "\r": "", "\u2028": "\n", "\u2029": "\n"}
_SPACE_RUN = re.compile(r"\s+")
# JSON escapes only C0 itself; these are escaped too so the printed JSON is inert in a terminal.
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_INVISIBLE}]")
# A leading character that makes a spreadsheet evaluate the cell (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


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
    """Neutralise a spreadsheet formula: a cell starting with = + - @ tab or CR gets a "'".

    Leading spaces and newlines are skipped for the check: some spreadsheets ignore them.
    Fullwidth ＝ ＋ － ＠ count too, as some spreadsheets fold them to ASCII.
    """
    if value[:1] in ("\t", "\r") or value.lstrip(" \n").startswith(_FORMULA_START):
        return "'" + value
    return value


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
    return sum(_char_cells(char) for char in text)


def pad(text: str, width: int) -> str:
    """Left-align in `width` terminal cells (ljust counts characters, not cells)."""
    return text + " " * max(width - cells(text), 0)


def _char_cells(char: str) -> int:
    """Terminal cells a character takes: 0 for combining marks and joiners, 2 for wide ones."""
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1
