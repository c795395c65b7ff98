"""The X gateway over real HTTP: base-URL rewrite, paging, each error mapping, timeouts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tweetdesk.errors import (
    ApiError,
    ApiNotFound,
    AuthError,
    CreditsDepleted,
    DmRefused,
    DuplicateContent,
    ExitCode,
    Forbidden,
    NetworkError,
    RateLimited,
    ReplyNotAllowed,
    ServerError,
)
from tweetdesk.sandbox.model import Fault
from tweetdesk.store.store import Store
from tweetdesk.x.credentials import Credentials
from tweetdesk.x.gateway import XClient

from conftest import NOW, SANDBOX_KEYS, Sandbox


def test_every_request_goes_to_the_configured_base_url(sandbox: Sandbox) -> None:
    me = sandbox.client().me()
    assert me["username"] == sandbox.state.account["username"]
    assert sandbox.state.exchanges[-1].path == "/2/users/me"


def test_pages_carry_users_and_next_token(sandbox: Sandbox) -> None:
    sandbox.state.add_mentions(150, start=NOW - timedelta(hours=3), spacing=timedelta(minutes=1))
    client = sandbox.client()
    uid = int(sandbox.state.account["id"])
    first = client.mentions(uid)
    assert len(first.tweets) == 100
    assert first.next_token
    assert first.users
    second = client.mentions(uid, token=first.next_token)
    assert len(second.tweets) == 50
    assert second.next_token is None
    assert {"created_at", "conversation_id", "author_id"} <= set(first.tweets[0])


@pytest.mark.parametrize(
    ("fault", "error", "code", "words"),
    [
        (Fault(match="*", status=401), AuthError, ExitCode.ERROR, "auth login"),
        (Fault(match="*", status=402), CreditsDepleted, ExitCode.ERROR, "credits"),
        (
            Fault(match="*", status=429, reset_in=300),
            RateLimited,
            ExitCode.RATE_LIMITED,
            "retry after",
        ),
        (
            Fault(match="*", status=429, monthly_cap=True),
            RateLimited,
            ExitCode.RATE_LIMITED,
            "monthly",
        ),
        (Fault(match="*", status=503, times=10), ServerError, ExitCode.ERROR, "try again later"),
    ],
)
def test_error_mapping(
    sandbox: Sandbox, fault: Fault, error: type[ApiError], code: ExitCode, words: str
) -> None:
    sandbox.state.add_fault(fault)
    with pytest.raises(error) as err:
        sandbox.client(retries=2).me()
    assert err.value.exit_code == code
    assert words in str(err.value)


def test_5xx_is_retried_a_bounded_number_of_times(sandbox: Sandbox) -> None:
    sandbox.state.add_fault(Fault(match="GET /2/users/me", status=503, times=2))
    assert sandbox.client(retries=2).me()["id"]
    assert [e.status for e in sandbox.state.exchanges] == [503, 503, 200]
    sandbox.state.add_fault(Fault(match="GET /2/users/me", status=500, times=5))
    with pytest.raises(ServerError):
        sandbox.client(retries=2).me()
    assert [e.status for e in sandbox.state.exchanges][-3:] == [500, 500, 500]


def test_timeout_becomes_a_network_error(sandbox: Sandbox) -> None:
    sandbox.state.add_fault(Fault(match="GET /2/users/me", delay=1.0, times=1))
    with pytest.raises(NetworkError, match="timeout"):
        sandbox.client(retries=0, timeout=0.2).me()


def test_connection_dropped_mid_response_is_retried(sandbox: Sandbox) -> None:
    sandbox.state.add_fault(Fault(match="GET /2/users/me", drop=True, times=1))
    assert sandbox.client(retries=1).me()["id"]


def test_writes_are_never_retried_blindly(sandbox: Sandbox) -> None:
    tweet = sandbox.state.add_tweet(
        "sam", f"@{sandbox.state.account['username']} hi", created_at=NOW
    )
    sandbox.state.add_fault(Fault(match="POST /2/tweets", status=503, times=1))
    with pytest.raises(ServerError):
        sandbox.client(retries=3).create_tweet("hello", in_reply_to=int(tweet["id"]))
    posts = [e for e in sandbox.state.exchanges if e.method == "POST"]
    assert len(posts) == 1


def test_403_variants(sandbox: Sandbox) -> None:
    state = sandbox.state
    client = sandbox.client()
    mention = state.add_tweet("sam", f"@{state.account['username']} hi", created_at=NOW)
    client.create_tweet("Thanks Sam!", in_reply_to=int(mention["id"]))
    with pytest.raises(DuplicateContent):
        client.create_tweet("Thanks Sam!", in_reply_to=int(mention["id"]))
    stranger = state.add_tweet("pat", "Acme Roasters is great", created_at=NOW)
    with pytest.raises(ReplyNotAllowed, match="dm"):
        client.create_tweet("Thank you!", in_reply_to=int(stranger["id"]))
    closed = state.add_user("closedbook", receives_your_dm=False)
    with pytest.raises(DmRefused):
        client.send_dm(int(closed["id"]), "Hello")


def test_ledger_records_every_request_with_its_price(sandbox: Sandbox) -> None:
    store = Store.memory()
    sandbox.state.add_mentions(12, start=NOW - timedelta(hours=1), spacing=timedelta(minutes=1))
    client = sandbox.client(store)
    client.me()
    client.mentions(int(sandbox.state.account["id"]))
    rows = [
        dict(r)
        for r in store.conn.execute(
            "SELECT endpoint, status, posts, price_key, units FROM requests"
        )
    ]
    assert rows == [
        {
            "endpoint": "GET /2/users/me",
            "status": 200,
            "posts": 0,
            "price_key": "user_read",
            "units": 1,
        },
        {
            "endpoint": "GET /2/users/:id/mentions",
            "status": 200,
            "posts": 12,
            "price_key": "owned_read",
            "units": 12,
        },
    ]


def test_400_names_the_parameter_and_the_rule(sandbox: Sandbox) -> None:
    with pytest.raises(ApiError) as err:
        sandbox.client().search("acme", start_time=NOW - timedelta(days=8))
    assert str(err.value) == (
        "X refused the request (400): Invalid 'start_time':'2026-11-15T09:00:00Z'. "
        "'start_time' must be on or after 2026-11-16T09:00:00.000Z"
    )
    assert err.value.exit_code == ExitCode.ERROR


def test_404_is_not_found_and_a_plain_403_is_forbidden(sandbox: Sandbox) -> None:
    client = sandbox.client()
    mine = client.create_tweet("New beans in the shop today")
    assert client.delete_tweet(int(mine["id"]))
    with pytest.raises(ApiNotFound, match=r"^X says it is not there \(404\): "):
        client.delete_tweet(int(mine["id"]))
    theirs = sandbox.state.add_tweet("sam", "my own tweet", created_at=NOW)
    with pytest.raises(Forbidden) as err:
        client.delete_tweet(int(theirs["id"]))
    assert type(err.value) is Forbidden  # none of the named 403 variants
    assert str(err.value).startswith("X refused the request (403): ")
    assert err.value.status == 403 and err.value.exit_code == ExitCode.ERROR


def recording_client(
    sandbox: Sandbox, retries: int, timeout: float = 5.0
) -> tuple[XClient, list[float]]:
    slept: list[float] = []
    creds = Credentials(*SANDBOX_KEYS.values(), source="test")
    return XClient(creds, sandbox.url, retries=retries, timeout=timeout, sleep=slept.append), slept


def test_backoff_grows_and_is_bounded(sandbox: Sandbox) -> None:
    sandbox.state.add_fault(Fault(match="GET /2/users/me", status=503, times=8))
    client, slept = recording_client(sandbox, retries=7)
    with pytest.raises(ServerError):
        client.me()
    assert len(slept) == 7  # one pause before each retry, none after the last failure
    assert slept == sorted(slept) and slept[0] < slept[-1]
    assert slept[0] > 0 and max(slept) <= 10


def test_timeout_is_retried_then_an_error(sandbox: Sandbox) -> None:
    sandbox.state.add_fault(Fault(match="GET /2/users/me", delay=0.5, times=1))
    client, slept = recording_client(sandbox, retries=1, timeout=0.1)
    assert client.me()["id"]  # the retry got through
    assert len(slept) == 1
    sandbox.state.add_fault(Fault(match="GET /2/users/me", delay=0.5, times=3))
    client, slept = recording_client(sandbox, retries=2, timeout=0.1)
    with pytest.raises(NetworkError, match="timeout"):
        client.me()
    assert len(slept) == 2
