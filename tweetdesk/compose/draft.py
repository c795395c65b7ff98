"""The Draft pipeline: what the person wrote (a text or a template) becomes the exact text that
would go out, checked by every guard, before anything touches the network.

A reply, a DM (with its public note or fallback) and a bulk row all go through here:
`wording` fills the text, `draft_reply` / `draft_dm` run the guards. The caller decides about
confirmations (take a breath) and the budget, then hands the draft to the outbox.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tweetdesk.compose.guards import cautions, check_target, check_text, url_price
from tweetdesk.config.schema import DEFAULT_PRICES
from tweetdesk.errors import GuardRefused, UsageError
from tweetdesk.store.lookup import TweetInfo
from tweetdesk.triage.state import ANSWERABLE, Status

DEFAULT_DM_INVITE = (
    "Hi {{first_name|there}}, we've sent you a DM so we can sort this out privately."
)
DEFAULT_DM_FALLBACK = (
    "Hi {{first_name|there}}, we'd like to sort this out privately: could you send us a DM "
    "(or follow us so we can message you)?"
)
BUILT_IN_TEMPLATES = {"dm_invite": DEFAULT_DM_INVITE, "dm_fallback": DEFAULT_DM_FALLBACK}
DM_LIMIT = 10_000


@dataclass(frozen=True)
class Wording:
    """What the person gave: a text (filled like a template) or a template name, not both."""

    text: str | None = None
    template: str | None = None


def wording(
    templates: Mapping[str, str],
    given: Wording,
    info: TweetInfo,
    variables: Mapping[str, str],
) -> str:
    """The text that would go out: the template or the typed text, placeholders filled."""
    if (given.text is None) == (given.template is None):
        raise UsageError("give the text, or --template NAME (not both)")
    if given.template is not None:
        return fill_template(templates, given.template, info, variables)
    return fill_text(str(given.text), info, variables)


def fill_template(
    templates: Mapping[str, str], name: str, info: TweetInfo, variables: Mapping[str, str]
) -> str:
    if name not in templates:
        known = ", ".join(sorted(templates)) or "none configured"
        raise UsageError(f"no template {name!r} in [templates] (known: {known})")
    return fill_text(templates[name], info, variables, what="template")


def fill_text(
    text: str, info: TweetInfo, variables: Mapping[str, str], *, what: str = "text"
) -> str:
    """Fill a text's placeholders: the customer's name, first_name and username, then the
    operator's variables. A text typed on the command line is filled like a template, so braces
    never go out as-is; an unfilled placeholder raises (templates.MissingValues)."""
    from tweetdesk.compose.templates import customer_values, fill

    return fill(text, {**customer_values(info.username, info.name), **variables}, what=what)


@dataclass
class Draft:
    info: TweetInfo
    text: str
    breath: list[str] = field(default_factory=list)  # take-a-breath reasons: confirm first
    warnings: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """What goes out: a public `reply`, or a `dm` into a DM thread's conversation."""
        return "dm" if self.info.is_dm else "reply"

    @property
    def price_key(self) -> str:
        """The price-table key of sending this text (a public reply with a URL costs more)."""
        return "dm_sent" if self.info.is_dm else public_price_key(self.text)


def public_price_key(text: str) -> str:
    from tweetdesk.values.xtext import contains_url

    return "url_post_created" if contains_url(text) else "reply_created"


def draft_reply(
    info: TweetInfo,
    text: str,
    *,
    account: str,
    force: bool,
    prices: Mapping[str, float] = DEFAULT_PRICES,
) -> Draft:
    """A public reply to exactly this tweet, or a DM into a DM thread's conversation, through
    every guard that applies (`prices`: the price table the URL warning quotes): X's length
    limit of each; stale and replyable only in public (a late private answer does no public
    harm, and a customer who wrote can be answered); take a breath for both; the URL price only
    in public (a DM costs the same with one)."""
    if info.is_dm:
        check_dm_text(text)
        if info.username.lower() == account.lower():
            raise GuardRefused(f"DM {info.id} is your own message, not a customer's")
        breath, warnings = cautions(text, prices)[0], list[str]()
    else:
        check_text(text)
        check_target(info, account, force=force)
        breath, warnings = cautions(text, prices)
    if info.status is Status.MUTED:  # sent all the same: muting is for the desk, not a ban
        warnings.append(
            f"you muted @{info.username}: ignoring a troll is often best; their tweets stay "
            f"stored (tweetdesk evidence @{info.username})"
        )
    return Draft(info, text, breath, warnings)


