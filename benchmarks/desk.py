"""A realistic desk in the X API simulator: N mentions over ~3 days, mostly answered.

The shape (fixed numbers, not shares, so that 20k and 100k desks differ only in history):

* conversations start with a customer @mention, evenly spread over the last 3 days (jittered);
* we answer every conversation a few minutes later (our reply, `in_reply_to` the mention),
  except `OPEN_TARGET` conversations of the last 24 h (open; most already past the 15 min SLA)
  and `STALE_TARGET` older ones (unanswered for more than a day: stale, never marked);
* about 15 % of the answered conversations get a customer follow-up (a reply to our reply, so
  it @mentions us too and counts as a mention) that we answer again, except `REOPENED` recent
  ones, which stay open (a thread reopened by the customer);
* ~N/8 distinct customers, varied texts (questions, praise, complaints, #hashtags);
* `BRAND_TALK` posts that name "Acme Roasters" without the @ (found by a [listen] search).

Everything is seeded: the same N and `now` give the same tweets, ids included.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tweetdesk.sandbox.scenario import load_scenario
from tweetdesk.sandbox.state import SandboxState

SPAN = timedelta(days=3)
DAY = timedelta(days=1)
OPEN_TARGET = 150  # unanswered conversations started in the last 24 h
REOPENED = 20  # of which: answered once, then the customer wrote again
STALE_TARGET = 60  # unanswered conversations older than 24 h (stale, no mark recorded)
FOLLOWUP_SHARE = 0.15
BRAND_TALK = 12  # posts naming the brand without an @mention, over the same 3 days (search)
UNLIMITED = 10**9
RAISED_LIMITS = (
    "mentions_cap, timeline_cap and every per-15-min rate limit raised to 10^9 "
    "(X serves only the newest 800 mentions and 300 mention pages per 15 min)"
)

OPENERS = (
    "hi, any update on order #{n}? it's been a week",
    "loving the new Guji beans, thanks! ({n})",
    "my delivery {n} arrived damaged :( the bag was torn open",
    "do you ship to Ireland? asking for order {n}",
    "is the Holiday Blend back in stock yet? #restock",
    "still waiting for my refund on order {n}, this is really disappointing",
    "what grind should I pick for an AeroPress? #brewing",
    "best coffee I've had all year, seriously great work {n}",
    "charged twice for my subscription this month?? order {n}",
    "can I change the delivery address for order {n}? #shipping",
    "the website keeps logging me out when I try to pay",
    "wholesale enquiry: do you supply cafes in Leeds? ({n})",
)
FOLLOWUPS = (
    "thanks, that sorted it!",
    "great, cheers",
    "still not arrived though, order {n}",
    "ok I sent you a DM",
    "perfect, thank you so much",
    "hmm, that didn't work, any other ideas?",
)
ANSWERS = (
    "Thanks for letting us know! We're on it, ref {n}.",
    "So sorry about that, a replacement goes out today ({n}).",
    "Glad you like it! Enjoy every cup ({n})",
    "Yes we do, shipping takes 3-5 days ({n}).",
    "Could you DM us your order number so we can check? ({n})",
    "It's back on Monday, we'll let you know ({n}).",
)


@dataclass(frozen=True)
class DeskShape:
    mentions: int
    conversations: int
    followups: int
    replies: int  # our own tweets
    open_threads: int  # unanswered in the last 24 h (incl. reopened)
    stale_threads: int  # unanswered and older than 24 h
    customers: int

    @property
    def tweets(self) -> int:
        return self.mentions + self.replies


def _plan(n: int, now: datetime, rng: random.Random) -> tuple[list[tuple[Any, ...]], DeskShape]:
    """Events (time, order, kind, conversation) sorted by time; kinds: m, r, f, r2."""
    followups = round(n * FOLLOWUP_SHARE / (1 + FOLLOWUP_SHARE))
    convs = n - followups
    start = now - SPAN
    step = (SPAN - timedelta(minutes=1)) / max(convs, 1)
    times = [start + i * step + rng.random() * step for i in range(convs)]
    recent = [i for i, t in enumerate(times) if t > now - DAY + timedelta(minutes=30)]
    older = [i for i, t in enumerate(times) if t < now - DAY - timedelta(hours=1)]
    open_ids = set(rng.sample(recent, min(OPEN_TARGET - REOPENED, len(recent) // 4)))
    stale_ids = set(rng.sample(older, min(STALE_TARGET, len(older) // 4)))
    events: list[tuple[Any, ...]] = []
    answered_at: dict[int, datetime] = {}
    for i, t in enumerate(times):
        events.append((t, 0, "m", i))
        if i in open_ids or i in stale_ids:
            continue
        room = now - t - timedelta(seconds=2)
        delay = min(timedelta(minutes=rng.uniform(1, 40)), room * 0.8)
        answered_at[i] = t + delay
        events.append((answered_at[i], 1, "r", i))
    candidates = [i for i, at in answered_at.items() if now - at > timedelta(hours=3)]
    late = [i for i, at in answered_at.items() if timedelta(hours=1) < now - at < DAY / 2]
    reopened = set(rng.sample(late, min(REOPENED, len(late))))
    candidates = [i for i in candidates if i not in reopened]
    wanted = max(followups - len(reopened), 0)
    followed = rng.sample(candidates, min(wanted, len(candidates)))
    for i in [*followed, *reopened]:
        at = answered_at[i] + timedelta(minutes=rng.uniform(2, 90))
        at = min(at, now - timedelta(minutes=20))
        events.append((at, 2, "f", i))
        if i not in reopened:
            room = now - at - timedelta(seconds=2)
            events.append((at + min(timedelta(minutes=rng.uniform(1, 30)), room * 0.8), 3, "r2", i))
    events.sort(key=lambda e: (e[0], e[1], e[3]))
    replies = sum(1 for e in events if e[2] in ("r", "r2"))
    shape = DeskShape(
        mentions=convs + len(followed) + len(reopened),
        conversations=convs,
        followups=len(followed) + len(reopened),
        replies=replies,
        open_threads=len(open_ids) + len(reopened),
        stale_threads=len(stale_ids),
        customers=0,
    )
    return events, shape


def build_state(n: int, now: datetime, seed: int = 20261123) -> tuple[SandboxState, DeskShape]:
    """A SandboxState ("empty" scenario, limits raised) holding a desk of about `n` mentions."""
    rng = random.Random(seed)
    scenario = load_scenario("empty", now)
    scenario.mentions_cap = UNLIMITED
    scenario.timeline_cap = UNLIMITED
    scenario.rate_limits = dict.fromkeys(_rate_limited_endpoints(), UNLIMITED)
    state = SandboxState(scenario, clock=lambda: now)
    events, shape = _plan(n, now, rng)
    pool = max(200, shape.conversations // 8)
    for k in range(pool):
        followers = int(rng.lognormvariate(4.5, 1.6))
        state.add_user(f"cust{k}", name=f"Customer {k}", followers_count=followers)
    account = state.account["username"]
    author_of = [f"cust{rng.randrange(pool)}" for _ in range(shape.conversations)]
    mention: dict[int, str] = {}
    reply: dict[int, str] = {}
    for when, _, kind, i in events:
        if kind == "m":
            text = f"@{account} " + OPENERS[i % len(OPENERS)].format(n=i)
            mention[i] = state.add_tweet(author_of[i], text, created_at=when)["id"]
        elif kind == "r":
            text = ANSWERS[i % len(ANSWERS)].format(n=i)
            reply[i] = state.add_tweet(account, text, created_at=when, in_reply_to=mention[i])["id"]
        elif kind == "f":
            text = FOLLOWUPS[i % len(FOLLOWUPS)].format(n=i)
            mention[i] = state.add_tweet(author_of[i], text, created_at=when, in_reply_to=reply[i])[
                "id"
            ]
        else:
            text = "Happy to help, thanks again! " + f"({i})"
            state.add_tweet(account, text, created_at=when, in_reply_to=mention[i])
    for k in range(BRAND_TALK):
        when = now - SPAN + (k + 0.5) * SPAN / BRAND_TALK
        state.add_tweet(
            f"fan{k}", f"Just tried Acme Roasters, the Guji is lovely ({k})", created_at=when
        )
    shape = DeskShape(**{**shape.__dict__, "customers": len(set(author_of))})
    return state, shape


def _rate_limited_endpoints() -> list[str]:
    from tweetdesk.sandbox.model import DEFAULT_RATE_LIMITS

    return list(DEFAULT_RATE_LIMITS)
