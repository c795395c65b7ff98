"""The sync baseline: a bare standard-library loop that fetches the pages tweetdesk's sync fetches.

Same requests, same parameters: GET /2/users/me, then the mentions timeline, the account's own
timeline and each recent-search query, max_results=100, tweetdesk's tweet.fields, user.fields and
expansions, the same start_time, paged with pagination_token (next_token for search), gzip
accepted. Every tweet goes into one SQLite table with one executemany per page and one commit.
No retries, no cursors, no threads, no sentiment: the least work that stores the same tweets.

    python benchmarks/baseline_sync.py URL DB NOW [--query Q ...]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sqlite3
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta

TWEET_FIELDS = (
    "created_at,conversation_id,author_id,in_reply_to_user_id,referenced_tweets,entities,"
    "public_metrics,source,lang"
)
USER_FIELDS = "username,name,public_metrics,receives_your_dm,protected,verified"
# The sandbox accepts any well-formed OAuth 1.0a header when the scenario sets no credentials.
AUTH = 'OAuth oauth_consumer_key="k", oauth_token="t", oauth_signature="s"'
SINCE = timedelta(days=7)
SEARCH_SINCE = timedelta(days=7) - timedelta(minutes=1)


def get(base: str, path: str, params: dict[str, str]) -> dict:
    url = f"{base}{path}?{urllib.parse.urlencode(params)}" if params else base + path
    request = urllib.request.Request(
        url, headers={"Authorization": AUTH, "Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
        if response.headers.get("content-encoding") == "gzip":
            raw = gzip.decompress(raw)
    return json.loads(raw)


def pages(base: str, path: str, params: dict[str, str], token_name: str):
    token = None
    while True:
        body = get(base, path, {**params, token_name: token} if token else params)
        yield body.get("data") or []
        token = (body.get("meta") or {}).get("next_token")
        if not token:
            return


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("db")
    parser.add_argument("now")
    parser.add_argument("--query", action="append", default=[])
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now).astimezone(UTC)
    base = args.url.rstrip("/")

    db = sqlite3.connect(args.db)
    db.execute(
        "CREATE TABLE IF NOT EXISTS tweets (id INTEGER PRIMARY KEY, conversation_id INTEGER,"
        " author_id INTEGER, created_at TEXT, text TEXT)"
    )
    me = get(base, "/2/users/me", {"user.fields": USER_FIELDS})["data"]
    common = {
        "max_results": "100",
        "tweet.fields": TWEET_FIELDS,
        "user.fields": USER_FIELDS,
        "expansions": "author_id",
    }
    start = {"start_time": (now - SINCE).strftime("%Y-%m-%dT%H:%M:%SZ")}
    sources = [
        (f"/2/users/{me['id']}/mentions", {**common, **start}, "pagination_token"),
        (f"/2/users/{me['id']}/tweets", {**common, **start}, "pagination_token"),
    ]
    search_start = (now - SEARCH_SINCE).strftime("%Y-%m-%dT%H:%M:%SZ")
    for query in args.query:
        params = {**common, "start_time": search_start, "query": query}
        sources.append(("/2/tweets/search/recent", params, "next_token"))
    stored = 0
    for path, params, token_name in sources:
        for tweets in pages(base, path, params, token_name):
            db.executemany(
                "INSERT OR REPLACE INTO tweets VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        int(t["id"]),
                        int(t["conversation_id"]),
                        int(t["author_id"]),
                        t["created_at"],
                        t["text"],
                    )
                    for t in tweets
                ],
            )
            stored += len(tweets)
    db.commit()
    db.close()
    print(stored)


if __name__ == "__main__":
    main()
