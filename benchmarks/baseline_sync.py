"""The sync baseline: a bare standard-library loop that sends the requests tweetdesk's sync sends.

    python benchmarks/baseline_sync.py PROTOCOL.json URL DB NOW

PROTOCOL.json is what the benchmark learned from tweetdesk's own requests (protocol.py): the
users/me and source paths, the constant parameters (max_results, fields, expansions), the token
parameter and how far back the first start_time reaches. Per source: the first page bounded by
since_id (the newest id that source gave) or, while it has given nothing, by the start_time
fixed at the first sync; then every next_token. `users/me` once per database. One
`http.client` connection kept alive (as requests' pool does), gzip accepted, a dummy OAuth
header; each page's tweets go into one SQLite table with one executemany, one commit per sync.
No retries, no threads, no parsing beyond json.loads: the least work that stores the same tweets.
Prints the number of tweets stored.
"""

from __future__ import annotations

import gzip
import http.client
import json
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

AUTH = 'OAuth oauth_consumer_key="k", oauth_token="t", oauth_signature="s"'
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS tweets (id INTEGER PRIMARY KEY, conversation_id INTEGER,"
    " author_id INTEGER, created_at TEXT, text TEXT);"
    "CREATE TABLE IF NOT EXISTS cursors (source TEXT PRIMARY KEY, since_id INTEGER, floor TEXT);"
    "CREATE TABLE IF NOT EXISTS account (id TEXT)"
)


def get(conn: http.client.HTTPConnection, path: str, params: dict[str, str]) -> dict:
    conn.request("GET", f"{path}?{urlencode(params)}", headers={
        "Authorization": AUTH, "Accept-Encoding": "gzip"})  # fmt: skip
    response = conn.getresponse()
    raw = response.read()
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status} {raw[:300]!r}")
    if response.getheader("content-encoding") == "gzip":
        raw = gzip.decompress(raw)
    return json.loads(raw)


def main(proto_file: str, url: str, db_file: str, now_text: str) -> int:
    with open(proto_file, encoding="utf-8") as f:
        proto = json.load(f)
    now = datetime.fromisoformat(now_text).astimezone(UTC)
    conn = http.client.HTTPConnection(urlsplit(url).netloc, timeout=30)
    db = sqlite3.connect(db_file)
    db.executescript(SCHEMA)
    if not db.execute("SELECT id FROM account").fetchone():
        me = get(conn, proto["me_path"], proto["me_params"])["data"]
        db.execute("INSERT INTO account VALUES (?)", (me["id"],))
    stored = 0
    for source in proto["sources"]:
        row = db.execute(
            "SELECT since_id, floor FROM cursors WHERE source = ?", (source["name"],)
        ).fetchone()
        since_id, floor = row or (None, None)
        if since_id is not None:
            window = {"since_id": str(since_id)}
        else:
            floor = floor or (now - timedelta(milliseconds=source["start_offset_ms"])).strftime(
                proto["time_format"]
            )
            window = {"start_time": floor}
        params, newest = {**source["params"], **window}, since_id
        while True:
            body = get(conn, source["path"], params)
            tweets = body.get("data") or []
            if tweets and newest == since_id:
                newest = int(tweets[0]["id"])
            db.executemany(
                "INSERT OR REPLACE INTO tweets VALUES (?, ?, ?, ?, ?)",
                [
                    (int(t["id"]), int(t["conversation_id"]), int(t["author_id"]),
                     t["created_at"], t["text"])
                    for t in tweets
                ],
            )  # fmt: skip
            stored += len(tweets)
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                break
            params = {**source["params"], **window, source["token"]: token}
        db.execute(
            "INSERT OR REPLACE INTO cursors VALUES (?, ?, ?)", (source["name"], newest, floor)
        )
    db.commit()
    db.close()
    conn.close()
    print(stored)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
