"""bulk-reply input files: JSON-lines types and keys, and CSV with a byte-order mark."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_sending import buyers, desk, ours, posts

from tweetdesk.compose.rows import Row, parse_rows
from tweetdesk.errors import UsageError

from conftest import Sandbox, cli

__all__ = ["desk"]  # the fixture, shared with test_sending

ID = "1993301234567890123"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"tweet_id": ID, "text": 5}, "line 1: text must be a string, not a number"),
        ({"tweet_id": ID, "template": ["a"]}, "line 1: template must be a string, not an array"),
        ({"tweet_id": 1.5, "text": "hi"}, "line 1: tweet_id must be a string of digits or an"),
        ({"tweet_id": True, "text": "hi"}, "not a boolean"),
        ({"tweet_id": None, "text": "hi"}, "tweet_id must be a string of digits or an integer"),
        ({"text": "hi"}, "line 1: tweet_id is missing"),
        ({"tweet_id": ID, "text": "hi", "vars": ["x"]}, "line 1: vars must be an object, not an"),
        ({"tweet_id": ID, "text": "hi", "vars": {"n": 3}}, "line 1: vars.n must be a string"),
        ({"tweet_id": ID, "text": "hi", "vars": {"n": {}}}, "not an object"),
        ({"tweet_id": ID, "txt": "hi"}, "line 1: unknown key 'txt' (the keys are tweet_id"),
        ({"tweet_id": ID, "text": "hi", "extra": 1, "also": 2}, "unknown key 'also'"),
    ],
)
def test_json_lines_values_are_type_checked(line: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_rows(json.dumps(line) + "\n")
    assert message in str(caught.value)


def test_json_line_errors_name_the_line() -> None:
    good = json.dumps({"tweet_id": ID, "text": "hi"})
    with pytest.raises(UsageError, match=r"^line 3: text must be a string"):
        parse_rows(f"{good}\n\n{json.dumps({'tweet_id': ID, 'text': False})}\n")


def test_json_lines_accepted_values() -> None:
    rows = parse_rows(
        json.dumps({"tweet_id": int(ID), "template": "order", "vars": {"order": None, "a": "b"}})
        + "\n"
        + json.dumps({"tweet_id": ID, "text": "hi", "template": None, "vars": None})
    )
    assert rows == [
        Row(1, ID, None, "order", {"a": "b"}),  # null is no value: the fallback applies
        Row(2, ID, "hi", None, {}),
    ]


def test_null_var_uses_the_fallback_or_is_missing(desk: Sandbox) -> None:
    b = buyers()
    lines = [
        {"tweet_id": b[0]["tweet_id"], "text": "Hi {{first_name}}, {{when|soon}}", "vars": {}},
        {"tweet_id": b[1]["tweet_id"], "template": "order", "vars": {"order": None}},
    ]
    data = "".join(json.dumps(line) + "\n" for line in lines)
    result = cli("bulk-reply", "-", "--dry-run", input=data)
    assert result.exit_code == 2
    assert "line 2: template needs a value for {{order}}" in result.stderr
    assert "None" not in result.stderr
    assert "line 1" not in result.stderr


def test_bad_json_types_exit_2_and_send_nothing(desk: Sandbox) -> None:
    b = buyers()
    data = json.dumps({"tweet_id": b[0]["tweet_id"], "text": "Thanks!"}) + "\n"
    data += json.dumps({"tweet_id": b[1]["tweet_id"], "text": 5}) + "\n"
    result = cli("bulk-reply", "-", input=data)
    assert result.exit_code == 2
    assert result.stderr == "Error: line 2: text must be a string, not a number\n"
    assert posts(desk) == []


@pytest.mark.parametrize("how", ["file", "stdin"])
def test_csv_with_a_byte_order_mark_is_read(desk: Sandbox, tmp_path: Path, how: str) -> None:
    """Excel's "CSV UTF-8" starts with a BOM."""
    b = buyers()
    data = f"tweet_id,text\r\n{b[0]['tweet_id']},Café order ships today\r\n"
    path = tmp_path / "excel.csv"
    path.write_bytes(data.encode("utf-8-sig"))
    if how == "file":
        result = cli("bulk-reply", str(path))
    else:
        result = cli("bulk-reply", "-", input="\ufeff" + data)
    assert result.exit_code == 0, result.stderr
    assert ours(desk)[-1]["text"] == "Café order ships today"


def test_parse_rows_strips_a_byte_order_mark() -> None:
    assert parse_rows(f"\ufefftweet_id,text\n{ID},hi\n") == [Row(2, ID, "hi", None, {})]
    assert parse_rows("\ufeff" + json.dumps({"tweet_id": ID, "text": "hi"})) == [
        Row(1, ID, "hi", None, {})
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"tweet_id": "1", "vars": ' + "[" * 200_000 + "]" * 200_000 + "}\n", "nested"),
        ("tweet_id,text\n1," + "x" * 200_000 + "\n", "not valid CSV"),
    ],
    ids=["deep-json", "huge-csv-cell"],
)
def test_hostile_input_is_a_one_line_usage_error(data: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_rows(data)


@pytest.mark.parametrize("ref", ["9" * 5000, "1" * 20])
def test_overlong_ids_are_one_line_usage_errors(desk: Sandbox, tmp_path: Path, ref: str) -> None:
    path = tmp_path / "long.csv"
    path.write_text(f"tweet_id,text\n{ref},Thanks!\n")
    result = cli("bulk-reply", str(path), "--dry-run")
    assert result.exit_code == 2
    assert "is not a tweet id" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == "Error: 1 row(s) are invalid; nothing was sent"
    shown = cli("show", ref)
    assert shown.exit_code == 2 and "is not a tweet id" in shown.stderr


def test_filter_tags_ignore_case() -> None:
    from types import SimpleNamespace

    from tweetdesk.compose.rows import rows_from_filter
    from tweetdesk.triage.state import Status

    views = [
        SimpleNamespace(
            number=1,
            tweet_id=7,
            tags=["Wholesale"],
            author="cafe",
            status=Status.OPEN,
            replyable=True,
            source="mention",
        ),
        SimpleNamespace(
            number=2,
            tweet_id=8,
            tags=["shipping"],
            author="ann",
            status=Status.OPEN,
            replyable=True,
            source="mention",
        ),
    ]
    for wanted in ("tag=wholesale", "tag=Wholesale", "tag=#WHOLESALE"):
        rows = rows_from_filter(views, [wanted], "thanks")  # type: ignore[arg-type]
        assert [r.tweet_id for r in rows] == ["7"], wanted
