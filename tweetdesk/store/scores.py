"""The stored priority inputs of a thread: its reply target's sentiment (on `tweets`), and the
thread's complaint flag, priority and tags (on `threads`).

NULL means not scored yet. `threads.refresh` clears them when a thread's reply target changes,
and a trigger when its customer's reach (followers) changes; `fill` scores the threads a listing
may show (open ones at the end of a sync, anything else the first time a listing shows it), so
VADER runs once per tweet that is shown and never for the answered or stale history. Tags depend
on the [tags] rules: the rules they were computed with are kept in `meta`, and other rules clear
them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from tweetdesk.store.store import Store
from tweetdesk.triage.priority import thread_score
from tweetdesk.triage.tags import tags_for

RULES_KEY = "tag_rules"
_TARGETS = """
SELECT th.conversation_id, t.id, t.text, t.sentiment, t.hashtags, u.followers_count
FROM threads th JOIN tweets t ON t.id = th.tweet_id LEFT JOIN users u ON u.id = th.customer_id
WHERE {where} AND {unscored}
"""


def forget_old_tags(store: Store, rules: Mapping[str, Sequence[str]]) -> None:
    """Clear stored tags computed with other [tags] rules than these."""
    key = json.dumps({tag: list(words) for tag, words in rules.items()}, ensure_ascii=False)
    if store.get_meta(RULES_KEY) == key:
        return
    with store.write() as conn:
        conn.execute("UPDATE threads SET tags = NULL WHERE tags IS NOT NULL")
        store.set_meta(RULES_KEY, key)


def fill(
    store: Store, where: str, params: Mapping[str, Any], rules: Mapping[str, Sequence[str]]
) -> int:
    """Score the threads matching `where` (over `threads th`) that are not scored yet."""
    sql = _TARGETS.format(where=where, unscored="(th.priority IS NULL OR th.tags IS NULL)")
    rows = store.conn.execute(sql, params).fetchall()
    if not rows:
        return 0
    scored, sentiments = [], []
    for conv, tweet_id, text, sentiment, hashtags, followers in rows:
        if sentiment is None:
            from tweetdesk.triage.sentiment import compound  # VADER: only for what is shown

            sentiment = compound(text or "")
            sentiments.append((sentiment, tweet_id))
        score = thread_score(text or "", sentiment, followers, json.loads(hashtags or "[]"), rules)
        scored.append((score.priority, int(score.complaint), _tags(score.tags), conv))
    with store.write() as conn:
        conn.executemany(
            "UPDATE tweets SET sentiment = ? WHERE id = ? AND sentiment IS NULL", sentiments
        )
        conn.executemany(
            "UPDATE threads SET priority = ?, complaint = ?, tags = ? WHERE conversation_id = ?",
            scored,
        )
    return len(rows)


def fill_tags(
    store: Store, where: str, params: Mapping[str, Any], rules: Mapping[str, Sequence[str]]
) -> int:
    """Tags only, for the threads matching `where` that have none: what a count by tag needs
    (stale threads are counted, never shown, so never need VADER)."""
    rows = store.conn.execute(
        _TARGETS.format(where=where, unscored="th.tags IS NULL"), params
    ).fetchall()
    if rows:
        with store.write() as conn:
            conn.executemany(
                "UPDATE threads SET tags = ? WHERE conversation_id = ?",
                [
                    (_tags(tags_for(r[2] or "", json.loads(r[4] or "[]"), rules)), r[0])
                    for r in rows
                ],
            )
    return len(rows)


def _tags(tags: list[str]) -> str:
    return json.dumps(tags, ensure_ascii=False)
