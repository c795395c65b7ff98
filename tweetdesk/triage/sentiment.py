"""Sentiment for triage and the "take a breath" check on our own replies.

vaderSentiment is imported on first use: it costs ~30 ms to import and ~35 ms to load its lexicon,
which listing commands must not pay just for importing this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from tweetdesk.values.xtext import contains_url

ANGRY_AT_OR_BELOW = -0.5
COMPLAINT_AT_OR_BELOW = -0.3
SHOUTING_MIN_LETTERS = 8
SHOUTING_MIN_SHARE = 0.6
# "UPS", "FAQ", "ASAP", "I": short all-capital words that are not shouting on their own.
_ACRONYM_MAX_LETTERS = 4
_LINKISH = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:[/?#]\S*)?$", re.IGNORECASE)
_BANG_RUN = re.compile(r"[!?！？]*[!！][!?！？]*")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# VADER scores words, it does not say which ones insult: "awful" and "damaged" score as low as
# "idiot", and a kind apology uses them. So insults and profanity are named here.
_INSULTS = frozenset(
    """
    idiot idiots idiotic stupid stupidity moron morons moronic dumb dumbass imbecile imbeciles
    fool fools foolish loser losers pathetic clown clowns liar liars incompetent useless
    jerk jerks scumbag scumbags retard retarded
    fuck fucks fucked fucking fucker fuckers fuckin motherfucker motherfucking wtf stfu ffs
    shit shits shitty bullshit crap crappy damn damned goddamn goddam hell bloody
    ass asshole assholes arse arsehole bastard bastards bitch bitches bitchy
    dickhead prick pricks piss pissed twat wanker wankers cunt cunts douche douchebag
    """.split()  # noqa: SIM905 - a word list reads better than 78 quoted strings
)
_COMPLAINT_CUES = re.compile(
    r"\b(?:refunds?|refunded|broken|broke|damaged|late|delayed|never\s+(?:arrived|came|received|"
    r"got|showed\s+up)|not\s+(?:arrived|received|working)|(?:hasn't|has\s+not|haven't|have\s+not)"
    r"\s+(?:arrived|received|come)|wrong|worst|cancel\w*|disappoint\w*|missing|lost|faulty|"
    r"defective|(?:doesn't|does\s+not|stopped)\s+work\w*|still\s+waiting|where(?:'s|\s+is)\s+my|"
    r"charged\s+twice|double\s+charged|overcharged|complain\w*|terrible|awful|horrible|"
    r"unacceptable|rude|scam\w*|ripped\s+off|rip\s*off|unhappy|poor\s+service)\b",
    re.IGNORECASE,
)


def compound(text: str) -> float:
    """VADER's compound score for the text, from -1 (most negative) to 1 (most positive)."""
    return float(_analyzer().polarity_scores(text)["compound"])


def heat(text: str) -> list[str]:
    """Why a reply we are about to send looks angry or shouting; empty when it reads calm."""
    reasons = []
    score = compound(text)
    if score <= ANGRY_AT_OR_BELOW:
        reasons.append(f"it reads as angry (sentiment {score:.2f})")
    share = _shouting_share(text)
    if share is not None:
        reasons.append(f"it is shouting ({round(share * 100)}% capitals)")
    bangs = [run for run in _BANG_RUN.findall(text) if len(run) >= 2]
    if bangs:
        reasons.append(f"it has {bangs[0]!r}")
    insults = list(dict.fromkeys(w for w in _WORD.findall(text.lower()) if w in _INSULTS))
    if insults:
        noun = "an insult or profanity" if len(insults) == 1 else "insults or profanity"
        reasons.append(f"it has {noun}: {', '.join(repr(word) for word in insults)}")
    return reasons


def is_complaint(text: str, score: float) -> bool:
    """True for triage priority: clearly negative (score <= -0.3) or a complaint cue word."""
    return score <= COMPLAINT_AT_OR_BELOW or _COMPLAINT_CUES.search(text) is not None


def is_shouting(text: str) -> bool:
    """Mostly capital letters (entities and short acronyms aside): raises a thread's priority.

    Listings call this for every open thread, so links are spotted by a cheap pattern here
    instead of twitter-text (whose import alone costs a listing ~10 ms)."""
    return _shouting_share(text, _looks_like_link) is not None


def _looks_like_link(word: str) -> bool:
    return _LINKISH.search(word) is not None


def _shouting_share(text: str, is_link: Callable[[str], bool] = contains_url) -> float | None:
    """Share of capital letters when the text shouts, else None.

    @mentions, hashtags and URLs do not count. Short all-capital words ("UPS", "FAQ") are left out
    too, unless the text has too few other letters to judge: "WHY IS IT NOT HERE" still shouts.
    """
    cased = [_cased(w) for w in text.split() if not _is_entity(w, is_link)]
    upper, letters = _total(c for c in cased if not _is_acronym(*c))
    if letters < SHOUTING_MIN_LETTERS:
        upper, letters = _total(cased)
    if letters < SHOUTING_MIN_LETTERS or upper / letters < SHOUTING_MIN_SHARE:
        return None
    return upper / letters


def _cased(word: str) -> tuple[int, int]:
    """Capital and small letters in a word (counted in C: listings and sync score thousands)."""
    return sum(map(str.isupper, word)), sum(map(str.islower, word))


def _total(counts: Iterable[tuple[int, int]]) -> tuple[int, int]:
    upper = letters = 0
    for capitals, small in counts:
        upper += capitals
        letters += capitals + small
    return upper, letters


def _is_entity(word: str, is_link: Callable[[str], bool]) -> bool:
    bare = word.lstrip("([{\"'“‘")
    return bare.startswith(("@", "＠", "#", "＃")) or "://" in bare or is_link(bare)


def _is_acronym(capitals: int, small: int) -> bool:
    return 0 < capitals <= _ACRONYM_MAX_LETTERS and small == 0


@cache
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()
