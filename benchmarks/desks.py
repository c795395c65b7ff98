"""The desks: who writes what, when, and when the desk syncs. Seeded: same sizes, same tweets.

* flooded: N mentions over 6 days from N*3/10 customers, none answered (a viral complaint, a
  holiday): customers write again into their own thread ("still waiting??"), or open new ones;
  thousands fresh at the end, most stale. Our own timeline is empty.
* year: N mentions over 365 days, 95 % answered by our replies a few minutes to hours later
  (some from the phone app), customer follow-ups to our answers, our own posts; the last
  hours hold the open and overdue threads.
* check: a small desk with every text and shape, synced against the built-in simulator with
  lowered caps, that proves the stand-in serves what the simulator serves (fidelity.py).

Every desk also has brand talk: posts naming "Acme Roasters" without the @ (the [listen] search).
Texts are the awkward ones a real desk gets: URLs, hashtags, emoji, other scripts, `&` `<` `>`,
rich markup, shouting, other @handles, long texts; names with markup and emoji.

A desk is built in syncs, the way a desk grows: TWEETDESK_NOW advances from sync to sync, and
the interval is the longest regular one at which no sync meets X's 800-newest-mentions cap.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import datetime

from desk_texts import ANSWERS, BRAND, FOLLOWUPS, HANDLES, NAMES, NUDGES, OPENERS, POSTS
from xwire import ms_of

NOW = "2026-11-23T09:00:00+00:00"  # a Monday morning
ACCOUNT = "acmeroasters"
QUERY = '"Acme Roasters"'
HOUR = 3_600_000
DAY = 24 * HOUR
MENTIONS_CAP = 800  # X's mentions timeline: the newest 800
TIMELINE_CAP = 3200  # the account's own timeline: the newest 3,200
# Sync intervals tried, longest first: every hour up to 12 h, then every 6 h up to 6 days (a
# longer gap would age the [listen] search's since_id past recent search's 7 days).
INTERVALS = [h * HOUR for h in range(1, 13)] + [h * HOUR for h in range(18, 6 * 24 + 1, 6)]


@dataclass
class Event:
    at_ms: int
    author: str
    text: str
    kind: str = "mention"  # mention, nudge, followup (customers); answer, post (us); brand
    parent: Event | None = None
    source: str = "Twitter Web App"
    reply_to: int | None = None  # index of the parent in Desk.events (set by _finish)


CUSTOMER_KINDS = ("mention", "nudge", "followup")
OWN_KINDS = ("answer", "post")


@dataclass
class Desk:
    name: str
    now_ms: int
    start_ms: int
    users: list[tuple[str, dict]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    syncs: list[int] = field(default_factory=list)  # sync times (ms); the last is now_ms
    mentions_cap: int = MENTIONS_CAP
    timeline_cap: int = TIMELINE_CAP
    queries: tuple[str, ...] = (QUERY,)

    def count(self, *kinds: str) -> int:
        return sum(1 for e in self.events if e.kind in kinds)

    def shape(self) -> dict[str, int]:
        authors = {e.author for e in self.events if e.kind in CUSTOMER_KINDS}
        return {
            "mentions": self.count(*CUSTOMER_KINDS),
            "customers": len(authors),
            "conversations": self.count("mention"),
            "own_tweets": self.count(*OWN_KINDS),
            "brand_talk": self.count("brand"),
            "days": round((self.now_ms - self.start_ms) / DAY),
            "syncs": len(self.syncs),
        }


def flooded(n: int, seed: int = 6) -> Desk:
    """N mentions over 6 days from 3N/10 customers; nobody answered."""
    rng = random.Random(seed)
    now = _now()
    desk = Desk("flooded", now, now - 6 * DAY)
    desk.users = _customers(rng, max(3, n * 3 // 10), "c") + _fans(max(2, n // 400))
    _conversations(desk, rng, n, answered=0.0, followups=0.0, nudges=0.25)
    _side_posts(desk, rng, 40, "brand")
    return _finish(desk, min_syncs=3)


def year(n: int, seed: int = 365, days: int = 365) -> Desk:
    """N mentions over a year, 95 % answered; follow-ups to our answers; our own posts."""
    rng = random.Random(seed)
    now = _now()
    desk = Desk("year", now, now - days * DAY)
    desk.users = _customers(rng, max(3, n // 4), "y") + _fans(50)
    _conversations(desk, rng, n, answered=0.95, followups=0.18, nudges=0.01)
    _side_posts(desk, rng, 2, "post")
    _side_posts(desk, rng, 3, "brand")
    return _finish(desk, min_syncs=3)


def check(seed: int = 1) -> Desk:
    """A small desk with every text and shape, lowered caps, three syncs (fidelity.py)."""
    rng = random.Random(seed)
    now = _now()
    desk = Desk("check", now, now - 5 * DAY, mentions_cap=120, timeline_cap=150)
    desk.users = _customers(rng, 40, "k") + _fans(6)
    _conversations(desk, rng, 260, answered=0.8, followups=0.15, nudges=0.1)
    _side_posts(desk, rng, 40, "post")
    _side_posts(desk, rng, 45, "brand")
    # The first sync meets both caps and pages every source; then two more and an idle one.
    desk.syncs = [desk.start_ms + 3 * DAY, desk.start_ms + 4 * DAY, now]
    return _finish(desk, min_syncs=0, forced=True)


def _now() -> int:
    return ms_of(datetime.fromisoformat(NOW))


def _customers(rng: random.Random, n: int, prefix: str) -> list[tuple[str, dict]]:
    users = []
    for k in range(n):
        spec: dict = {
            "name": f"{NAMES[k % len(NAMES)]} {k}",
            "followers_count": int(rng.lognormvariate(4.5, 1.6)),
            "receives_your_dm": rng.random() > 0.15,
            "verified": rng.random() < 0.01,
            "protected": rng.random() < 0.02,
        }
        if k % 7 == 0:
            spec["location"] = "Leeds, UK"
        handle = f"{prefix}{k}" if k % 3 else f"{prefix.upper()}{k}_{HANDLES[k % len(HANDLES)]}"
        users.append((handle, spec))
    return users


def _fans(n: int) -> list[tuple[str, dict]]:
    return [(f"fan{k}", {"name": f"Fan {k} ☕", "followers_count": 50 + k}) for k in range(n)]


def _times(rng: random.Random, n: int, start: int, end: int) -> list[int]:
    """n moments in [start, end), busier in the day and on weekdays."""
    found: list[int] = []
    while len(found) < n:
        t = rng.randrange(start, end)
        hour = (t // HOUR) % 24
        weekday = (t // DAY + 3) % 7  # 1970-01-01 was a Thursday
        weight = (1.0 if 8 <= hour < 22 else 0.35) * (1.0 if weekday < 5 else 0.7)
        if rng.random() < weight:
            found.append(t)
    return sorted(found)


def _conversations(
    desk: Desk, rng: random.Random, n: int, *, answered: float, followups: float, nudges: float
) -> None:
    """Exactly n customer mentions: openers, follow-ups to our answers, nudges into threads
    nobody answered; each opener and follow-up answered with probability `answered`."""
    customers = [name for name, _ in desk.users if not name.startswith("fan")]
    want_followups, want_nudges = round(n * followups), round(n * nudges)
    openers = n - want_followups - want_nudges
    cover = rng.sample(range(len(customers)), min(openers, len(customers)))
    weights = [1 / (k + 5) for k in range(len(customers))]
    who = cover + rng.choices(range(len(customers)), weights=weights, k=openers - len(cover))
    rng.shuffle(who)
    answers, silent = [], []
    end = desk.now_ms - 60_000
    for k, (t, c) in enumerate(zip(_times(rng, openers, desk.start_ms, end), who, strict=True)):
        text = f"@{ACCOUNT} " + OPENERS[k % len(OPENERS)].format(n=k)
        mention = _add(desk, Event(t, customers[c], text))
        answer = _answer(desk, rng, mention, k, answered)
        (answers if answer else silent).append(answer or mention)
    late = [a for a in answers if a.at_ms < end - 60_000]
    for k, reply in enumerate(rng.sample(late, min(want_followups, len(late)))):
        at = reply.at_ms + rng.randrange(60_000, max(60_001, min(6 * HOUR, end - reply.at_ms)))
        customer = reply.parent.author if reply.parent else customers[0]
        text = FOLLOWUPS[k % len(FOLLOWUPS)].format(n=k)
        followup = _add(desk, Event(at, customer, text, "followup", reply))
        _answer(desk, rng, followup, k, answered)
    waiting = [m for m in silent if m.at_ms < end - 600_000]
    for k in range(want_nudges if waiting else 0):
        mention = rng.choice(waiting)
        at = mention.at_ms + rng.randrange(600_000, max(600_001, min(2 * DAY, end - mention.at_ms)))
        text = NUDGES[k % len(NUDGES)].format(n=k)
        _add(desk, Event(at, mention.author, text, "nudge", mention))
    missing = n - desk.count(*CUSTOMER_KINDS)  # too few candidates: more openers, unanswered
    for k, t in enumerate(_times(rng, missing, desk.start_ms, end)):
        text = f"@{ACCOUNT} " + OPENERS[k % len(OPENERS)].format(n=openers + k)
        _add(desk, Event(t, customers[k % len(customers)], text))


def _add(desk: Desk, event: Event) -> Event:
    desk.events.append(event)
    return event


def _answer(desk: Desk, rng: random.Random, mention: Event, k: int, p: float) -> Event | None:
    if rng.random() >= p:
        return None
    delay = min(int(rng.lognormvariate(13.2, 1.1)), 20 * HOUR)  # median ~9 min
    at = mention.at_ms + max(30_000, delay)
    if at >= desk.now_ms:
        return None  # still to answer when the desk is measured
    source = "Twitter for iPhone" if k % 5 == 0 else "tweetdesk"
    text = ANSWERS[k % len(ANSWERS)].format(n=k)
    return _add(desk, Event(at, ACCOUNT, text, "answer", mention, source))


def _side_posts(desk: Desk, rng: random.Random, per_day: float, kind: str) -> None:
    days = (desk.now_ms - desk.start_ms) / DAY
    texts = BRAND if kind == "brand" else POSTS
    fans = [name for name, _ in desk.users if name.startswith("fan")]
    times = _times(rng, max(1, round(per_day * days)), desk.start_ms, desk.now_ms - 60_000)
    for i, t in enumerate(times):
        author = ACCOUNT if kind == "post" else fans[i % len(fans)]
        desk.events.append(Event(t, author, texts[i % len(texts)].format(n=i), kind))


def _finish(desk: Desk, min_syncs: int, forced: bool = False) -> Desk:
    """Sort by time (a reply stays after its parent), index the parents, plan the syncs."""
    desk.events.sort(key=lambda e: e.at_ms)
    index = {id(e): i for i, e in enumerate(desk.events)}
    for i, event in enumerate(desk.events):
        if event.parent is not None:
            event.reply_to = index[id(event.parent)]
            if event.reply_to >= i:
                raise ValueError(f"{desk.name}: a reply sorts before its parent")
    if not forced:
        desk.syncs = _cadence(desk, min_syncs)
    return desk


def _cadence(desk: Desk, min_syncs: int) -> list[int]:
    """The longest regular interval at which no sync meets more new mentions than X's mentions
    timeline serves (the newest 800) or more own tweets than the own timeline's 3,200."""
    span = desk.now_ms - desk.start_ms
    mentions = [e.at_ms for e in desk.events if e.kind in CUSTOMER_KINDS]
    own = [e.at_ms for e in desk.events if e.kind in OWN_KINDS]
    for interval in reversed(INTERVALS):
        if span / interval < min_syncs:
            continue
        syncs = [*range(desk.start_ms + interval, desk.now_ms, interval), desk.now_ms]
        edges = list(zip([desk.start_ms, *syncs[:-1]], syncs, strict=True))
        if all(
            _between(mentions, a, b) <= desk.mentions_cap
            and _between(own, a, b) <= desk.timeline_cap
            for a, b in edges
        ):
            return syncs
    raise ValueError(f"{desk.name}: no sync interval keeps every sync under X's caps")


def _between(times: list[int], a: int, b: int) -> int:
    return bisect.bisect_left(times, b) - bisect.bisect_left(times, a)


def expected_threads(desk: Desk, sla_ms: int = 15 * 60_000, stale_ms: int = DAY) -> dict[str, int]:
    """What the desk should list at its now, by the SPEC's rules: a conversation is open when a
    customer tweet is newer than our last reply, waiting since the first such tweet; stale past
    `stale_ms`, else overdue past `sla_ms`. Brand talk: one thread per post."""
    root: list[int] = []
    waiting: dict[int, int | None] = {}
    for i, event in enumerate(desk.events):
        conv = i if event.reply_to is None else root[event.reply_to]
        root.append(conv)
        if event.kind in OWN_KINDS:
            waiting[conv] = None
        elif waiting.get(conv) is None:  # a customer tweet or brand talk
            waiting[conv] = event.at_ms
    counts = {"open": 0, "overdue": 0, "stale": 0}
    for since in waiting.values():
        if since is None:
            continue
        age = desk.now_ms - since
        if age > stale_ms:
            counts["stale"] += 1
        else:
            counts["open"] += 1
            counts["overdue"] += age > sla_ms
    return counts
