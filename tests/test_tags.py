"""Tags: [tags] rules and a tweet's own hashtags, except hashtags that are numbers (an order
like #A1043 is no topic to group by), unless a rule names them."""

from __future__ import annotations

import pytest

from tweetdesk.triage.tags import tags_for


@pytest.mark.parametrize(
    ("text", "hashtags", "rules", "expected"),
    [
        ("my order #A1043 arrived split", ["A1043"], {}, []),
        ("where is #a1043b?", ["a1043b"], {}, []),
        ("#12345 still not here", ["12345"], {}, []),
        ("best beans of #2026", ["2026"], {}, []),
        ("late again #shipping", ["shipping"], {}, ["shipping"]),
        ("into #web3 coffee", ["web3"], {}, ["web3"]),
        ("#V60 grind please", ["V60"], {}, ["v60"]),
        ("order #A1043 late", ["A1043"], {"orders": ["#a1043"]}, ["orders"]),
        ("order #A1043 late", ["A1043"], {"shipping": ["order"]}, ["shipping"]),
    ],
)
def test_tags(
    text: str, hashtags: list[str], rules: dict[str, list[str]], expected: list[str]
) -> None:
    assert tags_for(text, hashtags, rules) == expected
