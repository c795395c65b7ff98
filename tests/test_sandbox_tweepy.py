"""The real tweepy code path against the simulator: paging, writes and X's refusals, faults.

tweepy hard-codes https://api.twitter.com; a small Session subclass sends it to the simulator,
which is how tweetdesk's client reaches it too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import tweepy

from tweetdesk.sandbox.model import Fault
from tweetdesk.sandbox.scenario import load_scenario
from tweetdesk.sandbox.server import SandboxServer
from tweetdesk.sandbox.state import SandboxState

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TWITTER = "https://api.twitter.com"


class RewritingSession(requests.Session):
    """Sends tweepy's requests to the simulator, with a timeout tweepy itself never sets."""

    def __init__(self, base_url: str, timeout: float = 5.0) -> None:
        super().__init__()
        self.base_url = base_url
        self.timeout = timeout

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        url = str(url)
        if url.startswith(TWITTER):
            url = self.base_url + url[len(TWITTER) :]
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


def make_client(url: str, timeout: float = 5.0) -> tweepy.Client:
    client = tweepy.Client(
        consumer_key="ck",
        consumer_secret="cs",
        access_token="at",
        access_token_secret="ats",
        return_type=dict,
    )
    client.session = RewritingSession(url, timeout)
    return client


@pytest.fixture
def state() -> SandboxState:
    return SandboxState(load_scenario("empty", NOW), clock=lambda: NOW)


@pytest.fixture
def server(state: SandboxState) -> Iterator[SandboxServer]:
    with SandboxServer(state) as running:
        yield running


@pytest.fixture
def client(server: SandboxServer) -> tweepy.Client:
    return make_client(server.url)


def mention(state: SandboxState, author: str, text: str, minutes_ago: int = 5) -> dict[str, Any]:
    return state.add_tweet(author, text, created_at=NOW - timedelta(minutes=minutes_ago))


def test_paging_450_mentions_at_100_takes_5_requests(
    state: SandboxState, client: tweepy.Client
) -> None:
    ids = state.add_mentions(450, start=NOW - timedelta(days=1), spacing=timedelta(minutes=2))
    pages = list(
        tweepy.Paginator(
            client.get_users_mentions, state.account["id"], max_results=100, user_auth=True
        )
    )
    assert [page["meta"]["result_count"] for page in pages] == [100, 100, 100, 100, 50]
    assert "next_token" not in pages[-1]["meta"]
    found = [tweet["id"] for page in pages for tweet in page["data"]]
    assert found == list(reversed(ids))
    assert state.usage()["by_endpoint"] == {"GET /2/users/:id/mentions": 5}
    assert state.usage()["posts_read"] == 450


@pytest.mark.filterwarnings("ignore:The 'warn' method is deprecated:DeprecationWarning")
def test_search_pages_with_next_token_within_seven_days(
    state: SandboxState, client: tweepy.Client
) -> None:
    state.add_tweet("old", "Acme Roasters is great", created_at=NOW - timedelta(days=8))
    recent = [
        state.add_tweet(  # a minute older at least: search lags a brand-new post
            f"fan{n}", f"Acme Roasters cup {n}", created_at=NOW - timedelta(hours=n, minutes=1)
        )
        for n in range(25)
    ]
    pages = list(
        tweepy.Paginator(
            client.search_recent_tweets, '"acme roasters"', max_results=10, user_auth=True
        )
    )
    assert [page["meta"]["result_count"] for page in pages] == [10, 10, 5]
    assert [t["id"] for page in pages for t in page["data"]] == [t["id"] for t in recent]
    assert all("previous_token" not in page["meta"] for page in pages)
    # The OpenAPI description lists pagination_token beside next_token: X takes either.
    token = pages[0]["meta"]["next_token"]
    again = client.search_recent_tweets(
        '"acme roasters"', max_results=10, pagination_token=token, user_auth=True
    )
    assert again["data"] == pages[1]["data"]
    with pytest.raises(tweepy.BadRequest) as refused:
        client.search_recent_tweets("acme", pagination_token="abc", user_auth=True)
    assert "is not a valid pagination token" in str(refused.value)


def test_me_tweet_and_tweets_lookups_with_fields(
    state: SandboxState, client: tweepy.Client
) -> None:
    mine = state.add_tweet("acmeroasters", "Roasting today: Kenya AA", created_at=NOW)
    me = client.get_me(user_fields=["created_at", "public_metrics"], user_auth=True)
    assert me["data"]["public_metrics"]["tweet_count"] == 1
    one = client.get_tweet(mine["id"], tweet_fields=["created_at", "source"], user_auth=True)
    assert one["data"]["created_at"] == "2026-11-23T09:00:00.000Z"
    assert "source" not in one["data"]  # retired by X: asked for, never served
    many = client.get_tweets([mine["id"], "1"], expansions=["author_id"], user_auth=True)
    assert many["includes"]["users"][0]["username"] == "acmeroasters"
    assert many["errors"][0]["resource_id"] == "1"


