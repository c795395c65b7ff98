"""Listings read only what they show: SQL picks, sorts and counts; views only for the rows shown;
priority and tags stored, scored once; a table shows a screenful and says how to see the rest."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tweetdesk.store import threads
from tweetdesk.values.times import to_iso
from tweetdesk.x.ingest import tweet_row, user_row

from conftest import NOW, Sandbox, cli
from deskdata import ACCOUNT_ID, DeskData

TEXTS = (
    "@acme where is my order?? #shipping",
    "@acme love the beans",
    "@acme WHY IS MY PARCEL NOT HERE",
    "@acme do you ship to Norway?",
)


def add_mentions(
    data: DeskData, first_id: int, count: int, waited: timedelta, *, author: int = 500
) -> list[int]:
    """`count` one-tweet threads, each from its own customer, waiting about `waited` (a minute
    apart, the oldest first), stored and refreshed in one go as a synced page is."""
    users, rows = [], []
    for k in range(count):
        uid = author + first_id + k
        users.append(user_row({"id": str(uid), "username": f"c{uid}"}, updated_at=SYNCED))
        api = {
            "id": str(first_id + k),
            "text": TEXTS[k % len(TEXTS)],
            "author_id": str(uid),
            "conversation_id": str(first_id + k),
            "created_at": to_iso(NOW - waited + timedelta(minutes=k)),
            "entities": {"hashtags": [{"tag": "shipping"}] if k % 4 == 0 else []},
        }
        rows.append(tweet_row(api, found_via="mention", synced_at=SYNCED, sentiment=0.1))
    data.store.upsert_users(users)
    data.store.upsert_tweets(rows)
    ids = [r["id"] for r in rows]
    threads.refresh(data.store, ids, account_id=ACCOUNT_ID, now=NOW)
    return ids


SYNCED = to_iso(NOW)


def table_rows(out: str) -> list[str]:
    return [line for line in out.splitlines() if re.match(r"\s*\d+  ", line)]


@pytest.fixture
def flooded(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> DeskData:
    """1,500 stale threads, 60 fresh ones (45 overdue), 3 snoozed: a desk that ignored X."""
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    data = DeskData(isolated / "desk.db", NOW)
    add_mentions(data, 10_000, 1_500, timedelta(days=4))
    add_mentions(data, 20_000, 60, timedelta(minutes=60))
    snoozed = add_mentions(data, 30_000, 3, timedelta(minutes=30))
    for conv in snoozed:
        data.mark(conv, "snooze", NOW - timedelta(minutes=1), until=NOW + timedelta(hours=2))
    return data


@pytest.fixture
def views_built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many ThreadViews the listing builds, and how many threads it scores in Python."""
    from tweetdesk.store import listing, scores

    counts = [0, 0]
    view, score = listing.thread_view, scores.thread_score

    def counted_view(*args: Any) -> Any:
        counts[0] += 1
        return view(*args)

    def counted_score(*args: Any) -> Any:
        counts[1] += 1
        return score(*args)

    monkeypatch.setattr(listing, "thread_view", counted_view)
    monkeypatch.setattr(scores, "thread_score", counted_score)
    return counts


def test_a_listing_builds_views_only_for_what_it_shows(
    flooded: DeskData, views_built: list[int]
) -> None:
    result = cli("inbox")
    assert result.exit_code == 0, result.stderr
    assert views_built == [50, 60]  # 50 shown; the 60 fresh threads scored once, never the stale
    views_built[:] = [0, 0]
    assert cli("inbox").exit_code == 0
    assert cli("overdue", "--exit-code").exit_code == 3
    assert views_built == [95, 0]  # 50 + 45 overdue; stored scores: nothing recomputed
    assert len(json.loads(cli("inbox", "--json").stdout)) == 60


