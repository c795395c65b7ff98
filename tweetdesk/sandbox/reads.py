"""GET endpoints: the account, mentions and user timelines, recent search, lookups (DMs are in
dm_reads.py).

Each handler takes the state (lock held), the query and path values, and returns a response body
for a 200; it raises `ApiProblem` for anything X would refuse.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from tweetdesk.sandbox import fields, params, problems
from tweetdesk.sandbox.fields import Includes, Selection
from tweetdesk.sandbox.model import iso_ms, parse_time, snowflake_time
from tweetdesk.sandbox.params import Query, one
from tweetdesk.sandbox.search import QueryError, compile_query, facts
from tweetdesk.sandbox.state import SandboxState

Body = dict[str, Any]
Tweets = list[dict[str, Any]]
SEARCH_WINDOW = timedelta(days=7)
SEARCH_TOKENS = ("next_token", "pagination_token")


def users_me(state: SandboxState, query: Query) -> Body:
    params.check_known(query, ("user.fields", "expansions", "tweet.fields"))
    sel = Selection.of(query, fields.USER_EXPANSIONS)
    me = state.data.users[state.account["id"]]
    extra = Includes(state, sel)
    wanted = replace(sel, user=sel.user | {"pinned_tweet_id", "most_recent_tweet_id"})
    rendered = fields.user(state, me, wanted)
    for expansion in ("pinned_tweet_id", "most_recent_tweet_id"):
        if expansion in sel.expansions and expansion in rendered:
            extra.add_tweet(rendered[expansion], expansion)
    return extra.merge_into({"data": fields.user(state, me, sel)})


def _filtered(items: Tweets, query: Query, *, ids_first: bool = False) -> Tweets:
    """since_id/until_id (exclusive) and start_time (inclusive)/end_time (exclusive).

    `ids_first`: the timelines' rule in the OpenAPI description, "since_id takes precedence over
    start_time" (and until_id over end_time): an id bound makes the time bound ignored."""
    since = params.optional_id(query, "since_id")
    until = params.optional_id(query, "until_id")
    start = params.time_param(query, "start_time")
    end = params.time_param(query, "end_time")
    if ids_first:
        start = None if since is not None else start
        end = None if until is not None else end

    timed = start is not None or end is not None

    def keep(tweet: dict[str, Any]) -> bool:
        number = int(tweet["id"])
        if (since is not None and number <= since) or (until is not None and number >= until):
            return False
        if not timed:
            return True
        created = parse_time(tweet["created_at"])
        return (start is None or created >= start) and (end is None or created < end)

    return [tweet for tweet in items if keep(tweet)]


def _page(items: Tweets, query: Query, size: int, token_name: str) -> tuple[Tweets, Body]:
    """One page of newest-first `items`, and X's meta for it (cursor tokens, not offsets)."""
    token = one(query, token_name)
    if token is None:
        chosen = items[:size]
    else:
        prefix, anchor = params.decode36(token, (params.OLDER, params.NEWER), token_name)
        if prefix == params.OLDER:
            chosen = [t for t in items if int(t["id"]) < anchor][:size]
        else:
            chosen = [t for t in items if int(t["id"]) > anchor][-size:]
    meta: Body = {"result_count": len(chosen)}
    if chosen:
        newest, oldest = chosen[0]["id"], chosen[-1]["id"]
        meta.update(newest_id=newest, oldest_id=oldest)
        if int(items[-1]["id"]) < int(oldest):
            meta["next_token"] = params.encode36(params.OLDER, int(oldest))
        if token is not None and int(items[0]["id"]) > int(newest):
            meta["previous_token"] = params.encode36(params.NEWER, int(newest))
    return chosen, meta


def _timeline(state: SandboxState, query: Query, user_id: str, mentions: bool) -> Body:
    extra = ("exclude",) if not mentions else ()
    params.check_known(query, (*params.PAGED, "pagination_token", *extra, *params.EXPANDED))
    params.tweet_id(user_id, "id")
    sel = Selection.of(query, fields.TWEET_EXPANSIONS)
    size = params.bounded_int(query, "max_results", 5, 100, 10)
    excluded = set(fields.listed(query, "exclude", ["replies", "retweets"]))
    if user_id not in state.data.users:
        return {"errors": [problems.not_found_item("user", "id", user_id)]}
    if mentions:
        cap = state.scenario.mentions_cap
        if state.options.quotes_in_mentions:
            items = state.data.mentions_of(user_id, cap, quotes=True)
        else:  # the two-argument call benchmarks/sandbox_proc.py memoises
            items = state.data.mentions_of(user_id, cap)
    else:
        # X documents a smaller reach when replies are excluded.
        cap = 800 if "replies" in excluded else state.scenario.timeline_cap
        items = _settled(state, state.data.tweets_of(user_id, cap))
        if "replies" in excluded:
            items = [t for t in items if "in_reply_to_user_id" not in t]
    chosen, meta = _page(_filtered(items, query, ids_first=True), query, size, "pagination_token")
    state.count("posts_read", len(chosen))
    body = fields.tweets_body(state, chosen, sel)
    body["meta"] = meta
    return body


def _settled(state: SandboxState, items: Tweets) -> Tweets:
    """Leave out posts that arrived less than `timeline_lag_seconds` ago: X's own-tweets timeline
    and search have been seen to miss a post for seconds after it was created."""
    lag = state.options.timeline_lag_seconds
    if lag <= 0:
        return items
    now = state.now()
    return [t for t in items if now - snowflake_time(t["id"]) >= timedelta(seconds=lag)]


def mentions(state: SandboxState, query: Query, user_id: str) -> Body:
    return _timeline(state, query, user_id, mentions=True)