def test_a_reply_joins_the_conversation_and_the_timeline(
    state: SandboxState, client: tweepy.Client
) -> None:
    question = mention(state, "jess", "@acmeroasters are you open Sunday?")
    created = client.create_tweet(text="Yes, 9 till 3!", in_reply_to_tweet_id=question["id"])
    data = created["data"]
    assert set(data) == {"id", "text", "edit_history_tweet_ids"}
    assert data["text"] == "@jess Yes, 9 till 3!"  # X puts the replied-to author in front
    stored = state.tweet(data["id"])
    assert stored is not None
    assert stored["conversation_id"] == question["id"]
    assert stored["in_reply_to_user_id"] == question["author_id"]
    assert stored["referenced_tweets"] == [{"type": "replied_to", "id": question["id"]}]
    assert stored["source"] == "tweetdesk"
    state.advance(5)  # X's own timeline shows a new post after a few seconds
    timeline = client.get_users_tweets(state.account["id"], user_auth=True)
    assert timeline["data"][0]["id"] == data["id"]
    assert state.usage()["posts_created"] == 1


def test_posted_urls_are_wrapped_in_t_co_links(state: SandboxState, client: tweepy.Client) -> None:
    data = client.create_tweet(text="Pre-order here: https://acmeroasters.co.uk/holiday now")[
        "data"
    ]
    assert data["text"].startswith("Pre-order here: https://t.co/")
    short = data["text"].split()[2]
    assert len(short) == len("https://t.co/") + 10
    stored = state.tweet(data["id"])
    assert stored is not None
    [url] = stored["entities"]["urls"]
    assert url["url"] == short
    assert url["expanded_url"] == "https://acmeroasters.co.uk/holiday"
    assert url["display_url"] == "acmeroasters.co.uk/holiday"
    assert stored["text"][url["start"] : url["end"]] == short


def test_ids_and_times_rise_even_when_the_clock_stands_still(client: tweepy.Client) -> None:
    first = client.create_tweet(text="one")["data"]["id"]
    second = client.create_tweet(text="two")["data"]["id"]
    assert int(second) > int(first)


def test_duplicate_content_is_refused(client: tweepy.Client) -> None:
    client.create_tweet(text="Back at 2pm")
    with pytest.raises(tweepy.Forbidden) as refused:
        client.create_tweet(text="Back at 2pm")
    assert refused.value.api_messages == [
        "You are not allowed to create a Tweet with duplicate content."
    ]
    assert refused.value.response.json()["type"] == "about:blank"


def test_replying_where_the_account_was_not_engaged_is_refused(
    state: SandboxState, client: tweepy.Client
) -> None:
    stranger = mention(state, "someone", "Acme Roasters? never heard of them")
    with pytest.raises(tweepy.Forbidden) as refused:
        client.create_tweet(text="Hi!", in_reply_to_tweet_id=stranger["id"])
    assert "you have not been mentioned or otherwise engaged" in str(refused.value)
    own = state.add_tweet("acmeroasters", "New beans!", created_at=NOW - timedelta(hours=1))
    quote = state.add_tweet("fan", "look", created_at=NOW, quote_of=own["id"])
    comment = state.add_tweet("fan2", "nice", created_at=NOW, in_reply_to=quote["id"])
    client.create_tweet(text="Thanks!", in_reply_to_tweet_id=quote["id"])  # quotes us
    with pytest.raises(tweepy.Forbidden):
        client.create_tweet(text="Thanks too!", in_reply_to_tweet_id=comment["id"])


def test_too_long_text_is_a_400(client: tweepy.Client) -> None:
    with pytest.raises(tweepy.BadRequest) as refused:
        client.create_tweet(text="x" * 281)
    assert "Your Tweet text is too long" in str(refused.value)
    client.create_tweet(text="🙂" * 140)  # weighted: emoji count 2 each


def test_delete_own_tweet_only(state: SandboxState, client: tweepy.Client) -> None:
    mine = client.create_tweet(text="oops")["data"]["id"]
    assert client.delete_tweet(mine) == {"data": {"deleted": True}}
    assert state.tweet(mine) is None
    assert state.account_tweets() == []
    other = mention(state, "jess", "@acmeroasters hi")
    with pytest.raises(tweepy.Forbidden):
        client.delete_tweet(other["id"])
    with pytest.raises(tweepy.NotFound):
        client.delete_tweet(mine)