def test_the_table_shows_fifty_and_says_how_to_see_the_rest(flooded: DeskData) -> None:
    out = cli("inbox").stdout
    assert len(table_rows(out)) == 50
    first = json.loads(cli("inbox", "--json").stdout)[0]["number"]
    assert out.splitlines()[-4:] == [
        "10 more not shown: `tweetdesk inbox --limit 0` lists all 60, `--limit N` the N most "
        "urgent.",
        "1,500 waited more than 1d: stale, not answered in public (`tweetdesk stale --dry-run` "
        "lists them).",
        "3 snoozed: `tweetdesk inbox --all` shows them.",
        f'Next: `tweetdesk show {first}`, `tweetdesk reply {first} "..."` or '
        f"`tweetdesk dm {first}`.",
    ]
    assert "Brand talk" not in out  # this desk has none


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["inbox", "--limit", "5"], 5),
        (["inbox", "--limit", "0"], 60),
        (["inbox", "--json"], 60),
        (["inbox", "--json", "--limit", "7"], 7),
        (["inbox", "-q"], 60),
        (["inbox", "-q", "--limit", "3"], 3),
        (["overdue"], 45),
        (["overdue", "--limit", "4"], 4),
        (["overdue", "--json"], 45),
        (["overdue", "--json", "--limit", "2"], 2),
    ],
)
def test_limit(flooded: DeskData, args: list[str], shown: int) -> None:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    if "--json" in args:
        assert len(json.loads(result.stdout)) == shown
    elif "-q" in args:
        assert len(result.stdout.split()) == shown
    else:
        assert len(table_rows(result.stdout)) == shown


def test_limit_footers(flooded: DeskData) -> None:
    assert cli("inbox", "--limit", "5").stdout.splitlines()[-4] == (
        "55 more not shown: `tweetdesk inbox --limit 0` lists all 60, `--limit N` the N most "
        "urgent."
    )
    assert "more not shown" not in cli("inbox", "--limit", "0").stdout
    assert cli("overdue", "--limit", "4").stdout.splitlines()[-1] == (
        "41 more not shown: `tweetdesk overdue --limit 0` lists all 45, `--limit N` the N most "
        "urgent."
    )
    assert "more not shown" not in cli("overdue").stdout
    assert cli("overdue", "--exit-code", "--limit", "1").exit_code == 3
    tagged = cli("inbox", "--tag", "#Shipping", "--limit", "2").stdout.splitlines()
    assert tagged[-4] == (
        "13 more not shown: `tweetdesk inbox --tag '#Shipping' --limit 0` lists all 15, "
        "`--limit N` the N most urgent."
    )
    assert cli("inbox", "--limit", "-1").exit_code == 2


def test_left_out_counts_follow_the_filters(flooded: DeskData) -> None:
    """The stale and snoozed counts are those of the filtered inbox, not the whole desk's."""
    one = cli("inbox", "--author", "@c30501").stdout.splitlines()
    assert "1 snoozed: `tweetdesk inbox --all --author @c30501` shows them." in one
    assert not any("waited more than" in line for line in one)
    assert "Nothing is waiting." in one
    tagged = cli("inbox", "--tag", "shipping").stdout.splitlines()
    assert "375 waited more than 1d: stale, not answered in public" in tagged[-3]
    assert tagged[-2] == "1 snoozed: `tweetdesk inbox --all --tag shipping` shows them."


def test_brand_talk_hint_only_with_brand_talk(flooded: DeskData) -> None:
    data = flooded
    data.user(900, "fan")
    data.tweet(40_000, 900, NOW - timedelta(minutes=3), "Acme Roasters rocks", found_via="search")
    out = cli("inbox", "--limit", "0").stdout.splitlines()
    assert out[-1] == "Brand talk is answered in the X app (its url)."
    assert "Brand talk is answered" not in cli("inbox", "--source", "mention").stdout


def test_tags_follow_the_rules_in_the_config(flooded: DeskData, config_file: Path) -> None:
    def tags() -> set[tuple[str, ...]]:
        return {tuple(t["tags"]) for t in json.loads(cli("inbox", "--json").stdout)}

    assert tags() == {("shipping",), ()}
    config_file.write_text('[tags]\nNorway = ["norway"]\nparcel = ["parcel"]\n')
    assert tags() == {("shipping",), ("Norway",), ("parcel",), ()}
    assert len(json.loads(cli("inbox", "--json", "--tag", "norway").stdout)) == 15


