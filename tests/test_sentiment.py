import subprocess
import sys

import pytest

from tweetdesk.triage.sentiment import compound, heat, is_complaint


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("Thanks for getting back to me so quickly, the new beans are amazing!", 1),
        ("Love the Ethiopian blend, ordering again!", 1),
        ("Can I change the delivery address on my order?", 0),
        ("Do you ship to Ireland?", 0),
        ("My order never arrived and nobody is answering. Really disappointed.", -1),
        ("Worst coffee I have ever had", -1),
        ("Absolutely terrible customer service.", -1),
    ],
)
def test_compound(text: str, sign: int) -> None:
    score = compound(text)
    assert -1 <= score <= 1
    if sign == 0:
        assert score == 0
    else:
        assert score * sign > 0.4


@pytest.mark.parametrize(
    ("reply", "reasons"),
    [
        (
            "Thanks for your patience, Ann! Your order shipped today and should arrive Thursday.",
            [],
        ),
        ("Sorry to hear that. Could you DM us your order number so we can sort it out?", []),
        ("Great news: your refund went through today 🎉", []),
        ("Hi Sam, your order ships via UPS on MON. See our FAQ.", []),
        ("@ACMEROASTERS #SHIPPING https://example.com/TRACK thanks Sam, it is on its way", []),
        ("Happy to help! Anything else?", []),
        ("THIS IS NOT OUR FAULT. READ THE DELIVERY TERMS.", ["it is shouting (100% capitals)"]),
        ("WHY IS IT NOT HERE YET", ["it is shouting (100% capitals)"]),
        ("PLEASE CHECK YOUR EMAIL again", ["it is shouting (76% capitals)"]),
        ("Seriously?! We already refunded you.", ["it has '?!'"]),
        ("Stop spamming us!!!", ["it reads as angry (sentiment -0.73)", "it has '!!!'"]),
        (
            "Are you an idiot? It says decaf on the bag.",
            ["it reads as angry (sentiment -0.51)", "it has an insult or profanity: 'idiot'"],
        ),
        (
            "This is complete bullshit, we never got your email",
            ["it reads as angry (sentiment -0.59)", "it has an insult or profanity: 'bullshit'"],
        ),
        (
            "What the hell do you want us to do about it?",
            ["it reads as angry (sentiment -0.65)", "it has an insult or profanity: 'hell'"],
        ),
        (
            "Stupid question, damn it, read the label",
            [
                "it reads as angry (sentiment -0.73)",
                "it has insults or profanity: 'stupid', 'damn'",
            ],
        ),
    ],
)
def test_heat(reply: str, reasons: list[str]) -> None:
    assert heat(reply) == reasons


@pytest.mark.parametrize(
    "reply",
    [
        "ok",  # too few letters to shout
        "DM us",
        "Shipped with DHL, see the FAQ and our T&C",  # acronyms are not shouting
        "Hi Dick, thanks for the order!",  # a name, not profanity
        "Hello from the team",  # "hell" only as a whole word
        "Where is it?? Let us check.",  # "??" is not heat
    ],
)
def test_heat_stays_quiet_on_calm_replies(reply: str) -> None:
    assert heat(reply) == []


@pytest.mark.parametrize(
    ("tweet", "complaint"),
    [
        ("My order never arrived and nobody is answering. Really disappointed.", True),
        ("@acmeroasters I was charged twice for order 4412", True),
        ("The grinder arrived broken", True),
        ("You sent me the wrong beans", True),
        ("I want to cancel my subscription", True),
        ("Parcel is late again, third time this month", True),
        ("Still waiting for a refund", True),
        ("Where's my order??", True),
        ("Not happy at all with this service", True),  # by score alone
        ("Love the Ethiopian blend, ordering again!", False),
        ("Can I change the delivery address on my order?", False),
        ("Will you have the holiday blend later this year?", False),  # "later" is not "late"
        ("Do you ship to Ireland?", False),
    ],
)
def test_is_complaint(tweet: str, complaint: bool) -> None:
    assert is_complaint(tweet, compound(tweet)) is complaint


@pytest.mark.parametrize(
    ("score", "complaint"),
    [(-0.3, True), (-0.29, False), (-0.9, True), (0.5, False)],
)
def test_is_complaint_threshold(score: float, complaint: bool) -> None:
    assert is_complaint("Do you ship to Ireland?", score) is complaint


def test_importing_sentiment_does_not_load_vader_or_twitter_text() -> None:
    code = (
        "import sys, tweetdesk.triage.sentiment\n"
        "assert 'vaderSentiment' not in sys.modules\n"
        "assert 'twitter_text' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