@dataclass
class DmDraft:
    """A DM and what may go out in public with it: the note that points to the DM, or the
    fallback reply that asks for one when the customer refuses DMs (None: not posted)."""

    info: TweetInfo
    text: str
    note: str | None
    fallback: str | None
    breath: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def price_keys(self) -> tuple[list[str], str]:
        """(the price-table keys of what goes out, what that is): a DM X will refuse is priced
        as the public reply that replaces it."""
        if self.fallback is not None and self.info.receives_your_dm is False:
            return [public_price_key(self.fallback)], "this public reply (the --fallback)"
        if self.note is None:
            return ["dm_sent"], "this DM"
        return ["dm_sent", public_price_key(self.note)], "this DM and its public note"


def draft_dm(
    info: TweetInfo,
    text: str,
    templates: Mapping[str, str],
    variables: Mapping[str, str],
    *,
    account: str,
    note: bool,
    fallback: bool,
    force: bool,
    prices: Mapping[str, float] = DEFAULT_PRICES,
) -> DmDraft:
    """A DM to the tweet's author, with its public texts, through every guard."""
    if info.is_dm:
        raise UsageError(
            f"thread {info.number} is a DM conversation already: answer it with "
            f'`tweetdesk reply {info.number} "..."`'
        )
    note_text, fallback_text, notices = _public_texts(
        templates, info, variables, note=note, fallback=fallback, force=force
    )
    check_dm_text(text)
    if info.found_via == "own":
        raise GuardRefused(f"tweet {info.id} is your own post, not a customer's")
    for public in (note_text, fallback_text):
        if public is not None:
            check_text(public, "public note")
            check_target(info, account, force=True)
            _, warnings = cautions(public, prices)
            if warnings:
                raise UsageError(
                    f"the public note must not contain a URL (X charges {url_price(prices)})"
                )
    return DmDraft(info, text, note_text, fallback_text, cautions(text)[0], notices)


def check_dm_text(text: str) -> None:
    if not text.strip():
        raise UsageError("the DM text is empty")
    if len(text) > DM_LIMIT:
        raise UsageError(f"the DM is {len(text)} characters; X's limit is {DM_LIMIT}")


def _public_texts(
    templates: Mapping[str, str],
    info: TweetInfo,
    variables: Mapping[str, str],
    *,
    note: bool,
    fallback: bool,
    force: bool,
) -> tuple[str | None, str | None, list[str]]:
    """The dm_invite note and dm_fallback texts that may go out in public (None: not posted),
    and notices saying why a note will not. A DM to a stale thread is fine; a public note to
    the day-old mention is not, unless forced."""
    if info.found_via not in ANSWERABLE:
        notices = ["No public note: X lets apps reply only to posts that mention or quote you."]
        return None, None, notices if note else []
    notices = []
    if info.status is Status.STALE and not force:
        if fallback:
            raise GuardRefused(
                f"thread {info.number} has waited longer than stale_after (stale): --fallback "
                "would answer the old mention in public; add --force, or leave out --fallback"
            )
        if note:
            notices.append(
                f"No public note: thread {info.number} has waited longer than stale_after "
                "(stale), and a late public reply does more harm than good (--force to post it "
                "anyway)."
            )
        note = False
    known = {**BUILT_IN_TEMPLATES, **templates}
    return (
        fill_template(known, "dm_invite", info, variables) if note else None,
        fill_template(known, "dm_fallback", info, variables) if fallback else None,
        notices,
    )