def test_reach_is_rescored_when_followers_change(flooded: DeskData) -> None:
    first = [t for t in json.loads(cli("inbox", "--json").stdout) if t["overdue"]][-1]
    author = next(
        r[0]
        for r in flooded.store.conn.execute(
            "SELECT id FROM users WHERE username = ?", (first["author"],)
        )
    )
    big = user_row(
        {
            "id": str(author),
            "username": first["author"],
            "public_metrics": {"followers_count": 10**6},
        },
        updated_at=SYNCED,
    )
    flooded.store.upsert_users([big])
    again = {t["number"]: t for t in json.loads(cli("inbox", "--json").stdout)}
    assert again[first["number"]]["priority"] == pytest.approx(first["priority"] + 2.0, abs=1e-3)
    assert next(iter(again)) == first["number"]  # reach moved it to the top


def _before_m005(path: Path) -> None:
    """Turn a desk back into what tweetdesk wrote before m005 (no stored scores): the
    migrations up to m004, and m006 (DMs), which shipped first."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER threads_unscored_on_reach")
    conn.execute("DROP TABLE threads_pending")
    conn.execute("DROP INDEX idx_threads_source")
    for column in ("priority", "complaint", "tags"):
        conn.execute(f"ALTER TABLE threads DROP COLUMN {column}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_thread_scores'")
    conn.execute("DELETE FROM meta WHERE key = 'tag_rules'")
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()


def test_an_existing_desk_migrates_and_lists_the_same(flooded: DeskData, isolated: Path) -> None:
    before = [cli("inbox", "--json").stdout, cli("inbox").stdout, cli("overdue").stdout]
    flooded.store.close()
    _before_m005(isolated / "desk.db")
    assert [cli("inbox", "--json").stdout, cli("inbox").stdout, cli("overdue").stdout] == before
    conn = sqlite3.connect(isolated / "desk.db")
    scored = conn.execute("SELECT count(*) FROM threads WHERE priority IS NOT NULL").fetchone()
    assert scored[0] == 60  # the open threads, scored on first read; the stale history not


def test_sync_scores_only_what_the_inbox_will_show(
    sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", "2026-11-23T09:00:00Z")
    s = sandbox.state
    handle = s.account["username"]
    s.add_user("old_o")
    s.add_user("new_n")
    for k in range(5):
        s.add_tweet("old_o", f"@{handle} awful {k}", created_at=NOW - timedelta(days=3, hours=k))
    s.add_tweet("new_n", f"@{handle} this is terrible", created_at=NOW - timedelta(minutes=5))
    answered = s.add_tweet("new_n", f"@{handle} hi", created_at=NOW - timedelta(minutes=50))
    s.add_tweet(
        handle, "@new_n hello!", created_at=NOW - timedelta(minutes=40), in_reply_to=answered["id"]
    )
    assert cli("sync", "--quiet").exit_code == 0
    from tweetdesk.store.store import Store

    store = Store(os.environ["TWEETDESK_DB"])
    scored = store.conn.execute(
        "SELECT text FROM tweets WHERE sentiment IS NOT NULL ORDER BY id"
    ).fetchall()
    assert [r[0] for r in scored] == [f"@{handle} this is terrible"]


def test_a_bulk_filter_reads_the_open_threads_only(
    flooded: DeskData, views_built: list[int], config_file: Path
) -> None:
    config_file.write_text('[templates]\nthanks = "Thanks {{username}}!"\n')
    args = ("bulk-reply", "--filter", "tag=shipping", "--template", "thanks", "--dry-run")
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == 15
    assert views_built[0] == 60  # the open threads, not the 1,563 of the desk


def test_sql_orders_as_the_pure_rule(flooded: DeskData) -> None:
    """Overdue first, then priority, then the longest waiting (triage.priority.sort_key), for
    the open listing, the overdue one and --all alike."""
    from tweetdesk.triage.priority import sort_key
    from tweetdesk.values.times import from_iso

    def key(t: dict[str, Any]) -> tuple[Any, ...]:
        since = from_iso(t["waiting_since"]) if t["waiting_since"] else None
        return (*sort_key(t["overdue"], t["priority"], since), t["number"])

    for args in (["inbox"], ["overdue"], ["inbox", "--all"]):
        listed = json.loads(cli(*args, "--json").stdout)
        assert len({t["priority"] for t in listed}) >= 3  # ties broken by the wait, then number
        assert listed == sorted(listed, key=key), args