def test_dm_is_sent_unless_the_customer_refuses_them(
    state: SandboxState, client: tweepy.Client
) -> None:
    open_user = state.add_user("jess")
    closed = state.add_user("sam", receives_your_dm=False)
    sent = client.create_direct_message(participant_id=open_user["id"], text="Hi Jess")
    low, high = sorted([int(state.account["id"]), int(open_user["id"])])
    assert sent["data"]["dm_conversation_id"] == f"{low}-{high}"
    assert state.dms[0]["text"] == "Hi Jess"
    with pytest.raises(tweepy.Forbidden) as refused:
        client.create_direct_message(participant_id=closed["id"], text="Hi Sam")
    assert "settings do not accept messages from you" in str(refused.value)
    assert state.usage()["dms_sent"] == 1


def test_rate_limit_fault_gives_reset_header(state: SandboxState, client: tweepy.Client) -> None:
    state.add_fault(Fault(match="GET /2/users/", status=429, reset_in=120))
    with pytest.raises(tweepy.TooManyRequests) as limited:
        client.get_me()
    assert limited.value.reset_time == int(NOW.timestamp()) + 120
    assert limited.value.response.headers["x-rate-limit-remaining"] == "0"
    assert limited.value.response.json()["title"] == "Too Many Requests"
    assert client.get_me()["data"]["username"] == "acmeroasters"


def test_monthly_cap_fault(state: SandboxState, client: tweepy.Client) -> None:
    state.add_fault(Fault(match="*", status=429, monthly_cap=True))
    with pytest.raises(tweepy.TooManyRequests) as capped:
        client.get_me()
    body = capped.value.response.json()
    assert body["title"] == "UsageCapExceeded"
    assert body["period"] == "Monthly"
    assert body["type"] == "https://api.twitter.com/2/problems/usage-capped"


@pytest.mark.parametrize(
    ("status", "error", "title"),
    [
        (500, tweepy.TwitterServerError, "Internal Server Error"),
        (503, tweepy.TwitterServerError, "Service Unavailable"),
        (401, tweepy.Unauthorized, "Unauthorized"),
        (403, tweepy.Forbidden, "Forbidden"),
        (402, tweepy.HTTPException, "CreditsDepleted"),
    ],
)
def test_status_faults(
    state: SandboxState, client: tweepy.Client, status: int, error: type, title: str
) -> None:
    state.add_fault(Fault(match="POST /2/tweets", status=status))
    with pytest.raises(error) as failed:
        client.create_tweet(text="hello")
    assert failed.value.response.status_code == status
    assert failed.value.response.headers["content-type"] == "application/problem+json"
    assert failed.value.response.json()["title"] == title
    assert state.account_tweets() == []  # without commit nothing was written


def test_a_slow_answer_times_out_the_client(state: SandboxState, server: SandboxServer) -> None:
    state.add_fault(Fault(match="GET /2/users/me", delay=0.5))
    impatient = make_client(server.url, timeout=0.1)
    with pytest.raises(requests.exceptions.ReadTimeout):
        impatient.get_me()
    assert make_client(server.url).get_me()["data"]["id"] == state.account["id"]


def test_server_disappearing_mid_page(state: SandboxState, client: tweepy.Client) -> None:
    state.add_mentions(30, start=NOW - timedelta(hours=1), spacing=timedelta(minutes=1))
    state.add_fault(Fault(match="GET /2/users/", drop=True, after=1))
    first = client.get_users_mentions(state.account["id"], max_results=10, user_auth=True)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        client.get_users_mentions(
            state.account["id"],
            max_results=10,
            pagination_token=first["meta"]["next_token"],
            user_auth=True,
        )
    assert state.exchanges[-1].dropped


def test_commit_then_fail_leaves_the_tweet_posted(
    state: SandboxState, client: tweepy.Client, server: SandboxServer
) -> None:
    state.add_fault(Fault(match="POST /2/tweets", status=503, commit=True))
    with pytest.raises(tweepy.TwitterServerError):
        client.create_tweet(text="Is this out?")
    [posted] = state.account_tweets()
    assert posted["text"] == "Is this out?"
    assert state.usage()["posts_created"] == 1  # it exists, so X bills it
    state.add_fault(Fault(match="POST /2/tweets", delay=0.4, commit=True))
    with pytest.raises(requests.exceptions.ReadTimeout):
        make_client(server.url, timeout=0.1).create_tweet(text="And this one?")
    assert [t["text"] for t in state.account_tweets()] == ["And this one?", "Is this out?"]