def user_tweets(state: SandboxState, query: Query, user_id: str) -> Body:
    return _timeline(state, query, user_id, mentions=False)


def _search_window(state: SandboxState, query: Query) -> datetime:
    """Check times against X's 7-day window; returns its start."""
    now = state.now()
    oldest = now - SEARCH_WINDOW
    start = params.time_param(query, "start_time")
    end = params.time_param(query, "end_time")
    if start and start < oldest:
        value = one(query, "start_time") or ""
        message = f"'start_time' must be on or after {iso_ms(oldest)}"
        raise problems.invalid_request("start_time", value, _invalid("start_time", value, message))
    if end and end > now - timedelta(seconds=10):
        value = one(query, "end_time") or ""
        message = "'end_time' must be a minimum of 10 seconds prior to the request time."
        raise problems.invalid_request("end_time", value, _invalid("end_time", value, message))
    if start and end and start >= end:
        value = one(query, "start_time") or ""
        message = "'start_time' must be before 'end_time'"
        raise problems.invalid_request("start_time", value, _invalid("start_time", value, message))
    since = params.optional_id(query, "since_id")
    if since is not None and snowflake_time(since) < oldest:
        message = f"'since_id' must be a tweet id created after {iso_ms(oldest)}"
        raise problems.invalid_request("since_id", str(since), _invalid("since_id", since, message))
    return oldest


def _invalid(name: str, value: object, why: str) -> str:
    return f"Invalid '{name}':'{value}'. {why}"


def search_recent(state: SandboxState, query: Query) -> Body:
    allowed = ("query", *SEARCH_TOKENS, "sort_order", *params.PAGED, *params.EXPANDED)
    params.check_known(query, allowed)
    token_name = _search_token_name(query)
    text = one(query, "query")
    if not text:
        message = "The `query` query parameter can not be empty"
        raise problems.invalid_request("query", text or "", message)
    try:
        test = compile_query(text)
    except QueryError as exc:
        raise problems.invalid_request("query", text, str(exc)) from None
    size = params.bounded_int(query, "max_results", 10, 100, 10)
    order = one(query, "sort_order") or "recency"
    if order not in ("recency", "relevancy"):
        message = (
            f"The `sort_order` query parameter value [{order}] is not one of [recency,relevancy]"
        )
        raise problems.invalid_request("sort_order", order, message)
    oldest = _search_window(state, query)
    sel = Selection.of(query, fields.TWEET_EXPANSIONS)
    users = state.data.users
    recent = [t for t in state.data.newest_first() if parse_time(t["created_at"]) >= oldest]
    recent = _settled(state, recent)
    items = [t for t in _filtered(recent, query) if test(facts(t, users))]
    if order == "relevancy":
        chosen, meta = _relevancy_page(state, items, query, size, token_name)
    else:
        chosen, meta = _page(items, query, size, token_name)
    meta.pop("previous_token", None)  # recent search has no previous page
    state.count("posts_read", len(chosen))
    body = fields.tweets_body(state, chosen, sel)
    body["meta"] = meta
    return body


def _search_token_name(query: Query) -> str:
    """Recent search answers with `next_token` and, as its OpenAPI description lists both, takes
    the token back as `next_token` or `pagination_token` (next_token wins when both are sent)."""
    return next((name for name in SEARCH_TOKENS if name in query), "next_token")


def _relevancy_page(
    state: SandboxState, items: Tweets, query: Query, size: int, token_name: str
) -> tuple[Tweets, Body]:
    def score(tweet: dict[str, Any]) -> tuple[int, int]:
        metrics = state.data.metrics(tweet)
        engaged = metrics["like_count"] + 2 * metrics["retweet_count"] + metrics["reply_count"]
        return engaged, int(tweet["id"])

    ranked = sorted(items, key=score, reverse=True)
    token = one(query, token_name)
    start = params.decode36(token, (params.RELEVANCY,), token_name)[1] if token else 0
    chosen = ranked[start : start + size]
    meta: Body = {"result_count": len(chosen)}
    if chosen:
        numbers = [int(t["id"]) for t in chosen]
        meta.update(newest_id=str(max(numbers)), oldest_id=str(min(numbers)))
        if start + size < len(ranked):
            meta["next_token"] = params.encode36(params.RELEVANCY, start + size)
    return chosen, meta


def lookup(state: SandboxState, query: Query) -> Body:
    params.check_known(query, ("ids", *params.EXPANDED))
    raw = one(query, "ids")
    if not raw:
        raise problems.invalid_request("ids", "", "The `ids` query parameter can not be empty")
    ids = raw.split(",")
    if not 1 <= len(ids) <= 100:
        message = (
            f"The number of values in the `ids` query parameter list [{len(ids)}] "
            "is not between 1 and 100"
        )
        raise problems.invalid_request("ids", raw, message)
    return _found(state, query, [params.tweet_id(i, "ids") for i in ids], "ids")


def lookup_one(state: SandboxState, query: Query, tweet_id: str) -> Body:
    params.check_known(query, params.EXPANDED)
    return _found(state, query, [params.tweet_id(tweet_id, "id")], "id")


def _found(state: SandboxState, query: Query, ids: list[str], parameter: str) -> Body:
    sel = Selection.of(query, fields.TWEET_EXPANSIONS)
    records = [t for t in (state.data.live(i) for i in ids) if t is not None]
    missing = [i for i in ids if state.data.live(i) is None]
    state.count("posts_read", len(records))
    body = fields.tweets_body(state, records, sel)
    if parameter == "id" and "data" in body:
        body["data"] = body["data"][0]
    errors = [problems.not_found_item("tweet", parameter, i) for i in missing]
    if errors:
        body["errors"] = errors + body.get("errors", [])
    return body
