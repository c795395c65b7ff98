"""bulk-reply's output is a listing: the thread number comes first in every row (dry run and
real run), and every JSON row carries `number`."""

from __future__ import annotations

import csv
import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import NOW, Sandbox, cli


@pytest.fixture
def desk(sandbox: Sandbox, sandbox_env: None, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("TWEETDESK_API_URL", sandbox.url)
    monkeypatch.setenv("TWEETDESK_NOW", NOW.isoformat())
    Path(os.environ["TWEETDESK_CONFIG"]).write_text("", encoding="utf-8")
    handle = sandbox.state.account["username"]
    for n in range(11):  # eleven threads, so numbers take one and two digits
        sandbox.state.add_tweet(
            f"buyer{n}", f"@{handle} where is order {n}?", created_at=NOW - timedelta(minutes=n)
        )
    assert cli("sync", "--quiet").exit_code == 0
    return sandbox


def threads() -> dict[str, dict[str, Any]]:
    return {v["author"]: v for v in json.loads(cli("inbox", "--json").stdout)}


def replies_file(tmp_path: Path, authors: list[str]) -> Path:
    views = threads()
    path = tmp_path / "replies.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["tweet_id", "text"])
        writer.writerows((views[a]["tweet_id"], f"{a}: it ships today") for a in authors)
    return path


def expected_rows(authors: list[str], detail: Any) -> list[str]:
    views = threads()
    marks = [f"#{views[a]['number']}" for a in authors]
    wide = max(map(len, marks))
    return [
        f"{mark:<{wide}}  line {n + 2}  {detail(views[a])}"
        for n, (mark, a) in enumerate(zip(marks, authors, strict=True))
    ]


AUTHORS = ["buyer10", "buyer0", "buyer3"]


def by_number(*numbers: int) -> list[str]:
    views = {v["number"]: v["author"] for v in threads().values()}
    return [views[n] for n in numbers]


def test_dry_run_rows_start_with_the_thread_number(desk: Sandbox, tmp_path: Path) -> None:
    authors = by_number(10, 1, 3)  # numbers of one and two digits: the column is aligned
    result = cli("bulk-reply", str(replies_file(tmp_path, authors)), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == expected_rows(
        authors, lambda v: f"→ @{v['author']} ({v['tweet_id']}): {v['author']}: it ships today"
    )
    assert result.stdout.splitlines()[1].startswith("#1   line 3  → @")


def test_dry_run_json_rows_have_number(desk: Sandbox, tmp_path: Path) -> None:
    result = cli("bulk-reply", str(replies_file(tmp_path, AUTHORS)), "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    views = threads()
    plan = json.loads(result.stdout)
    assert [r["number"] for r in plan] == [views[a]["number"] for a in AUTHORS]
    assert [r["thread"] for r in plan] == [r["number"] for r in plan]  # the old key stays
    assert next(iter(plan[0])) == "number"


def test_sent_rows_start_with_the_thread_number(desk: Sandbox, tmp_path: Path) -> None:
    before = threads()
    path = replies_file(tmp_path, AUTHORS)
    result = cli("bulk-reply", str(path))
    assert result.exit_code == 0, result.stderr
    sent = result.stdout.splitlines()
    marks = [f"#{before[a]['number']}" for a in AUTHORS]
    wide = max(map(len, marks))
    for n, (line, mark, author) in enumerate(zip(sent, marks, AUTHORS, strict=True)):
        assert line.startswith(f"{mark:<{wide}}  line {n + 2}  sent     @{author} ")
    again = cli("bulk-reply", str(path), "--json")
    rows = json.loads(again.stdout)
    assert [(r["number"], r["state"]) for r in rows] == [
        (before[a]["number"], "already") for a in AUTHORS
    ]
