"""bulk-reply through the CLI: row errors, placeholders in text rows, --var, --allow-heated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_sending import buyers, desk, ours, posts, thread, tweet_posts, write_csv

from conftest import Sandbox, cli

__all__ = ["desk"]  # the fixture, shared with test_sending

HEATED = "THIS IS NOT OUR FAULT!!! STOP COMPLAINING"


def test_every_kind_of_bad_row_is_named_before_anything_is_sent(
    desk: Sandbox, tmp_path: Path
) -> None:
    b = buyers()
    path = write_csv(
        tmp_path,
        [
            (thread("fan")["tweet_id"], "Thanks for the kind words!"),  # line 2
            (thread("old_olga")["tweet_id"], "Sorry for the wait, Olga"),  # line 3
            (b[0]["tweet_id"], "Order 0 ships today"),  # line 4
            (b[0]["tweet_id"], "Order 0 really ships today"),  # line 5
            (b[1]["tweet_id"], HEATED),  # line 6
            (b[2]["tweet_id"], "Hi {{first_name}}, order {{order}} ships today"),  # line 7
        ],
    )
    result = cli("bulk-reply", str(path), "--yes")
    assert result.exit_code == 2
    err = result.stderr
    assert "line 2: X lets apps reply only to posts that mention" in err
    assert "found by search" in err
    assert "line 3: thread" in err and "stale" in err
    assert "line 5: tweet " + b[0]["tweet_id"] + " is already answered on line 4" in err
    assert "line 6: take a breath: " in err
    assert "(pass --allow-heated to send anyway)" in err
    assert "line 7: text needs a value for {{order}}: pass --var order=..." in err
    assert 'or per row a CSV column / JSON "vars" key: order' in err
    assert "Error: 5 row(s) are invalid; nothing was sent" in err
    assert posts(desk) == []


def test_text_rows_are_filled_so_first_name_varies_them(desk: Sandbox, tmp_path: Path) -> None:
    rows = [(v["tweet_id"], "Hi {{first_name}}, your order ships today") for v in buyers()[:3]]
    result = cli("bulk-reply", str(write_csv(tmp_path, rows)))
    assert result.exit_code == 0, result.stderr
    assert sorted(t["text"] for t in ours(desk)) == [
        f"Hi buyer{n}, your order ships today" for n in range(3)
    ]


def test_var_applies_to_every_row_and_a_row_value_wins(desk: Sandbox, tmp_path: Path) -> None:
    b = buyers()
    path = write_csv(
        tmp_path,
        [
            (b[0]["tweet_id"], "Hi {{first_name}}, {{when}} it ships", ""),
            (b[1]["tweet_id"], "Hi {{first_name}}, {{when}} it ships", "on Monday"),
        ],
        header="tweet_id,text,when",
    )
    result = cli("bulk-reply", str(path), "--var", "when=today")
    assert result.exit_code == 0, result.stderr
    assert sorted(t["text"] for t in ours(desk)) == [
        "Hi buyer0, today it ships",
        "Hi buyer1, on Monday it ships",
    ]


def test_var_fills_a_filter_template(desk: Sandbox) -> None:
    result = cli(
        "bulk-reply", "--filter", "author=buyer4", "--template", "order", "--var", "order=B7"
    )
    assert result.exit_code == 0, result.stderr
    assert ours(desk)[-1]["text"] == "Hi buyer4, order B7 is on its way."


def test_yes_does_not_let_heated_rows_go(desk: Sandbox, tmp_path: Path) -> None:
    rows = [(v["tweet_id"], f"{HEATED} {n}") for n, v in enumerate(buyers())]
    result = cli("bulk-reply", str(write_csv(tmp_path, rows)), "--yes")
    assert result.exit_code == 2
    assert result.stderr.count("take a breath") == len(rows)
    assert posts(desk) == []


def test_allow_heated_sends_heated_rows(desk: Sandbox, tmp_path: Path) -> None:
    rows = [(v["tweet_id"], f"{HEATED} {n}") for n, v in enumerate(buyers()[:2])]
    result = cli("bulk-reply", str(write_csv(tmp_path, rows)), "--allow-heated")
    assert result.exit_code == 0, result.stderr
    assert tweet_posts(desk) == 2


def test_allow_heated_does_not_confirm_more_than_five(desk: Sandbox, tmp_path: Path) -> None:
    rows = [(v["tweet_id"], f"{HEATED} {n}") for n, v in enumerate(buyers())]
    result = cli("bulk-reply", str(write_csv(tmp_path, rows)), "--allow-heated")
    assert result.exit_code == 1
    assert "pass --yes to send more than 5" in result.stderr
    assert posts(desk) == []


@pytest.mark.parametrize("allow", [False, True])
def test_dry_run_shows_take_a_breath_per_row(desk: Sandbox, tmp_path: Path, allow: bool) -> None:
    b = buyers()
    rows = [(b[0]["tweet_id"], "Order 0 ships today"), (b[1]["tweet_id"], HEATED)]
    args = ["bulk-reply", str(write_csv(tmp_path, rows)), "--dry-run", "--json"]
    result = cli(*args, *(["--allow-heated"] if allow else []))
    assert "line 3: " in result.stderr and "take a breath: " in result.stderr
    assert "line 2: " not in result.stderr
    if allow:
        assert result.exit_code == 0, result.stderr
        plan = json.loads(result.stdout)
        assert plan[0]["warnings"] == []
        assert plan[1]["warnings"][0].startswith("take a breath: ")
        assert plan[1]["warnings"][0].endswith("(sent anyway: --allow-heated)")
    else:
        assert result.exit_code == 2
        assert "(pass --allow-heated to send anyway)" in result.stderr
    assert posts(desk) == []
