"""Reply templates: `{{name}}` and `{{name|fallback}}` placeholders, and safe customer values.

Values from customer data (display names, usernames) are attacker-controlled: a display name such
as "Bob @evilcorp" or "Visit evil.com" must not make our reply mention someone or carry a link,
hashtag or cashtag. Values the operator passes with `--var` are trusted and used as given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from tweetdesk.errors import UsageError

# DOTALL: a placeholder broken over lines is reported as malformed, not sent as text.
_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
_FORM = "write {{name}} or {{name|fallback}}"
# Words that would make X link, mention or tag something: @ and # anywhere, "://", $cashtags, and
# "domain-like" words (a dot between letters/digits with two or more after it, e.g. evil.com);
# also "{{"/"}}", so a name never looks like an unfilled placeholder in the reply.
_RISKY_WORD = re.compile(r"[@#]|://|\$[A-Za-z]|[^\W_]\.[^\W_]{2,}|\{\{|\}\}")
_USERNAME_JUNK = re.compile(r"[^A-Za-z0-9_]", re.ASCII)
_EDGE_PUNCTUATION = "\"'.,;:!?()[]{}<>«»“”‘’-–—…"


def placeholders(template: str) -> list[str]:
    """Placeholder names in order of first use, each once; malformed braces raise UsageError."""
    names: list[str] = []
    for name, _fallback in _parse(template):
        if name not in names:
            names.append(name)
    return names


class MissingValues(UsageError):
    """Placeholders with neither a value nor a fallback (`names`, in order of first use)."""

    def __init__(self, message: str, names: list[str]) -> None:
        super().__init__(message)
        self.names = names


def fill(template: str, values: Mapping[str, str | None], *, what: str = "template") -> str:
    """Fill every placeholder; a value that is missing, None or blank uses the fallback.

    Raises MissingValues naming every placeholder that has neither a value nor a fallback;
    `what` names the text in messages ("template", "text").
    """
    parsed = _parse(template, what)
    missing = [name for name, fallback in parsed if fallback is None and not _value(values, name)]
    if missing:
        names = list(dict.fromkeys(missing))
        raise MissingValues(_missing_message(names, what), names)

    def fill(match: re.Match[str]) -> str:
        name, fallback = _split(match)
        return _value(values, name) or (fallback or "")

    return _PLACEHOLDER.sub(fill, template)


def fill_known(template: str, values: Mapping[str, str | None]) -> str:
    """Fill what can be filled (a value, else the fallback) and leave the rest as `{{name}}`
    for the person to complete: a compose box prefilled from a template. What goes out is
    filled again with `fill`, which refuses a placeholder still there."""
    _parse(template)

    def fill_one(match: re.Match[str]) -> str:
        name, fallback = _split(match)
        value = _value(values, name) or fallback
        return value if value is not None else f"{{{{{name}}}}}"

    return _PLACEHOLDER.sub(fill_one, template)


def customer_values(username: str, name: str | None) -> dict[str, str]:
    """Template values from customer data, cleaned: `name`, `first_name` and `username` (no @).

    A value that cleans to nothing is "" so that the placeholder's fallback applies.
    """
    clean_name = clean_customer_value(name or "")
    return {
        "name": clean_name,
        "first_name": _first_name(clean_name),
        "username": _USERNAME_JUNK.sub("", unicodedata.normalize("NFKC", username)),
    }


def clean_customer_value(s: str) -> str:
    """Make a customer-supplied string safe to put in our reply.

    NFKC first (so fullwidth ＠ and ．become @ and .), then control, bidi and other invisible
    characters go, line breaks become spaces, and every word carrying an @, #, $cashtag, "://"
    or a domain-like/X-linkable string is dropped whole. Spaces are collapsed.
    """
    text = "".join(_visible(char) for char in unicodedata.normalize("NFKC", s))
    return " ".join(word for word in text.split() if not _is_risky(word))


def _visible(char: str) -> str:
    category = unicodedata.category(char)
    if category in ("Zl", "Zp") or char in "\n\r\t\x0b\x0c\x1c\x1d\x1e\x1f\x85":
        return " "
    # ZWJ and ZWNJ are kept: emoji sequences and Persian/Indic names need them.
    if category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and char not in "\u200c\u200d"):
        return ""
    return char


def _is_risky(word: str) -> bool:
    if _RISKY_WORD.search(word):
        return True
    if "." not in word:
        return False  # X links nothing without a dot; skips the slow import below.
    # X auto-links bare domains it knows ("example.co"); ask its own extractor. Imported here
    # because twitter_text takes ~0.4 s to import and most commands never fill a template.
    from twitter_text import extract_urls

    return bool(extract_urls(word))


def _first_name(clean_name: str) -> str:
    # The first word with a letter in it: "🚀 Bob Smith" greets Bob, not the rocket.
    for word in clean_name.split():
        word = word.strip(_EDGE_PUNCTUATION)
        if any(char.isalpha() for char in word):
            return word
    return ""


def _parse(template: str, what: str = "template") -> list[tuple[str, str | None]]:
    """(name, fallback or None) for each placeholder; raises UsageError on malformed braces."""
    found = [_split(match, what) for match in _PLACEHOLDER.finditer(template)]
    rest = _PLACEHOLDER.sub("", template)
    if "{{" in rest:
        snippet = _snippet(rest[rest.index("{{") :])
        raise UsageError(f"{what} has an unclosed placeholder {snippet}: {_FORM}")
    if "}}" in rest:
        raise UsageError(f"{what} has '}}}}' without a matching '{{{{': {_FORM}")
    return found


def _split(match: re.Match[str], what: str = "template") -> tuple[str, str | None]:
    body = match[1]
    if "{{" in body:
        raise UsageError(f"{what} has an unclosed placeholder {_snippet(match[0])}: {_FORM}")
    name, bar, fallback = body.partition("|")
    name = name.strip()
    if not name:
        raise UsageError(f"{what} has an empty placeholder {match[0]!r}: {_FORM}")
    if not _NAME.fullmatch(name):
        raise UsageError(
            f"{what} has a bad placeholder {match[0]!r}: names use letters, digits and _; {_FORM}"
        )
    return name, fallback.strip() if bar else None


def _snippet(text: str) -> str:
    return repr(text if len(text) <= 20 else text[:20] + "…")


def _value(values: Mapping[str, str | None], name: str) -> str:
    value = values.get(name)
    return value.strip() if value else ""


def _missing_message(names: list[str], what: str) -> str:
    shown = " and ".join(", ".join(f"{{{{{n}}}}}" for n in names).rsplit(", ", 1))
    passes = " ".join(f"--var {n}=..." for n in names)
    noun = "a value" if len(names) == 1 else "values"
    return f"{what} needs {noun} for {shown}: pass {passes}"


def parse_vars(pairs: list[str]) -> dict[str, str]:
    """`--var key=value` pairs (the operator's own values, trusted as given)."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip().isidentifier():
            raise UsageError(f"bad --var {pair!r}: use key=value")
        out[key.strip()] = value
    return out
